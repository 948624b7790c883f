from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.catalogue.importers.leika import parse_catalogue, parse_ozg_list
from openamt.catalogue.services import services_import
from openamt.core.editions import DataFiles
from openamt.core.errors import DomainError
from openamt.core.imports import count_lines, open_text, progress_bar, write_summary


class Command(BaseCommand):
    help = "Importiert den LeiKa/OZG-Katalog (CSV) und die OZG-Leistungsliste daneben."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            nargs="?",
            help="leika_ozg_katalog_*.csv, auch .xz/.gz (Standard: neueste Ausgabe im Paket "
            "oder in OPENAMT_DATA_DIR)",
        )
        parser.add_argument(
            "--ozg", type=Path, help="OZG-Leistungsliste (Standard: ozg_leistungen_*.csv daneben)"
        )
        parser.add_argument("--verbose-notes", action="store_true")

    def handle(
        self, *args: Any, path: Path | None, ozg: Path | None, verbose_notes: bool, **options: Any
    ) -> None:
        if path is None:
            configured = DataFiles.configured()
            path, ozg = configured.services, ozg or configured.ozg_services
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        ozg = ozg or next(iter(sorted(path.parent.glob("ozg_leistungen_*.csv*"))), None)
        self.stdout.write(f"Ausgabe: {path.name}")
        try:
            ozg_rows = []
            if ozg:
                with open_text(ozg) as handle:
                    ozg_rows = list(parse_ozg_list(handle))
            with (
                open_text(path) as handle,
                progress_bar(count_lines(path) - 1, "Leistungen", self.stderr) as progress,
            ):
                summary = services_import(
                    rows=parse_catalogue(handle), ozg_rows=ozg_rows, progress=progress
                )
        except DomainError as error:
            raise CommandError(f"{error.message} Es wurde nichts importiert.") from error
        write_summary(self, summary, notes=verbose_notes)

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.catalogue.importers.leika import parse_catalogue, parse_ozg_list
from openamt.catalogue.services import services_import
from openamt.core.errors import DomainError
from openamt.core.imports import progress_bar, write_summary


class Command(BaseCommand):
    help = "Importiert den LeiKa/OZG-Katalog (CSV) und die OZG-Leistungsliste daneben."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="leika_ozg_katalog_*.csv")
        parser.add_argument(
            "--ozg", type=Path, help="OZG-Leistungsliste (Standard: ozg_leistungen_*.csv daneben)"
        )
        parser.add_argument("--verbose-notes", action="store_true")

    def handle(
        self, *args: Any, path: Path, ozg: Path | None, verbose_notes: bool, **options: Any
    ) -> None:
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        ozg = ozg or next(iter(sorted(path.parent.glob("ozg_leistungen_*.csv"))), None)
        try:
            ozg_rows = []
            if ozg:
                with ozg.open(encoding="utf-8", newline="") as handle:
                    ozg_rows = list(parse_ozg_list(handle))
            with path.open(encoding="utf-8", newline="") as handle:
                total = sum(1 for _ in handle) - 1
            with (
                path.open(encoding="utf-8", newline="") as handle,
                progress_bar(total, "Leistungen", self.stderr) as progress,
            ):
                summary = services_import(
                    rows=parse_catalogue(handle), ozg_rows=ozg_rows, progress=progress
                )
        except DomainError as error:
            raise CommandError(f"{error.message} Es wurde nichts importiert.") from error
        write_summary(self, summary, notes=verbose_notes)

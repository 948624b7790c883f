from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.core.editions import DataFiles
from openamt.core.errors import DomainError
from openamt.core.imports import count_lines, open_text, progress_bar, write_summary
from openamt.regions.importers.postcodes import parse_postcodes
from openamt.regions.services import postcodes_import


class Command(BaseCommand):
    help = "Importiert die PLZ-Zuordnung (OpenStreetMap, CSV: osm_id,ags,ort,plz,landkreis,bundesland)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            nargs="?",
            help="CSV-Datei, auch .xz/.gz (Standard: neueste Ausgabe im Paket "
            "oder in OPENAMT_DATA_DIR)",
        )
        parser.add_argument(
            "--verbose-notes", action="store_true", help="Zuordnungen veralteter AGS zeigen"
        )

    def handle(self, *args: Any, path: Path | None, verbose_notes: bool, **options: Any) -> None:
        path = path or DataFiles.configured().postcodes
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        self.stdout.write(f"Ausgabe: {path.name}")
        try:
            with (
                open_text(path) as handle,
                progress_bar(count_lines(path) - 1, "Postleitzahlen", self.stderr) as progress,
            ):
                summary = postcodes_import(rows=parse_postcodes(handle), progress=progress)
        except DomainError as error:
            raise CommandError(f"{path}: {error.message} Es wurde nichts importiert.") from error
        write_summary(self, summary, notes=verbose_notes)

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.core.editions import DataFiles
from openamt.core.errors import DomainError
from openamt.core.imports import count_lines, open_text, progress_bar, write_summary
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad
from openamt.regions.services import regions_import


class Command(BaseCommand):
    help = (
        "Importiert das Gemeindeverzeichnis GV100AD von Destatis (Festformat, 220 Zeichen je Satz)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "path",
            type=Path,
            nargs="?",
            help="GV100AD_TTMMJJJJ.txt, auch .xz/.gz (Standard: neueste Ausgabe im Paket "
            "oder in OPENAMT_DATA_DIR)",
        )
        parser.add_argument("--land", help="nur dieses Land (zweistelliger Schlüssel, z. B. 16)")

    def handle(self, *args: Any, path: Path | None, land: str | None, **options: Any) -> None:
        path = path or DataFiles.configured().regions
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        self.stdout.write(f"Ausgabe: {path.name}")
        try:
            with (
                open_text(path) as handle,
                progress_bar(count_lines(path), "Gebiete", self.stderr) as progress,
            ):
                summary = regions_import(
                    records=parse_gv100ad(handle), land=land, progress=progress
                )
        except DomainError as error:
            raise CommandError(f"{path}: {error.message} Es wurde nichts importiert.") from error
        write_summary(self, summary)

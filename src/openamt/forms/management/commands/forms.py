from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.core.errors import DomainError
from openamt.forms.services import SHIPPED_FORMS, forms_load


class Command(BaseCommand):
    help = (
        "Formulare: „load [VERZEICHNIS]“ lädt Formulardefinitionen (JSON) und veröffentlicht sie."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["load"])
        parser.add_argument("directory", type=Path, nargs="?", default=SHIPPED_FORMS)

    def handle(self, *args: Any, action: str, directory: Path, **options: Any) -> None:
        if not directory.is_dir():
            raise CommandError(f"Verzeichnis nicht gefunden: {directory}")
        try:
            counts = forms_load(directory=directory)
        except DomainError as error:
            raise CommandError(f"{error.message} Es wurde nichts geladen.") from error
        self.stdout.write(
            f"veröffentlicht {counts['published']}, unverändert {counts['unchanged']}"
        )

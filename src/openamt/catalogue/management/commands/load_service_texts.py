from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.catalogue.services import DEFAULT_TEXTS, texts_load
from openamt.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Lädt die Leistungsbeschreibungen des Landes für die Leistungen der mitgelieferten "
        "Formulare (JSON); vorhandene Texte des Landes bleiben unverändert."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=DEFAULT_TEXTS)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            counts = texts_load(path=path)
        except DomainError as error:
            raise CommandError(error.message) from error
        for key in sorted(counts):
            self.stdout.write(f"{key:<20}{counts[key]:>6}")

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.catalogue.services import DEFAULT_SYNONYMS, DEFAULT_TERMS, terms_load
from openamt.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Lädt Suchbegriffe und Beliebtheit häufiger Leistungen (CSV: leika_key,popularity,terms) "
        "und Synonyme der Suche (CSV: word,meaning)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=DEFAULT_TERMS)
        parser.add_argument("--synonyme", type=Path, default=DEFAULT_SYNONYMS, dest="synonyms")

    def handle(self, *args: Any, path: Path, synonyms: Path, **options: Any) -> None:
        try:
            counts = terms_load(path=path, synonyms=synonyms)
        except DomainError as error:
            raise CommandError(error.message) from error
        for key in sorted(counts):
            self.stdout.write(f"{key:<20}{counts[key]:>6}")

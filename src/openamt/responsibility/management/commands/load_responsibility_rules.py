from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.core.errors import DomainError
from openamt.responsibility.services import DEFAULT_RULES, rules_load


class Command(BaseCommand):
    help = "Lädt die Zuständigkeitsregeln (CSV: leika_key,level,reason); Standard: Thüringen."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, nargs="?", default=DEFAULT_RULES)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            counts = rules_load(path=path)
        except DomainError as error:
            raise CommandError(error.message) from error
        for key in ("created", "updated", "unchanged"):
            self.stdout.write(f"{key:<12}{counts[key]:>6}")

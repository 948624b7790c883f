import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Schreibt das OpenAPI-Schema der API (oder prüft mit --check, ob es aktuell ist)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, path: Path, check: bool, **options: Any) -> None:
        from openamt.api.v1 import api

        schema = api.get_openapi_schema(path_prefix="/api/v1/")
        text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise CommandError(f"{path} ist veraltet: `make schema` ausführen und einchecken.")
            self.stdout.write(f"{path} ist aktuell.")
            return
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"{path} geschrieben.")

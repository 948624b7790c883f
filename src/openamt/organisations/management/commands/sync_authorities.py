from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from openamt.organisations.services import authorities_sync_from_register


class Command(BaseCommand):
    help = (
        "Legt für jeden Gemeindeverband und jeden Landkreis des Landes eine Behörde an "
        "(idempotent; Kontaktdaten bleiben unberührt)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--land", default=settings.OPENAMT_LAND_ARS)

    def handle(self, *args: Any, land: str, **options: Any) -> None:
        counts = authorities_sync_from_register(land=land)
        for key in sorted(counts):
            self.stdout.write(f"{key:<30}{counts[key]:>6}")

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.cases.archive import archive_answer, archive_offer
from openamt.core.errors import DomainError
from openamt.organisations.models import Authority


class Command(BaseCommand):
    help = (
        "Aussonderung an das Archiv (xdomea 3.0): „export“ bietet die abgeschlossenen Vorgänge "
        "nach Ablauf ihrer Aufbewahrungsfrist an (0501 je Behörde); „receipt DATEI“ verarbeitet "
        "eine Antwort des Archivs (0502 Bewertung → 0503 Abgabe, 0504/0507 Empfang, "
        "0506 Importbestätigung → Löschung mit Löschprotokoll)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="fällige Akten anbieten (0501)")
        export.add_argument("--authority", type=int, help="nur diese Behörde (ID)")
        export.add_argument("--out", type=Path, default=Path("."), help="Zielordner")
        receipt = actions.add_parser("receipt", help="Antwort des Archivs verarbeiten")
        receipt.add_argument("file", type=Path)
        receipt.add_argument("--out", type=Path, default=Path("."), help="Zielordner")

    def handle(self, *args: Any, action: str, out: Path, **options: Any) -> None:
        if not out.is_dir():
            raise CommandError(f"Zielordner {out} gibt es nicht.")
        try:
            if action == "export":
                self._export(out, options.get("authority"))
            else:
                self._receipt(options["file"], out)
        except DomainError as error:
            raise CommandError(error.message) from None

    def _export(self, out: Path, authority_id: int | None) -> None:
        authorities = Authority.objects.filter(cases__isnull=False).distinct().order_by("pk")
        if authority_id is not None:
            authorities = authorities.filter(pk=authority_id)
        written = 0
        for authority in authorities:
            path = archive_offer(authority=authority, out_dir=out)
            if path is not None:
                written += 1
                self.stdout.write(f"{authority.name}: {path}")
        self.stdout.write(f"{written} Anbieteverzeichnisse geschrieben.")

    def _receipt(self, file: Path, out: Path) -> None:
        if not file.is_file():
            raise CommandError(f"Datei {file} gibt es nicht.")
        summary, written = archive_answer(data=file.read_bytes(), out_dir=out)
        self.stdout.write(summary)
        for path in written:
            self.stdout.write(f"geschrieben: {path}")

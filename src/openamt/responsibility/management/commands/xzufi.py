import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openamt.core.errors import DomainError
from openamt.core.imports import write_summary
from openamt.responsibility.xzufi.collect import collect_document
from openamt.responsibility.xzufi.reader import read_document
from openamt.responsibility.xzufi.store import xzufi_import
from openamt.responsibility.xzufi.writer import document_xml


class Command(BaseCommand):
    help = (
        "XZuFi 2.2: „export DATEI“ schreibt Leistungen, Behörden, Zuständigkeiten und "
        "Onlinedienste; „import DATEI“ liest sie ein (alles oder nichts)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("path", help="XML-Datei; „-“ für Standardausgabe/-eingabe")
        parser.add_argument(
            "--zeitstempel",
            action="store_true",
            help="Erstellungszeit in den Nachrichtenkopf schreiben (sonst ist die Ausgabe "
            "für gleiche Daten byte-gleich)",
        )
        parser.add_argument("--verbose-notes", action="store_true")

    def handle(
        self,
        *args: Any,
        action: str,
        path: str,
        zeitstempel: bool,
        verbose_notes: bool,
        **options: Any,
    ) -> None:
        if action == "export":
            data = document_xml(
                collect_document(),
                agency=settings.OPENAMT_XZUFI_MANDANT,
                sender=settings.OPENAMT_SITE_NAME,
                created=timezone.now() if zeitstempel else None,
            )
            if path == "-":
                sys.stdout.buffer.write(data)
            else:
                Path(path).write_bytes(data)
                self.stderr.write(f"{len(data):,} Bytes nach {path} geschrieben.")
            return
        if path != "-" and not Path(path).is_file():
            raise CommandError(f"Datei nicht gefunden: {path}")
        try:
            document, notes = read_document(
                sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
            )
            summary = xzufi_import(document=document)
        except DomainError as error:
            raise CommandError(f"{error.message} Es wurde nichts importiert.") from error
        summary.notes[:0] = notes
        write_summary(self, summary, notes=verbose_notes)

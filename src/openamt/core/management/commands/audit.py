from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.core.audit import audit_head
from openamt.core.audit_checkpoints import AuditChainBroken, audit_verify_all, checkpoint_write


class Command(BaseCommand):
    help = (
        "Revisionsprotokoll: „verify“ prüft die ganze Hash-Kette gegen den neuesten Prüfpunkt "
        "(Exit-Code 1 mit dem ersten gebrochenen Eintrag); „checkpoint“ schreibt einen "
        "signierten Prüfpunkt ins Log und in den Speicher (regelmäßig aufrufen)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help="ganze Kette prüfen")
        actions.add_parser("checkpoint", help="signierten Prüfpunkt schreiben")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "verify":
            self._verify()
        else:
            self._checkpoint()

    def _verify(self) -> None:
        found, checkpoint = audit_verify_all()
        if found:
            raise CommandError(f"Revisionsprotokoll NICHT unversehrt: {found}")
        head = audit_head()
        entries = f"{head.count} Einträge bis Eintrag {head.entry_id}" if head else "leer"
        self.stdout.write(f"Revisionsprotokoll unversehrt: {entries}.")
        if checkpoint:
            self.stdout.write(
                f"Neuester Prüfpunkt {checkpoint.name} (Eintrag {checkpoint.head.entry_id}, "
                f"{checkpoint.time.isoformat()}) stimmt."
            )
        else:
            self.stderr.write(
                "Warnung: kein Prüfpunkt vorhanden; gelöschte neueste Einträge wären so nicht "
                "erkennbar („openamt audit checkpoint“ regelmäßig aufrufen)."
            )

    def _checkpoint(self) -> None:
        try:
            checkpoint, written = checkpoint_write()
        except AuditChainBroken as error:
            raise CommandError(
                f"Revisionsprotokoll NICHT unversehrt, kein Prüfpunkt geschrieben: {error.found}"
            ) from None
        if checkpoint is None:
            self.stdout.write("Revisionsprotokoll leer, kein Prüfpunkt nötig.")
        elif written:
            self.stdout.write(
                f"Prüfpunkt {checkpoint.name}: Eintrag {checkpoint.head.entry_id}, "
                f"{checkpoint.head.count} Einträge."
            )
        else:
            self.stdout.write(f"Unverändert seit Prüfpunkt {checkpoint.name}.")

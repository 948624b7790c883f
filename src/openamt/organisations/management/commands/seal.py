from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openamt.core.errors import DomainError
from openamt.core.signers.registry import signers
from openamt.organisations.models import Authority
from openamt.organisations.seals import seal_save, seal_validate


def _value(text: str) -> str:
    # "@path" reads a file (PEM), so that keys never appear in the shell history.
    if text.startswith("@"):
        try:
            return Path(text[1:]).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{text[1:]}: {error.strerror}") from None
    return text


class Command(BaseCommand):
    help = (
        "Siegel der Behörden: „set“ richtet das Siegel einer Behörde ein "
        "(Siegeldienst und Einstellungen, Werte mit @DATEI aus einer Datei), "
        "„check“ prüft das Siegel eines PDF-Dokuments."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        setter = actions.add_parser("set", help="Siegel einer Behörde einrichten")
        setter.add_argument("authority", type=int, help="ID der Behörde")
        setter.add_argument("plugin", help=", ".join(plugin_id for plugin_id, _ in signers))
        setter.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NAME=WERT",
            help="Einstellung des Siegeldienstes; WERT „@DATEI“ liest die Datei",
        )
        checker = actions.add_parser("check", help="Siegel eines PDF-Dokuments prüfen")
        checker.add_argument("file", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "set":
            self._set(options["authority"], options["plugin"], options["option"])
        else:
            self._check(options["file"])

    def _set(self, authority_id: int, plugin: str, pairs: list[str]) -> None:
        authority = Authority.objects.filter(pk=authority_id).first()
        if authority is None:
            raise CommandError(f"Keine Behörde mit der ID {authority_id}.")
        values = {}
        for pair in pairs:
            name, separator, text = pair.partition("=")
            if not separator:
                raise CommandError(f"„{pair}“: bitte NAME=WERT angeben.")
            values[name] = _value(text)
        try:
            seal = seal_save(actor=None, authority=authority, plugin=plugin, values=values)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(f"Siegel von {authority.name}: {signers.get(seal.plugin).label}.")

    def _check(self, path: Path) -> None:
        try:
            pdf = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        result = seal_validate(pdf=pdf)
        if not result.ok:
            raise CommandError("Siegel NICHT gültig: " + " ".join(result.problems))
        when = result.signing_time.isoformat() if result.signing_time else "unbekannt"
        self.stdout.write(f"Siegel gültig: {result.signer_name}, gesiegelt {when}.")

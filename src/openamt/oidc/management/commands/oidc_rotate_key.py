from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from openamt.conf.keys import write_new_key


class Command(BaseCommand):
    help = (
        "Erzeugt einen neuen OpenID-Signaturschlüssel. Er signiert nach dem nächsten Neustart; "
        "ältere Schlüssel bleiben im Schlüsselsatz, bis ihre Datei gelöscht wird."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        path = write_new_key(settings.OIDC_KEY_DIR)
        self.stdout.write(f"Neuer Schlüssel: {path}. Bitte die Anwendung neu starten.")

from typing import Any

from django.core.management.base import BaseCommand

from openamt.submissions.retention import purge_expired


class Command(BaseCommand):
    help = "Löscht abgelaufene Antragsentwürfe und zugestellte Anträge nach ihrer Aufbewahrungsfrist (täglich aufrufen)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = purge_expired()
        self.stdout.write(
            f"gelöscht: {counts['drafts']} Entwürfe, {counts['submissions']} Anträge, "
            f"{counts['documents']} Dateien ohne Bezug, "
            f"{counts['files']} gespeicherte Dateien ohne Eintrag"
        )

from typing import Any

from django.core.management.base import BaseCommand

from openamt.submissions.delivery import deliver_due


class Command(BaseCommand):
    help = (
        "Stellt fällige Anträge zu (Wiederholungen, und nach einem Absturz liegengebliebene); "
        "regelmäßig aufrufen, z. B. minütlich."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{deliver_due()} Zustellungen versucht.")

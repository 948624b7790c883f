from typing import Any

from django.core.management.base import BaseCommand

from openamt.core.outbox import outbox_run_due


class Command(BaseCommand):
    help = (
        "Erledigt fällige Aufträge des Postausgangs: Zustellungen von Anträgen und E-Mails "
        "(Wiederholungen, und nach einem Absturz liegengebliebene); regelmäßig aufrufen, "
        "z. B. minütlich."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        attempted = outbox_run_due()
        self.stdout.write(
            f"{attempted.get('delivery', 0)} Zustellungen, {attempted.get('mail', 0)} E-Mails versucht."
        )

from typing import Any

from django.core.management.base import BaseCommand

from openamt.cases.requests import information_requests_remind


class Command(BaseCommand):
    help = (
        "Erinnert Antragsteller an Nachforderungen, deren Frist bald endet "
        "(OPENAMT_REQUEST_REMINDER_WORKDAYS Arbeitstage vorher). Jede Erinnerung "
        "geht nur einmal; täglich aufrufen."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = information_requests_remind()
        self.stdout.write(f"{sent} Erinnerungen versandt.")

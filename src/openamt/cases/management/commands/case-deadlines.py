from typing import Any

from django.core.management.base import BaseCommand

from openamt.cases.deadlines import case_deadlines_run


class Command(BaseCommand):
    help = (
        "Fristen der Vorgangsbearbeitung (täglich): Warnungen vor Ablauf der Bearbeitungsfrist "
        "und der Genehmigungsfiktion, Abruf von Bescheiden aus dem Postfach (Bekanntgabe) und "
        "Meldung nicht abgerufener Bescheide nach § 41 Abs. 2a VwVfG."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = case_deadlines_run()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))

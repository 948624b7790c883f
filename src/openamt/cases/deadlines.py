"""The daily look at deadlines: warnings before a case's statutory period or
its Genehmigungsfiktion ends, and decisions not retrieved from the Postfach
(`decisions.decisions_watch`). Run by `openamt case-deadlines`."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openamt.cases.constants import OPEN_STATUSES
from openamt.cases.decisions import decisions_watch, staff_addresses
from openamt.cases.models import Case
from openamt.core.audit import audit_record
from openamt.core.mail import OutboxMail, mail_enqueue


def _warning(case: Case, today: datetime.date) -> tuple[str, str, str] | None:
    """(mail key, subject, text) of the warning due for the case today, if any."""
    if case.fiction_on is not None and case.fiction_on <= today + datetime.timedelta(days=14):
        return (
            f"fiktion.{case.public_id}",
            f"Genehmigungsfiktion droht: {case.file_number}",
            f"Wird über den Vorgang {case.file_number} nicht bis zum "
            f"{case.fiction_on - datetime.timedelta(days=1):%d.%m.%Y} entschieden, gilt die "
            f"Genehmigung am {case.fiction_on:%d.%m.%Y} als erteilt (§ 42a VwVfG).",
        )
    if case.due_on is not None and case.due_on < today:
        return (
            f"frist-ueberschritten.{case.public_id}",
            f"Frist überschritten: {case.file_number}",
            f"Die Bearbeitungsfrist des Vorgangs {case.file_number} ist am "
            f"{case.due_on:%d.%m.%Y} abgelaufen.",
        )
    if case.warn_on is not None and case.warn_on <= today and case.due_on is not None:
        return (
            f"frist.{case.public_id}",
            f"Frist läuft ab: {case.file_number}",
            f"Die Bearbeitungsfrist des Vorgangs {case.file_number} endet am "
            f"{case.due_on:%d.%m.%Y}.",
        )
    return None


def deadlines_warn(*, today: datetime.date | None = None) -> int:
    """Mail each open case's caseworker (else the authority's administrators)
    once per warning: the Fiktion two weeks ahead, the statutory period from
    its warning day and once more when it has passed. Returns the mails made."""
    today = today or timezone.localdate()
    due = Case.objects.filter(
        Q(warn_on__lte=today) | Q(fiction_on__lte=today + datetime.timedelta(days=14)),
        status__in=OPEN_STATUSES,
    ).select_related("assignee")
    made = 0
    for case in due.iterator(chunk_size=200):
        warning = _warning(case, today)
        if warning is None:
            continue
        key, subject, body = warning
        if OutboxMail.objects.filter(key=key).exists():
            continue  # warned before
        with transaction.atomic():
            if mail_enqueue(key=key, to=staff_addresses(case), subject=subject, body=body):
                audit_record(
                    actor=None,
                    action="case.deadline_warning",
                    target=case,
                    authority_id=case.authority_id,
                    changes={"warning": key.split(".")[0]},
                )
                made += 1
    return made


def case_deadlines_run(*, today: datetime.date | None = None) -> dict[str, int]:
    """Everything the daily run does, with counts per outcome."""
    return {"Fristwarnungen": deadlines_warn(today=today), **decisions_watch(today=today)}

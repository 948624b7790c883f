"""The daily look at deadlines: warnings before a case's statutory period or
its Genehmigungsfiktion ends, and decisions not retrieved from the Postfach
(`decisions.decisions_watch`). Run by `openamt case-deadlines`."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from openamt.cases.constants import OPEN_STATUSES
from openamt.cases.decisions import decisions_watch
from openamt.cases.models import Case
from openamt.cases.selectors import case_staff_addresses
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


def deadlines_warn(*, today: datetime.date | None = None, chunk_size: int = 200) -> int:
    """Mail each open case's caseworker (else the authority's administrators)
    once per warning: the Fiktion two weeks ahead, the statutory period from
    its warning day and once more when it has passed. Returns the mails made.
    Reads `chunk_size` cases at a time with two queries for the chunk (which
    warnings went out before, whom to tell); writes each mail with its audit
    entry in a transaction of its own."""
    today = today or timezone.localdate()
    due = (
        Case.objects.filter(
            Q(warn_on__lte=today) | Q(fiction_on__lte=today + datetime.timedelta(days=14)),
            status__in=OPEN_STATUSES,
        )
        .select_related("assignee")
        .order_by("pk")
    )
    made = 0
    chunk: list[Case] = []
    for case in due.iterator(chunk_size=chunk_size):
        chunk.append(case)
        if len(chunk) == chunk_size:
            made += _warn(chunk, today)
            chunk = []
    return made + (_warn(chunk, today) if chunk else 0)


def _warn(cases: list[Case], today: datetime.date) -> int:
    warnings = {case.pk: w for case in cases if (w := _warning(case, today)) is not None}
    sent = set(
        OutboxMail.objects.filter(key__in=[key for key, _, _ in warnings.values()]).values_list(
            "key", flat=True
        )
    )
    fresh = [case for case in cases if case.pk in warnings and warnings[case.pk][0] not in sent]
    addresses = case_staff_addresses(fresh)
    made = 0
    for case in fresh:
        key, subject, body = warnings[case.pk]
        with transaction.atomic():
            if mail_enqueue(key=key, to=addresses[case.pk], subject=subject, body=body):
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

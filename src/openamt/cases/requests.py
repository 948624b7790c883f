"""Nachforderungen: the authority asks the applicant for named documents or
answers by a deadline (the applicant's duty to cooperate, § 26 (2) VwVfG).

The request goes out as a Postfach message listing what is asked and by
when, and the case waits for the applicant. A reminder follows a configured
number of working days before the deadline (`OPENAMT_REQUEST_REMINDER_WORKDAYS`),
sent once by `openamt request-reminders`; a deadline passed without an answer
shows on the case page. The applicant's reply is received by
`cases.messages.case_reply_receive`.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.constants import TRANSITIONS, CaseStatus
from openamt.cases.messages import NO_POSTFACH, case_message_deliver, has_postfach
from openamt.cases.models import Case, InformationRequest
from openamt.cases.selectors import case_require_writer
from openamt.cases.services import case_transition
from openamt.core.audit import audit_record
from openamt.core.errors import DomainError, InvalidInput, InvalidTransition
from openamt.core.workdays import add_working_days

logger = logging.getLogger(__name__)

MAX_ITEMS = 10
MAX_LABEL = 200
MAX_NOTE = 5000


@dataclass(frozen=True)
class RequestItem:
    """One thing asked for: its name, and whether a file is expected."""

    label: str
    file: bool


def reminder_day(deadline: datetime.date) -> datetime.date:
    """The day the applicant is reminded: `OPENAMT_REQUEST_REMINDER_WORKDAYS`
    working days of the Land before the deadline (weekends and public
    holidays skipped, the deadline itself not counted)."""
    return add_working_days(deadline, -settings.OPENAMT_REQUEST_REMINDER_WORKDAYS)


def _clean_items(items: Sequence[RequestItem]) -> list[dict[str, object]]:
    cleaned = [
        {"label": item.label.strip(), "file": bool(item.file)}
        for item in items
        if item.label.strip()
    ]
    if not cleaned:
        raise InvalidInput("Bitte nennen Sie mindestens eine Unterlage oder Angabe.", field="items")
    if len(cleaned) > MAX_ITEMS or any(len(str(item["label"])) > MAX_LABEL for item in cleaned):
        raise InvalidInput(
            f"Höchstens {MAX_ITEMS} Punkte mit je bis zu {MAX_LABEL} Zeichen.", field="items"
        )
    return cleaned


def _item_lines(items: Sequence[dict[str, object]]) -> str:
    return "\n".join(
        f"- {item['label']}" + (" (bitte als Datei hochladen)" if item["file"] else "")
        for item in items
    )


def request_body(
    *, case: Case, items: Sequence[dict[str, object]], deadline: datetime.date, note: str
) -> str:
    """The text of the Nachforderung as the applicant reads it."""
    parts = [
        f"zu Ihrem Antrag {case.reference} ({case.service.name}) benötigen wir noch:",
        _item_lines(items),
        f"Bitte antworten Sie bis zum {deadline:%d.%m.%Y} auf diese Nachricht: "
        "Schreiben Sie Ihre Angaben in die Antwort und laden Sie die Dateien dort hoch.",
    ]
    if note:
        parts.insert(2, note)
    return (
        "Guten Tag,\n\n"
        + "\n\n".join(parts)
        + f"\n\nMit freundlichen Grüßen\n{case.authority.name}"
    )


@transaction.atomic
def information_request_create(
    *,
    actor: User,
    case: Case,
    items: Sequence[RequestItem],
    deadline: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> InformationRequest:
    """Ask the applicant for `items` by `deadline` (a date after `today`, the
    last day included): a Postfach message lists them, the case moves to
    "wartet auf Antragsteller" (unless it waits already), and the reminder
    day is set. InvalidInput at `items`, `deadline`, `note`, or for an
    applicant without a Servicekonto; InvalidTransition if the case cannot
    wait (decided, closed); PermissionDenied for a reader. Nothing is sent
    or changed then. Audited (`case.request_create`, the transition, the message)."""
    case_require_writer(user=actor, authority_id=case.authority_id)
    today = today or timezone.localdate()
    cleaned = _clean_items(items)
    if deadline <= today:
        raise InvalidInput("Die Frist muss nach dem heutigen Tag liegen.", field="deadline")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"Der Hinweis hat höchstens {MAX_NOTE} Zeichen.", field="note")
    if not has_postfach(case):
        raise InvalidInput(NO_POSTFACH, field="items")
    locked = Case.objects.select_for_update().select_related("authority", "service").get(pk=case.pk)
    if locked.status != CaseStatus.WAITING_APPLICANT:
        if CaseStatus.WAITING_APPLICANT not in TRANSITIONS.get(locked.status, frozenset()):
            raise InvalidTransition(
                f"Zu einem Vorgang im Status „{locked.get_status_display()}“ "
                "kann nichts nachgefordert werden."
            )
        case_transition(
            actor=actor, case=locked, to=CaseStatus.WAITING_APPLICANT, reason="Nachforderung"
        )
    remind_on = max(reminder_day(deadline), today)
    sent = case_message_deliver(
        actor=actor,
        case=locked,
        subject=f"Nachforderung zu Ihrem Antrag {locked.reference}",
        body=request_body(case=locked, items=cleaned, deadline=deadline, note=note),
        files_=(),
        title="Nachforderung",
    )
    request = InformationRequest.objects.create(
        case=locked,
        items=cleaned,
        deadline=deadline,
        remind_on=remind_on,
        message=sent.message,
        created_by=actor,
    )
    sent.link.request = request
    sent.link.save(update_fields=["request"])
    audit_record(
        actor=actor,
        action="case.request_create",
        target=locked,
        authority_id=locked.authority_id,
        changes={
            "request": str(request.public_id),
            "items": len(cleaned),
            "deadline": deadline.isoformat(),
        },
    )
    return request


def reminder_body(request: InformationRequest) -> str:
    case = request.case
    return (
        f"Guten Tag,\n\nwir erinnern Sie an unsere Nachforderung zu Ihrem Antrag {case.reference}. "
        f"Bitte antworten Sie bis zum {request.deadline:%d.%m.%Y}. Wir benötigen noch:\n\n"
        f"{_item_lines(request.items)}\n\n"
        "Antworten Sie dazu im Postfach auf diese Nachricht oder auf die Nachforderung."
        f"\n\nMit freundlichen Grüßen\n{case.authority.name}"
    )


@transaction.atomic
def _remind(request_id: int, now: datetime.datetime) -> bool:
    # The conditional update claims the reminder: a second run (or a second
    # worker) finds it taken and sends nothing.
    claimed = InformationRequest.objects.filter(
        pk=request_id, status=InformationRequest.Status.OPEN, reminded_at__isnull=True
    ).update(reminded_at=now)
    if not claimed:
        return False
    request = InformationRequest.objects.select_related("case__authority", "case__service").get(
        pk=request_id
    )
    if not has_postfach(request.case):  # the account is gone: the file shows the request open
        return True
    sent = case_message_deliver(
        actor=None,
        case=request.case,
        subject=f"Erinnerung: Nachforderung zu Ihrem Antrag {request.case.reference}",
        body=reminder_body(request),
        files_=(),
        request=request,
        idempotency_key=f"nachforderung-{request.public_id}-erinnerung",
        title="Erinnerung an die Nachforderung",
    )
    request.reminder = sent.message
    request.save(update_fields=["reminder"])
    audit_record(
        actor=None,
        action="case.request_remind",
        target=request.case,
        authority_id=request.case.authority_id,
        changes={"request": str(request.public_id)},
    )
    return True


def information_requests_remind(*, today: datetime.date | None = None) -> int:
    """Send the reminder of every open Nachforderung whose reminder day has
    come (and whose deadline has not passed): a Postfach message, whose
    e-mail notice goes through the outbox. Each reminder is sent once,
    however often this runs (`openamt request-reminders`, e.g. daily);
    returns how many were sent now."""
    today = today or timezone.localdate()
    due = InformationRequest.objects.filter(
        status=InformationRequest.Status.OPEN,
        reminded_at__isnull=True,
        remind_on__lte=today,
        deadline__gte=today,
    ).values_list("pk", flat=True)
    now = timezone.now()
    sent = 0
    for pk in list(due):
        # One request that cannot be reminded (its Postfach refuses) never
        # stops the others; it stays unreminded and is tried on the next run.
        try:
            sent += _remind(pk, now)
        except DomainError:
            logger.warning("reminder of information request %s not sent", pk, exc_info=True)
    return sent


def information_requests_of_case(*, case: Case) -> QuerySet[InformationRequest]:
    """The case's Nachforderungen, oldest first, with their messages."""
    return InformationRequest.objects.filter(case=case).select_related("message", "reminder")


def is_overdue(request: InformationRequest, *, today: datetime.date | None = None) -> bool:
    """Open and past its deadline (the deadline day itself still counts)."""
    return request.status == InformationRequest.Status.OPEN and request.deadline < (
        today or timezone.localdate()
    )


def information_requests_overdue(
    *, cases: QuerySet[Case], today: datetime.date | None = None
) -> QuerySet[InformationRequest]:
    """Open Nachforderungen of `cases` whose deadline has passed: the caseworker
    decides on the file as it is, or asks again."""
    return InformationRequest.objects.filter(
        case__in=cases,
        status=InformationRequest.Status.OPEN,
        deadline__lt=today or timezone.localdate(),
    )

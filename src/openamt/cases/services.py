"""Case work: opening a case (from an online application or by hand), status
transitions by the table in `constants`, assignment, priorities, notes and
Wiedervorlage. Every change is audited (GUIDE §7, §8 "State machines")."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases import files
from openamt.cases.constants import (
    OPEN_STATUSES,
    TRANSITIONS,
    CaseStatus,
    Channel,
    DocumentKind,
    Priority,
)
from openamt.cases.models import Case, FilingPlanEntry, Team
from openamt.cases.rules import processing_deadline
from openamt.cases.search import case_search_index
from openamt.cases.selectors import WRITERS, case_require_writer
from openamt.catalogue.models import Service
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, InvalidTransition
from openamt.forms.display import answer_rows
from openamt.organisations.models import Authority, AuthorityRole
from openamt.submissions.models import Submission
from openamt.submissions.receipt import receipt_pdf
from openamt.submissions.services import reference_next

MAX_TAGS = 10
NAME_ATTRIBUTES = ("given_name", "family_name")
ADDRESS = ("street", "postcode", "city")


class Keep(enum.Enum):
    """A value `cases_assign` leaves as it is (None would mean: no team)."""

    TEAM = "team"


def filing_entry_for(*, authority_id: int, service_id: int) -> FilingPlanEntry | None:
    """The authority's filing plan entry its cases of this service are filed
    under (the lowest code, should a service be listed twice)."""
    return (
        FilingPlanEntry.objects.filter(authority_id=authority_id, services=service_id)
        .order_by("code")
        .first()
    )


def _file_number(entry: FilingPlanEntry | None, reference: str) -> str:
    # Aktenzeichen: the filing plan code, then the case's own number.
    return f"{entry.code}-{reference}" if entry else reference


DeadlineDates = tuple[datetime.date | None, datetime.date | None, datetime.date | None]


def _deadline_dates(
    received_on: datetime.date, service: Service, authority: Authority
) -> DeadlineDates:
    """(Frist, Vorwarnung, Genehmigungsfiktion) of an application received on
    `received_on`, by the service's processing period in force that day
    (cases.rules); all None where it has none."""
    deadline = processing_deadline(received_on=received_on, service=service, authority=authority)
    if deadline is None:
        return None, None, None
    return deadline.due_on, deadline.warning_on, deadline.fiction_on


def _deadlines(case: Case, service: Service) -> None:
    """The statutory dates of a new case."""
    received_on = timezone.localtime(case.received_at).date()
    case.due_on, case.warn_on, case.fiction_on = _deadline_dates(
        received_on, service, case.authority
    )


def cases_deadlines_recompute(*, service: Service, authority_id: int | None) -> int:
    """Recompute the statutory dates (Frist, Vorwarnung, Genehmigungsfiktion)
    of the open cases of `service` at `authority_id` (None: at every
    authority, after a Land-wide rule changed), each by the rule in force on
    its day of receipt, after a processing deadline was created, corrected or
    removed. A rule valid from a later day leaves earlier cases as they were;
    a corrected rule corrects them. Returns how many cases changed. Call it in
    the transaction that changed the rule; one rule lookup per authority and
    day of receipt, not per case."""
    cases = Case.objects.filter(service=service, status__in=OPEN_STATUSES).select_related(
        "authority"
    )
    if authority_id is not None:
        cases = cases.filter(authority_id=authority_id)
    computed: dict[tuple[int, datetime.date], DeadlineDates] = {}
    changed = []
    now = timezone.now()  # the API's `updated_since` shows the new dates
    columns = ("pk", "authority", "received_at", "due_on", "warn_on", "fiction_on", "updated_at")
    for case in cases.only(*columns):
        received_on = timezone.localtime(case.received_at).date()
        key = (case.authority_id, received_on)
        if key not in computed:
            computed[key] = _deadline_dates(received_on, service, case.authority)
        if computed[key] != (case.due_on, case.warn_on, case.fiction_on):
            case.due_on, case.warn_on, case.fiction_on = computed[key]
            case.updated_at = now
            changed.append(case)
    fields = ["due_on", "warn_on", "fiction_on", "updated_at"]
    Case.objects.bulk_update(changed, fields, batch_size=500)
    return len(changed)


def _search_document(case: Case, service: Service, texts: Iterable[str]) -> str:
    parts = [case.reference, case.file_number, case.applicant_name, service.name, *texts]
    return " ".join(part for part in parts if part)[:20000]


def _answer_texts(submission: Submission) -> list[str]:
    rows = answer_rows(submission.version.definition, submission.answers)
    return [value for _, pairs in rows for _, value in pairs if value]


def _top_level_items(submission: Submission) -> Iterable[dict[str, Any]]:
    for step in submission.version.definition.get("steps", []):
        yield from (item for item in step.get("items", []) if "key" in item)


def _applicant_name(submission: Submission) -> str:
    """The applicant's name from the answers the form marks as the holder's
    given and family name (their `prefill`), else the account's name."""
    keys = {item.get("prefill"): item["key"] for item in _top_level_items(submission)}
    parts = [submission.answers.get(keys.get(name, ""), "") for name in NAME_ATTRIBUTES]
    name = " ".join(part.strip() for part in parts if isinstance(part, str) and part.strip())
    if name:
        return name
    user = submission.user
    if user is not None:
        return user.get_full_name() or user.email or user.username
    return "unbekannt"


def _applicant_address(submission: Submission) -> dict[str, str]:
    """The first address the form asks for: where post reaches the applicant."""
    for item in _top_level_items(submission):
        value = submission.answers.get(item["key"])
        if item.get("type") == "address" and isinstance(value, dict):
            return {key: str(value.get(key, "")) for key in ADDRESS}
    return {}


@transaction.atomic
def case_open_from_submission(*, submission: Submission) -> Case:
    """The case of an online application that reached the platform's Eingang:
    opened once (the same submission again returns its case), with the
    application as PDF and every attachment in its file. Audited."""
    existing = Case.objects.filter(submission=submission).first()
    if existing is not None:
        return existing
    service = submission.version.form.service
    entry = filing_entry_for(authority_id=submission.authority_id, service_id=service.pk)
    case = Case(
        authority_id=submission.authority_id,
        reference=submission.reference,
        file_number=_file_number(entry, submission.reference),
        service=service,
        submission=submission,
        filing_plan_entry=entry,
        channel=Channel.ONLINE,
        applicant_user=submission.user,
        applicant_name=_applicant_name(submission)[:200],
        applicant_address=_applicant_address(submission),
        received_at=submission.submitted_at,
    )
    case.search_document = _search_document(case, service, _answer_texts(submission))
    _deadlines(case, service)
    case.save(force_insert=True)
    case_search_index(case_ids=[case.pk])
    audit_record(
        actor=None,
        action="case.open",
        target=case,
        authority_id=case.authority_id,
        changes={"submission": submission.reference, "channel": Channel.ONLINE},
    )
    title = submission.version.definition.get("title", submission.version.form.title)
    files.file_document_add(
        case=case,
        kind=DocumentKind.APPLICATION,
        title=f"Antrag {title}",
        data=receipt_pdf(submission),
        name=f"Antrag {submission.reference}.pdf",
        author=None,
        author_name=case.applicant_name,
    )
    for attachment in submission.attachments.select_related("document").order_by("pk"):
        files.file_document_link(
            case=case,
            kind=DocumentKind.ATTACHMENT,
            title=attachment.name,
            document=attachment.document,
            filename=attachment.name[:120],
            author=None,
            author_name=case.applicant_name,
        )
    return case


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@transaction.atomic
def case_open(
    *,
    actor: User,
    authority: Authority,
    service: Service,
    channel: str,
    applicant_name: str,
    applicant_address: dict[str, str],
    received_at: datetime.datetime | None = None,
    scans: Sequence[Upload] = (),
) -> Case:
    """A case for an application on paper, by phone or at the counter, with
    its scanned documents. InvalidInput (at the field) for a missing name or
    an online channel; PermissionDenied unless the actor works on the
    authority's cases. Audited."""
    case_require_writer(user=actor, authority_id=authority.pk)
    name = applicant_name.strip()
    if not name:
        raise InvalidInput("Bitte geben Sie den Namen des Antragstellers an.", field="name")
    if channel == Channel.ONLINE or channel not in Channel.values:
        raise InvalidInput("Bitte wählen Sie, wie der Antrag eingegangen ist.", field="channel")
    reference = reference_next(authority_id=authority.pk)
    entry = filing_entry_for(authority_id=authority.pk, service_id=service.pk)
    case = Case(
        authority=authority,
        reference=reference,
        file_number=_file_number(entry, reference),
        service=service,
        filing_plan_entry=entry,
        channel=channel,
        applicant_name=name[:200],
        applicant_address={key: applicant_address.get(key, "").strip() for key in ADDRESS},
        received_at=received_at or timezone.now(),
        assignee=actor,
    )
    case.search_document = _search_document(case, service, case.applicant_address.values())
    _deadlines(case, service)
    case.save(force_insert=True)
    case_search_index(case_ids=[case.pk])
    audit_record(
        actor=actor,
        action="case.open",
        target=case,
        authority_id=authority.pk,
        changes={"channel": channel},
    )
    for upload in scans:
        files.file_document_add(
            case=case,
            kind=DocumentKind.SCAN,
            title=upload.name,
            data=upload.data,
            name=upload.name,
            author=actor,
            author_name=files.display_name(actor),
            field="scans",
        )
    return case


def _retention_until(case: Case, closed: datetime.datetime) -> datetime.date | None:
    # The retention period begins at the end of the year the file is closed in.
    entry = case.filing_plan_entry
    if entry is None:
        return None
    return datetime.date(timezone.localtime(closed).year + entry.retention_years, 12, 31)


@transaction.atomic
def case_transition(
    *, actor: User | None, case: Case, to: str, reason: str = "", client_id: str = ""
) -> Case:
    """Move the case to status `to` if the transition table allows it
    (InvalidTransition otherwise, nothing changed). Deciding stamps the
    decision time; closing stamps the close and the end of retention
    (filing plan). `actor=None` is the platform itself (an applicant's answer)
    or, with `client_id`, the authority's software through the API. Audited
    with the reason and the client."""
    if actor is not None:
        case_require_writer(user=actor, authority_id=case.authority_id)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if to not in TRANSITIONS.get(locked.status, frozenset()):
        raise InvalidTransition(
            f"Ein Vorgang im Status „{locked.get_status_display()}“ kann nicht "
            f"„{CaseStatus(to).label if to in CaseStatus.values else to}“ werden."
        )
    before = locked.status
    now = timezone.now()
    locked.status = to
    fields = ["status", "updated_at"]
    if to == CaseStatus.DECIDED:
        locked.decided_at = now
        fields.append("decided_at")
    if to == CaseStatus.CLOSED:
        locked.closed_at = now
        locked.retention_until = _retention_until(locked, now)
        fields += ["closed_at", "retention_until"]
    locked.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="case.transition",
        target=locked,
        authority_id=locked.authority_id,
        changes={
            "status": [before, to],
            **({"reason": reason} if reason else {}),
            **({"client": client_id} if client_id else {}),
        },
    )
    return locked


def _writable(actor: User, cases: Sequence[Case]) -> None:
    for authority_id in {case.authority_id for case in cases}:
        case_require_writer(user=actor, authority_id=authority_id)


@transaction.atomic
def cases_assign(
    *,
    actor: User,
    cases: Sequence[Case],
    assignee: User | None,
    team: Team | Keep | None = Keep.TEAM,
) -> int:
    """Give the cases to `assignee` (None: to nobody) and to `team` (None: to
    no team, which every caseworker of the authority sees; Keep.TEAM, the
    default: each keeps its team). The assignee must work on cases of each
    case's authority and the team belong to it (InvalidInput otherwise,
    nothing changed). Returns how many cases changed; each change is audited."""
    _writable(actor, cases)
    authorities = {case.authority_id for case in cases}
    if assignee is not None:
        allowed = set(
            AuthorityRole.objects.filter(
                user=assignee, authority_id__in=authorities, role__in=WRITERS
            ).values_list("authority_id", flat=True)
        )
        if allowed != authorities:
            raise InvalidInput(
                "Diese Person bearbeitet keine Vorgänge dieser Behörde.", field="assignee"
            )
    if isinstance(team, Team) and authorities != {team.authority_id}:
        raise InvalidInput("Dieses Team gehört nicht zu dieser Behörde.", field="team")
    changed = 0
    for case in Case.objects.select_for_update().filter(pk__in=[c.pk for c in cases]):
        before = {"assignee": case.assignee_id, "team": case.team_id}
        case.assignee = assignee
        if team is not Keep.TEAM:
            case.team = team
        after = {"assignee": case.assignee_id, "team": case.team_id}
        if after == before:
            continue
        case.save(update_fields=["assignee", "team", "updated_at"])
        audit_record(
            actor=actor,
            action="case.assign",
            target=case,
            authority_id=case.authority_id,
            changes={key: [before[key], after[key]] for key in after if after[key] != before[key]},
        )
        changed += 1
    return changed


@transaction.atomic
def cases_transition(*, actor: User, cases: Sequence[Case], to: str) -> int:
    """Move every case to `to`; all or none (InvalidTransition names the first
    case that cannot). Returns how many cases moved."""
    for case in cases:
        case_transition(actor=actor, case=case, to=to)
    return len(cases)


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    priority: int,
    tags: Sequence[str],
    resubmission_on: datetime.date | None,
) -> Case:
    """Priority, tags (at most ten, each up to 40 characters) and the
    Wiedervorlage date. InvalidInput at the field; audited with what changed."""
    case_require_writer(user=actor, authority_id=case.authority_id)
    if priority not in Priority.values:
        raise InvalidInput("Bitte wählen Sie eine Priorität.", field="priority")
    cleaned = list(dict.fromkeys(tag.strip() for tag in tags if tag.strip()))
    if len(cleaned) > MAX_TAGS or any(len(tag) > 40 for tag in cleaned):
        raise InvalidInput(
            f"Höchstens {MAX_TAGS} Schlagworte mit je bis zu 40 Zeichen.", field="tags"
        )
    locked = Case.objects.select_for_update().get(pk=case.pk)
    before = {
        "priority": locked.priority,
        "tags": locked.tags,
        "resubmission_on": locked.resubmission_on,
    }
    locked.priority, locked.tags, locked.resubmission_on = priority, cleaned, resubmission_on
    after = {"priority": priority, "tags": cleaned, "resubmission_on": resubmission_on}
    changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changes:
        locked.save(update_fields=["priority", "tags", "resubmission_on", "updated_at"])
        audit_record(
            actor=actor,
            action="case.update",
            target=locked,
            authority_id=locked.authority_id,
            changes=changes,
        )
    return locked


def case_note_add(*, actor: User, case: Case, text: str) -> None:
    """An internal note (Vermerk), filed as a PDF document of the case with
    its text. InvalidInput for an empty or overlong note."""
    case_require_writer(user=actor, authority_id=case.authority_id)
    body = text.strip()
    if not body:
        raise InvalidInput("Bitte schreiben Sie den Vermerk.", field="text")
    if len(body) > 10000:
        raise InvalidInput("Ein Vermerk hat höchstens 10.000 Zeichen.", field="text")
    author_name = files.display_name(actor)
    files.file_pdf_add(
        case=case,
        kind=DocumentKind.NOTE,
        title=f"Vermerk vom {timezone.localdate():%d.%m.%Y}",
        template="cases/note.html",
        context={"text": body, "author": author_name, "written_at": timezone.now()},
        author=actor,
        author_name=author_name,
        text=body,
    )

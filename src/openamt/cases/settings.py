"""What an authority's administrators configure for their case work: teams,
the filing plan (Aktenplan), decision templates and their own processing
deadlines per service.

Every service here takes the acting user, refuses anyone but the authority's
administrators (or the Land's) with PermissionDenied, raises InvalidInput
naming the form field for input the rules refuse (then nothing is saved) and
writes one audit entry per change.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet

from openamt.accounts.models import User
from openamt.cases.decisions import TEXT_FIELDS, placeholders_check
from openamt.cases.models import DecisionTemplate, FilingPlanEntry, Team
from openamt.cases.models.rules import ServiceDeadline
from openamt.cases.services import cases_deadlines_recompute
from openamt.catalogue.models import Service
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.organisations import permissions
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority

ADMINS_ONLY = "Nur Administratoren der Behörde richten die Vorgangsbearbeitung ein."
# Who may work in a team: the authority's caseworkers and administrators
# (auditors with read access and finance staff work on no cases).
TEAM_ROLES = (AuthorityRoleName.CASEWORKER, AuthorityRoleName.ADMIN)
MAX_RETENTION_YEARS = 100


def _require_admin(actor: User | None, authority: Authority) -> None:
    if actor is None or not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied(ADMINS_ONLY)


def _required(value: str, *, field: str, label: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(f"Bitte geben Sie „{label}“ an.", field=field)
    return value


def team_member_candidates(*, authority: Authority) -> QuerySet[User]:
    """The users who may be members of the authority's teams, by username."""
    return (
        User.objects.filter(
            authority_roles__authority=authority, authority_roles__role__in=TEAM_ROLES
        )
        .distinct()
        .order_by("username")
    )


def _team_name(authority: Authority, name: str, *, exclude: int | None) -> str:
    name = _required(name, field="name", label="Name")
    if Team.objects.filter(authority=authority, name=name).exclude(pk=exclude or 0).exists():
        raise InvalidInput("Ein Team mit diesem Namen gibt es schon.", field="name")
    return name


@transaction.atomic
def team_create(
    *, actor: User | None, authority: Authority, name: str, members: Iterable[User] = ()
) -> Team:
    """A new team of the authority with `members` (see `team_members_set`).
    InvalidInput (field `name`) for an empty name or one the authority has."""
    _require_admin(actor, authority)
    team = Team.objects.create(authority=authority, name=_team_name(authority, name, exclude=None))
    member_ids = _members_check(authority, members)
    team.members.set(member_ids)
    audit_record(
        actor=actor,
        action="team.create",
        target=team,
        authority_id=authority.pk,
        changes={"name": team.name, "members": member_ids},
    )
    return team


def _members_check(authority: Authority, members: Iterable[User]) -> list[int]:
    wanted = sorted({user.pk for user in members})
    allowed = set(
        team_member_candidates(authority=authority)
        .filter(pk__in=wanted)
        .values_list("pk", flat=True)
    )
    if set(wanted) - allowed:
        raise InvalidInput(
            "Mitglied eines Teams kann nur sein, wer in dieser Behörde "
            "Sachbearbeitung oder Administration ist.",
            field="members",
        )
    return wanted


@transaction.atomic
def team_update(*, actor: User | None, team: Team, name: str, members: Iterable[User]) -> Team:
    """Rename the team and set its members (only the authority's caseworkers
    and admins: InvalidInput at `members` otherwise)."""
    authority = team.authority
    _require_admin(actor, authority)
    old = {"name": team.name, "members": sorted(team.members.values_list("pk", flat=True))}
    team.name = _team_name(authority, name, exclude=team.pk)
    member_ids = _members_check(authority, members)
    team.save(update_fields=["name"])
    team.members.set(member_ids)
    new = {"name": team.name, "members": member_ids}
    audit_record(
        actor=actor,
        action="team.update",
        target=team,
        authority_id=authority.pk,
        changes={key: [old[key], new[key]] for key in new if old[key] != new[key]},
    )
    return team


@transaction.atomic
def team_delete(*, actor: User | None, team: Team) -> None:
    """Remove the team; its cases stay with the authority, given to no team."""
    _require_admin(actor, team.authority)
    audit_record(
        actor=actor,
        action="team.delete",
        target=team,
        authority_id=team.authority_id,
        changes={"name": team.name},
    )
    team.delete()


@transaction.atomic
def filing_plan_entry_save(
    *,
    actor: User | None,
    authority: Authority,
    entry: FilingPlanEntry | None = None,
    code: str,
    title: str,
    retention_years: int,
    appraisal: str,
    services: Iterable[Service],
) -> FilingPlanEntry:
    """Create (`entry` None) or change an entry of the authority's Aktenplan.

    `retention_years`: 0–100 years after the file is closed. `appraisal`:
    FilingPlanEntry.Appraisal (A/B/V). A service belongs to at most one entry
    of the authority, so that a new case finds its file number and retention
    unambiguously. InvalidInput (field = the form field) otherwise.
    """
    _require_admin(actor, authority)
    if entry is not None and entry.authority_id != authority.pk:
        raise PermissionDenied(ADMINS_ONLY)
    code = _required(code, field="code", label="Aktenplankennzeichen")
    title = _required(title, field="title", label="Betreff")
    # Primary keys start at 1: excluding 0 excludes nothing.
    exclude: int = entry.pk if entry else 0
    if FilingPlanEntry.objects.filter(authority=authority, code=code).exclude(pk=exclude).exists():
        raise InvalidInput("Dieses Aktenplankennzeichen gibt es schon.", field="code")
    if not 0 <= retention_years <= MAX_RETENTION_YEARS:
        raise InvalidInput(
            "Die Aufbewahrungsfrist liegt zwischen 0 und 100 Jahren.", field="retention_years"
        )
    if appraisal not in FilingPlanEntry.Appraisal.values:
        raise InvalidInput("Bitte wählen Sie einen Bewertungsvorschlag.", field="appraisal")
    service_list = sorted(set(services), key=lambda s: s.pk)
    taken = (
        FilingPlanEntry.services.through.objects.filter(
            filingplanentry__authority=authority, service__in=service_list
        )
        .exclude(filingplanentry_id=exclude)
        .select_related("service", "filingplanentry")
        .first()
    )
    if taken is not None:
        raise InvalidInput(
            f"„{taken.service.name}“ gehört schon zum Aktenplaneintrag "
            f"„{taken.filingplanentry.code}“.",
            field="services",
        )
    values = {
        "code": code,
        "title": title,
        "retention_years": retention_years,
        "appraisal": appraisal,
    }
    new_services = sorted(s.leika_key for s in service_list)
    if entry is None:
        entry = FilingPlanEntry.objects.create(authority=authority, **values)
        changes: dict[str, Any] = {**values, "services": new_services}
        action = "filing_plan_entry.create"
    else:
        old = {name: getattr(entry, name) for name in values}
        old["services"] = sorted(entry.services.values_list("leika_key", flat=True))
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
        new = {**values, "services": new_services}
        changes = {key: [old[key], new[key]] for key in new if old[key] != new[key]}
        action = "filing_plan_entry.update"
    entry.services.set(service_list)
    audit_record(
        actor=actor, action=action, target=entry, authority_id=authority.pk, changes=changes
    )
    return entry


@transaction.atomic
def filing_plan_entry_delete(*, actor: User | None, entry: FilingPlanEntry) -> None:
    """Remove an entry; InvalidInput while cases are filed under it (their
    file numbers and retention depend on it)."""
    _require_admin(actor, entry.authority)
    audit_record(
        actor=actor,
        action="filing_plan_entry.delete",
        target=entry,
        authority_id=entry.authority_id,
        changes={"code": entry.code, "title": entry.title},
    )
    try:
        with transaction.atomic():
            entry.delete()
    except ProtectedError as error:
        raise InvalidInput(
            "Unter diesem Eintrag sind Vorgänge abgelegt; er kann nicht entfernt werden."
        ) from error


TEMPLATE_FIELDS = (
    "service",
    "title",
    "subject",
    "operative",
    "reasons",
    "fee_cents",
    "fee_legal_basis",
    "legal_remedy",
    "cosign_required",
    "active",
)


@transaction.atomic
def decision_template_save(
    *,
    actor: User | None,
    authority: Authority,
    template: DecisionTemplate | None = None,
    service: Service | None,
    title: str,
    subject: str,
    operative: str,
    reasons: str = "",
    fee_cents: int = 0,
    fee_legal_basis: str = "",
    legal_remedy: str,
    cosign_required: bool = False,
    active: bool = True,
) -> DecisionTemplate:
    """Create (`template` None) or change a Bescheidvorlage; `service` None:
    for all services. `fee_cents` in euro cents (≥ 0). A fee needs its legal
    basis (§ 39 Abs. 1 VwVfG: the decision gives its essential reasons, and the
    fee is one); every decision needs a Rechtsbehelfsbelehrung (§ 58 VwGO).
    Texts may name only `cases.decisions.PLACEHOLDERS`. InvalidInput (field =
    the form field) otherwise."""
    _require_admin(actor, authority)
    if template is not None and template.authority_id != authority.pk:
        raise PermissionDenied(ADMINS_ONLY)
    values: dict[str, Any] = {
        "service": service,
        "title": _required(title, field="title", label="Bezeichnung"),
        "subject": _required(subject, field="subject", label="Betreff"),
        "operative": _required(operative, field="operative", label="Entscheidung (Tenor)"),
        "reasons": reasons.strip(),
        "fee_cents": fee_cents,
        "fee_legal_basis": fee_legal_basis.strip(),
        "legal_remedy": _required(
            legal_remedy, field="legal_remedy", label="Rechtsbehelfsbelehrung"
        ),
        "cosign_required": cosign_required,
        "active": active,
    }
    if fee_cents < 0:
        raise InvalidInput("Die Gebühr kann nicht negativ sein.", field="fee_euros")
    if fee_cents and not values["fee_legal_basis"]:
        raise InvalidInput(
            "Zu einer Gebühr gehört ihre Rechtsgrundlage: bitte angeben.", field="fee_legal_basis"
        )
    for name in TEXT_FIELDS:
        placeholders_check(values[name], field=name)
    changes: dict[str, Any]
    if template is None:
        template = DecisionTemplate.objects.create(authority=authority, **values)
        changes = {name: _plain(values[name]) for name in TEMPLATE_FIELDS}
        action = "decision_template.create"
    else:
        old = {name: _plain(getattr(template, name)) for name in TEMPLATE_FIELDS}
        for name, value in values.items():
            setattr(template, name, value)
        template.save()
        new = {name: _plain(values[name]) for name in TEMPLATE_FIELDS}
        changes = {key: [old[key], new[key]] for key in new if old[key] != new[key]}
        action = "decision_template.update"
    audit_record(
        actor=actor, action=action, target=template, authority_id=authority.pk, changes=changes
    )
    return template


def _plain(value: Any) -> Any:
    return value.leika_key if isinstance(value, Service) else value


@transaction.atomic
def decision_template_delete(*, actor: User | None, template: DecisionTemplate) -> None:
    """Remove a template; decisions drafted from it keep their own texts."""
    _require_admin(actor, template.authority)
    audit_record(
        actor=actor,
        action="decision_template.delete",
        target=template,
        authority_id=template.authority_id,
        changes={"title": template.title},
    )
    template.delete()


DEADLINE_FIELDS = (
    "processing_working_days",
    "warning_working_days",
    "approval_fiction",
    "fiction_months",
    "fiction_legal_basis",
    "legal_basis",
    "valid_from",
    "valid_to",
)


@transaction.atomic
def service_deadline_save(
    *,
    actor: User | None,
    authority: Authority,
    deadline: ServiceDeadline | None = None,
    service: Service,
    processing_working_days: int,
    warning_working_days: int,
    approval_fiction: bool = False,
    fiction_months: int = 3,
    fiction_legal_basis: str = "",
    legal_basis: str,
    valid_from: date,
    valid_to: date | None = None,
) -> ServiceDeadline:
    """Create (`deadline` None) or change the authority's own processing
    deadline for `service`, which overrides the Land-wide default while valid
    (`valid_from`..`valid_to` inclusive). Periods in working days of the Land;
    the warning lies before the end; a Genehmigungsfiktion (§ 42a VwVfG) needs
    the provision that orders it; two rows of one service must not be valid
    on the same day. InvalidInput (field = the form field) otherwise."""
    _require_admin(actor, authority)
    if deadline is not None and deadline.authority_id != authority.pk:
        raise PermissionDenied(ADMINS_ONLY)
    if processing_working_days < 1:
        raise InvalidInput(
            "Die Bearbeitungsfrist beträgt mindestens einen Arbeitstag.",
            field="processing_working_days",
        )
    if approval_fiction and not 1 <= fiction_months <= 12:
        raise InvalidInput(
            "Die Fiktionsfrist liegt zwischen 1 und 12 Monaten.", field="fiction_months"
        )
    values: dict[str, Any] = {
        "service": service,
        "processing_working_days": processing_working_days,
        "warning_working_days": warning_working_days,
        "approval_fiction": approval_fiction,
        "fiction_months": fiction_months,
        "fiction_legal_basis": fiction_legal_basis.strip(),
        "legal_basis": _required(legal_basis, field="legal_basis", label="Rechtsgrundlage"),
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    row = deadline or ServiceDeadline(authority=authority)
    old = {name: getattr(row, name) for name in DEADLINE_FIELDS} if deadline else {}
    deadline_service = deadline.service if deadline else None
    old_service = deadline_service.leika_key if deadline_service else None
    for name, value in values.items():
        setattr(row, name, value)
    try:
        # The model's rules (warning before the end, fiction with its basis,
        # no overlapping validity for the same service and authority).
        row.clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(messages[0], field=field) from error
    row.save()
    new = {name: getattr(row, name) for name in DEADLINE_FIELDS}
    changes: dict[str, Any]
    if old:
        changes = {key: [old[key], new[key]] for key in new if old[key] != new[key]}
        if old_service != service.leika_key:
            changes["service"] = [old_service, service.leika_key]
        action = "service_deadline.update"
    else:
        changes = {**new, "service": service.leika_key}
        action = "service_deadline.create"
    recomputed = cases_deadlines_recompute(service=service, authority_id=authority.pk)
    if deadline_service is not None and old_service != service.leika_key:
        recomputed += cases_deadlines_recompute(service=deadline_service, authority_id=authority.pk)
    changes["cases_recomputed"] = recomputed
    audit_record(actor=actor, action=action, target=row, authority_id=authority.pk, changes=changes)
    return row


@transaction.atomic
def service_deadline_delete(*, actor: User | None, deadline: ServiceDeadline) -> None:
    """Remove one of the authority's own deadlines (the Land-wide default
    applies again, also to the open cases it set dates for)."""
    if deadline.authority is None:
        raise PermissionDenied(ADMINS_ONLY)
    _require_admin(actor, deadline.authority)
    pk, service = deadline.pk, deadline.service
    deadline.delete()
    recomputed = cases_deadlines_recompute(service=service, authority_id=deadline.authority_id)
    deadline.pk = pk  # the entry names the row that was removed
    audit_record(
        actor=actor,
        action="service_deadline.delete",
        target=deadline,
        authority_id=deadline.authority_id,
        changes={
            "service": service.leika_key,
            "valid_from": deadline.valid_from,
            "cases_recomputed": recomputed,
        },
    )

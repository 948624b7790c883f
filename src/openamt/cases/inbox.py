"""The inbox of an authority's cases (reads only): who may open it, its
filters and sort orders, the choices of its forms, and the cases a bulk
action applies to. The list never reads answers or documents, and every
query starts from `case_list`, so a caseworker sees exactly her authority's
(and teams') cases.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import BooleanField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as Choose  # not the model
from django.db.models.expressions import OrderBy

from openamt.accounts.models import User
from openamt.cases.constants import OPEN_STATUSES, TRANSITIONS, CaseStatus
from openamt.cases.models import Case, Team
from openamt.cases.search import case_search
from openamt.cases.selectors import NOT_FOUND, READERS, WRITERS, case_list
from openamt.catalogue.models import Service
from openamt.core.errors import NotFound
from openamt.organisations.models import Authority, AuthorityRole
from openamt.organisations.permissions import AnyUser

PAGE_SIZE = 25
MAX_BULK = 100  # cases one bulk action may change (four pages)

# Status filter: the open cases (default), all cases, or one status.
OPEN, ALL = "offen", "alle"
# Assignee filter: mine, nobody's, or a user id; team filter: no team, or a team id.
ME, NOBODY, NO_TEAM = "mir", "niemand", "ohne"

# Sort keys of the URL ("-" first: descending) and the columns they order by;
# later columns break ties so that pages never overlap.
SORTS = {
    "eingang": ("received_at",),
    "frist": ("due_on", "received_at"),
    "prioritaet": ("priority", "received_at"),
    "status": ("status_rank", "received_at"),
}
DEFAULT_SORT = "-eingang"
SORT_LABELS = {
    "-eingang": "Eingang, neueste zuerst",
    "eingang": "Eingang, älteste zuerst",
    "frist": "Frist, nächste zuerst",
    "-frist": "Frist, späteste zuerst",
    "prioritaet": "Priorität, hohe zuerst",
    "-prioritaet": "Priorität, niedrige zuerst",
    "status": "Status, im Ablauf",
    "-status": "Status, rückwärts",
}
# The list's columns: nothing of the answers, the address or the search document.
LIST_FIELDS = (
    "public_id",
    "authority_id",
    "reference",
    "file_number",
    "applicant_name",
    "status",
    "priority",
    "received_at",
    "due_on",
    "warn_on",
    "resubmission_on",
    "service__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "team__name",
)


@dataclass(frozen=True)
class InboxQuery:
    """What the inbox shows: the filters and the sort order of its URL."""

    status: str = OPEN
    service_id: int | None = None
    assignee: str = ""  # "", ME, NOBODY or a user id
    team: str = ""  # "", NO_TEAM or a team id
    overdue: bool = False
    resubmission_due: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT


@dataclass(frozen=True)
class InboxChoices:
    """What the inbox's forms offer, as (id, label) pairs sorted by label."""

    services: list[tuple[int, str]]
    teams: list[tuple[int, str]]
    staff: list[tuple[int, str]]  # who may be given cases: caseworkers and admins

    def staff_ids(self) -> set[int]:
        return {pk for pk, _ in self.staff}


def inbox_access(*, user: AnyUser, authority_id: int) -> tuple[Authority, set[str]]:
    """The authority and the user's case roles in it, in one query. NotFound
    for anyone without a case role there (Land-wide roles see statistics,
    never a citizen's case)."""
    if not user.is_authenticated:
        raise NotFound(NOT_FOUND)
    rows = list(
        AuthorityRole.objects.filter(
            user=user, authority_id=authority_id, role__in=READERS
        ).select_related("authority")
    )
    if not rows:
        raise NotFound(NOT_FOUND)
    return rows[0].authority, {row.role for row in rows}


def can_work(roles: Iterable[str]) -> bool:
    """Whether these roles may change cases (bulk actions); auditors only read."""
    return bool(set(roles) & WRITERS)


def _status_rank() -> Choose:
    # The statuses in the order of the workflow (the order CaseStatus lists them).
    return Choose(
        *(When(status=value, then=Value(rank)) for rank, value in enumerate(CaseStatus)),
        default=Value(len(CaseStatus)),
        output_field=IntegerField(),
    )


def _ordering(sort: str) -> list[OrderBy]:
    descending = sort.startswith("-")
    columns = SORTS.get(sort.lstrip("-")) or SORTS["eingang"]
    ordering = []
    for column in (*columns, "id"):
        expression = F(column)
        if column == "due_on":
            # Cases without a deadline come last, whichever way.
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        else:
            ordering.append(expression.desc() if descending else expression.asc())
    return ordering


def _flag(condition: Q) -> Choose:
    # True or False, never NULL (a comparison with an empty date is NULL).
    return Choose(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def inbox_cases(
    *, user: AnyUser, authority_id: int, query: InboxQuery, today: datetime.date
) -> QuerySet[Case]:
    """The user's cases of the authority (`case_list`) with the filters of
    `query`, found by its search words, in its sort order; each row carries
    `is_overdue` (an open case past its deadline), `is_warned` (an open case
    in its warning period) and `is_resubmission_due` (Wiedervorlage today or
    earlier). One query for a page, one for the count."""
    cases = case_list(user=user, authority_id=authority_id)
    if query.status == OPEN:
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif query.status in CaseStatus.values:
        cases = cases.filter(status=query.status)
    if query.service_id is not None:
        cases = cases.filter(service_id=query.service_id)
    if query.assignee == ME:
        cases = cases.filter(assignee_id=user.pk)
    elif query.assignee == NOBODY:
        cases = cases.filter(assignee__isnull=True)
    elif query.assignee.isdigit():
        cases = cases.filter(assignee_id=int(query.assignee))
    if query.team == NO_TEAM:
        cases = cases.filter(team__isnull=True)
    elif query.team.isdigit():
        cases = cases.filter(team_id=int(query.team))
    if query.overdue:
        cases = cases.filter(due_on__lt=today, status__in=OPEN_STATUSES)
    if query.resubmission_due:
        cases = cases.filter(resubmission_on__lte=today)
    cases = case_search(cases, authority_id=authority_id, q=query.q)
    if query.sort.lstrip("-") == "status":
        cases = cases.annotate(status_rank=_status_rank())
    open_case = Q(status__in=OPEN_STATUSES)
    return (
        cases.select_related("service", "assignee", "team")
        .only(*LIST_FIELDS)
        .annotate(
            is_overdue=_flag(open_case & Q(due_on__lt=today)),
            is_warned=_flag(open_case & Q(warn_on__lte=today, due_on__gte=today)),
            is_resubmission_due=_flag(Q(resubmission_on__lte=today)),
        )
        .order_by(*_ordering(query.sort))
    )


def _label(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def inbox_choices(*, authority_id: int) -> InboxChoices:
    """The services the authority has cases of, its teams, and the staff its
    cases may be given to (caseworkers and administrators), in one query."""
    columns = ("kind", "pk", "a", "b", "c")
    services = (
        Service.objects.filter(
            pk__in=Case.objects.filter(authority_id=authority_id).values("service_id")
        )
        .annotate(kind=Value("s"), a=F("name"), b=Value(""), c=Value(""))
        .values_list(*columns)
        .order_by()
    )
    teams = (
        Team.objects.filter(authority_id=authority_id)
        .annotate(kind=Value("t"), a=F("name"), b=Value(""), c=Value(""))
        .values_list(*columns)
        .order_by()
    )
    staff = (
        User.objects.filter(
            authority_roles__authority_id=authority_id, authority_roles__role__in=WRITERS
        )
        .annotate(kind=Value("u"), a=F("first_name"), b=F("last_name"), c=F("username"))
        .values_list(*columns)
        .order_by()
    )
    found: dict[str, dict[int, str]] = {"s": {}, "t": {}, "u": {}}
    for kind, pk, a, b, c in services.union(teams, staff, all=True):
        found[kind][pk] = _label(a, b, c) if kind == "u" else a

    def ordered(kind: str) -> list[tuple[int, str]]:
        return sorted(found[kind].items(), key=lambda item: (item[1].casefold(), item[0]))

    return InboxChoices(services=ordered("s"), teams=ordered("t"), staff=ordered("u"))


def inbox_selected(
    *, user: AnyUser, authority_id: int, public_ids: Sequence[uuid.UUID]
) -> list[Case]:
    """The cases of a bulk action, from those the user may see; fewer than
    asked for when some are not (another authority's, another team's)."""
    return list(
        case_list(user=user, authority_id=authority_id)
        .filter(public_id__in=public_ids)
        .only("public_id", "authority_id", "reference", "status")
        .order_by("reference")
    )


def transition_blockers(cases: Iterable[Case], to: str) -> list[Case]:
    """The cases whose status may not become `to` (constants.TRANSITIONS)."""
    return [case for case in cases if to not in TRANSITIONS.get(case.status, frozenset())]

"""Which cases a staff user may see and change (GUIDE §2 "Tenancy").

Only an authority's own staff see its cases: administrators, caseworkers and
read-only auditors of that authority. Land-wide roles see statistics, never a
citizen's case. Where an authority has teams, a caseworker who belongs to one
sees her teams' cases and those given to no team; administrators and auditors
see all of the authority's cases. Anything else is "not found", so that staff
cannot probe which cases exist.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from openamt.accounts.models import User
from openamt.cases.models import Case, Team
from openamt.core.errors import NotFound, PermissionDenied
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import AuthorityRole
from openamt.organisations.permissions import AnyUser
from openamt.organisations.selectors import authority_admin_addresses

READERS = {AuthorityRoleName.ADMIN, AuthorityRoleName.CASEWORKER, AuthorityRoleName.READ_ONLY}
WRITERS = {AuthorityRoleName.ADMIN, AuthorityRoleName.CASEWORKER}
NOT_FOUND = "Diesen Vorgang gibt es nicht oder Sie haben keinen Zugriff."


def case_roles(*, user: AnyUser, authority_id: int) -> set[str]:
    """The user's case roles in one authority (empty for anyone else)."""
    if not user.is_authenticated:
        return set()
    return set(
        AuthorityRole.objects.filter(
            user=user, authority_id=authority_id, role__in=READERS
        ).values_list("role", flat=True)
    )


def case_visibility(*, user: AnyUser, authority_id: int) -> Q | None:
    """The filter of the authority's cases the user may see, None for none.
    One query for the roles, one for the teams of a caseworker."""
    roles = case_roles(user=user, authority_id=authority_id)
    if not roles:
        return None
    scope = Q(authority_id=authority_id)
    if roles & {AuthorityRoleName.ADMIN, AuthorityRoleName.READ_ONLY}:
        return scope
    teams = list(
        Team.objects.filter(authority_id=authority_id, members=user.pk).values_list("pk", flat=True)
    )
    if teams:
        scope &= Q(team__isnull=True) | Q(team_id__in=teams)
    return scope


def case_list(*, user: AnyUser, authority_id: int) -> QuerySet[Case]:
    """The authority's cases the user may see (none for anyone else)."""
    scope = case_visibility(user=user, authority_id=authority_id)
    return Case.objects.filter(scope) if scope is not None else Case.objects.none()


def case_get(
    *, user: AnyUser, public_id: uuid.UUID, change: bool = False, related: tuple[str, ...] = ()
) -> Case:
    """One case the user may see (`change=True`: may also work on), with the
    `related` rows joined in (select_related, for pages that show them).
    NotFound for a case of another authority or team; PermissionDenied for
    an auditor who asks to change."""
    row = Case.objects.filter(public_id=public_id).values_list("authority_id", flat=True)
    authority_id = next(iter(row), None)
    scope = case_visibility(user=user, authority_id=authority_id) if authority_id else None
    cases = Case.objects.select_related(*related) if related else Case.objects.all()
    case = cases.filter(scope, public_id=public_id).first() if scope is not None else None
    if case is None:
        raise NotFound(NOT_FOUND)
    if change:
        case_require_writer(user=user, authority_id=case.authority_id)
    return case


def case_require_writer(*, user: AnyUser, authority_id: int) -> None:
    """PermissionDenied unless the user works on the authority's cases."""
    if not case_roles(user=user, authority_id=authority_id) & WRITERS:
        raise PermissionDenied("Sie dürfen Vorgänge dieser Behörde nur lesen.")


def assignable_users(*, authority_id: int) -> QuerySet[User]:
    """Staff a case of the authority may be given to: its caseworkers and administrators."""
    return (
        User.objects.filter(
            authority_roles__authority_id=authority_id, authority_roles__role__in=WRITERS
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def case_staff_addresses(cases: Sequence[Case]) -> dict[int, list[str]]:
    """Whom the platform tells about each case, {case pk: addresses}: its
    caseworker if she is active and has an address, else the authority's
    administrators. Load the cases with `select_related("assignee")`; at most
    one query however many cases."""

    def own(case: Case) -> str:
        assignee = case.assignee
        return assignee.email if assignee is not None and assignee.is_active else ""

    others = sorted({case.authority_id for case in cases if not own(case)})
    admins = authority_admin_addresses(authority_ids=others) if others else {}
    return {case.pk: [own(case)] if own(case) else admins[case.authority_id] for case in cases}

"""Staff page: an authority's cases (its Eingang), filtered, searched, sorted
and paginated by the URL, with bulk assignment and status change.

Who may open it and what it lists come from `cases.inbox` (built on
`cases.selectors.case_list`); changes go through the case services, all or
nothing. Read-only auditors get the list without the bulk form, and a bulk
POST from them is refused (403).
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from openamt.accounts.models import User
from openamt.backoffice.inbox_forms import (
    ASSIGN,
    ASSIGN_ME,
    BULK_TARGETS,
    InboxBulkForm,
    InboxFilterForm,
    select_options,
)
from openamt.cases.constants import CaseStatus
from openamt.cases.inbox import (
    ME,
    NO_TEAM,
    NOBODY,
    PAGE_SIZE,
    InboxQuery,
    can_work,
    inbox_access,
    inbox_cases,
    inbox_choices,
    inbox_selected,
    transition_blockers,
)
from openamt.cases.models import Team
from openamt.cases.services import Keep, cases_assign, cases_transition
from openamt.core.errors import InvalidInput, InvalidTransition, NotFound, PermissionDenied
from openamt.organisations.models import Authority

SELECT_ALL = "alle"
ANY_CASE = uuid.UUID(int=0)
# Sortable columns and the direction their first click sorts in.
SORTABLE = {"eingang": "-eingang", "frist": "frist", "prioritaet": "prioritaet", "status": "status"}
NOTHING_CHANGED = "Es wurde nichts geändert."


def _cases(count: int) -> str:
    return f"{count} Vorgang" if count == 1 else f"{count} Vorgänge"


def _url(request: HttpRequest, **changes: str | None) -> str:
    """This page's URL with some parameters set (None: removed); a new sort
    or selection starts at page one again."""
    query: QueryDict = request.GET.copy()
    if "sortierung" in changes:
        query.pop("seite", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path


def _sort_links(request: HttpRequest, sort: str) -> dict[str, dict[str, str]]:
    links = {}
    for key, first in SORTABLE.items():
        active = sort.lstrip("-") == key
        descending = sort.startswith("-")
        following = (key if descending else f"-{key}") if active else first
        links[key] = {
            "url": _url(request, sortierung=following, auswahl=None),
            "state": ("descending" if descending else "ascending") if active else "",
            "next": "absteigend" if following.startswith("-") else "aufsteigend",
        }
    return links


def _bulk_apply(
    request: HttpRequest, authority: Authority, form: InboxBulkForm
) -> tuple[str, list[tuple[str, str]]]:
    """Run the bulk action: (success message, []) or ("", errors) with nothing changed."""
    if not form.is_valid():
        return "", []
    actor = cast(User, request.user)  # login_required
    cases = inbox_selected(user=actor, authority_id=authority.pk, public_ids=form.selected)
    if len(cases) != len(form.selected):
        return "", [
            (
                "vorgaenge",
                "Einige der ausgewählten Vorgänge gibt es nicht oder Sie haben keinen Zugriff. "
                + NOTHING_CHANGED,
            )
        ]
    data = form.cleaned_data
    try:
        if data["aktion"] in (ASSIGN, ASSIGN_ME):
            target = ME if data["aktion"] == ASSIGN_ME else data["an"]
            assignee = (
                actor
                if target == ME
                else None
                if target == NOBODY
                else User.objects.get(pk=int(target))
            )
            choice = data["team"] if data["aktion"] == ASSIGN else ""
            team: Team | Keep | None = (
                None
                if choice == NO_TEAM
                else Team.objects.get(pk=int(choice), authority=authority)
                if choice
                else Keep.TEAM
            )
            changed = cases_assign(actor=actor, cases=cases, assignee=assignee, team=team)
            whom = (
                "Ihnen"
                if assignee == actor
                else "niemandem"
                if assignee is None
                else (assignee.get_full_name() or assignee.username)
            )
            if isinstance(team, Team):
                whom += f" im Team „{team.name}“"
            elif team is None:
                whom += " ohne Team"
            return f"{_cases(changed)} {whom} zugewiesen.", []
        to = data["status"]
        moved = cases_transition(actor=actor, cases=cases, to=to)
        return f"{_cases(moved)} jetzt „{CaseStatus(to).label}“.", []
    except InvalidTransition as error:
        blockers = ", ".join(case.reference for case in transition_blockers(cases, data["status"]))
        return "", [("sammel-status", f"{error.message} Betroffen: {blockers}. {NOTHING_CHANGED}")]
    except InvalidInput as error:
        return "", [(f"sammel-{error.field or 'an'}", f"{error.message} {NOTHING_CHANGED}")]


def _errors(filters: InboxFilterForm, bulk: InboxBulkForm | None) -> list[tuple[str, str]]:
    """The error summary's entries: (anchor, text), each linked to its field."""
    found = [
        (f"filter-{name}", f"{filters.fields[name].label}: {error}")
        for name, errors in filters.errors.items()
        for error in errors
    ]
    if bulk is not None and bulk.is_bound:
        if bulk.selection_error:
            found.append(("vorgaenge", bulk.selection_error))
        found += [
            (f"sammel-{name}", f"{bulk.fields[name].label or 'Aktion'}: {error}")
            for name, errors in bulk.errors.items()
            if name != "__all__"
            for error in errors
        ]
    return found


@login_required
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        authority, roles = inbox_access(user=request.user, authority_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    writer = can_work(roles)
    if request.method == "POST" and not writer:
        raise Forbidden("Sie dürfen Vorgänge dieser Behörde nur lesen.")
    choices = inbox_choices(authority_id=pk)
    filters = InboxFilterForm(request.GET, choices=choices)
    query = filters.query()
    bulk = InboxBulkForm(None, choices=choices) if writer else None
    failures: list[tuple[str, str]] = []
    if request.method == "POST":
        bulk = InboxBulkForm(request.POST, choices=choices)
        try:
            done, failures = _bulk_apply(request, authority, bulk)
        except PermissionDenied as error:
            raise Forbidden(error.message) from error
        if done:
            messages.success(request, done)
            # Back to the same list, focus on the page's message.
            return redirect(_url(request, auswahl=None) + "#inhalt")
    cases = inbox_cases(user=request.user, authority_id=pk, query=query, today=timezone.localdate())
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("seite"))
    # One reverse for the page, not one per row.
    link = reverse("backoffice:case", kwargs={"case_id": ANY_CASE})
    for case in page:
        case.url = link.replace(str(ANY_CASE), str(case.public_id))  # type: ignore[attr-defined]
    select_all = request.GET.get("auswahl") == SELECT_ALL
    selected = {str(public_id) for public_id in bulk.selected} if bulk and bulk.is_bound else set()
    context: dict[str, Any] = {
        "authority": authority,
        "page": page,
        "filters": filters,
        "query": query,
        "filtered": query != InboxQuery(),
        "bulk": bulk,
        "filter_options": select_options(filters),
        "bulk_options": select_options(bulk) if bulk is not None else {},
        "writer": writer,
        "has_teams": bool(choices.teams),
        "targets": BULK_TARGETS,
        "sort_links": _sort_links(request, query.sort),
        "select_all": select_all,
        "selected": selected,
        "select_all_url": _url(request, auswahl=SELECT_ALL) + "#vorgaenge",
        "select_none_url": _url(request, auswahl=None) + "#vorgaenge",
        "reset_url": request.path,
        "errors": _errors(filters, bulk) + failures,
    }
    invalid = bool(failures) or (bulk is not None and bulk.is_bound and bool(bulk.errors))
    return render(request, "backoffice/inbox.html", context, status=422 if invalid else 200)

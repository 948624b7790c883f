"""Staff pages where an authority's administrators set up case work: teams,
the Aktenplan, Bescheidvorlagen and their own Bearbeitungsfristen.

Each page lists the authority's rows (paginated, a fixed number of queries)
and, for administrators only, a form: `?bearbeiten=<id>` fills it with a row
to change, else it creates one; POST `aktion=speichern` saves (hidden field
`eintrag` names the row being changed), `aktion=loeschen:<id>` removes a row.
Other staff of the authority see the lists and get 403 on POST; staff of
other authorities get 404 (`authority_or_404`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.models import User
from openamt.backoffice.case_settings_forms import (
    PLACEHOLDER_HELP,
    DecisionTemplateForm,
    FilingPlanEntryForm,
    ServiceDeadlineForm,
    TeamForm,
)
from openamt.backoffice.views import PAGE_SIZE, authority_or_404
from openamt.cases import settings as case_settings
from openamt.cases.decisions import PLACEHOLDERS
from openamt.cases.models import DecisionTemplate, FilingPlanEntry, ServiceDeadline, Team
from openamt.catalogue.models import Service
from openamt.core.errors import DomainError, PermissionDenied
from openamt.organisations import permissions
from openamt.organisations.models import Authority


@dataclass(frozen=True)
class _Page:
    template: str
    url_name: str
    form_class: type[Any]
    rows: Callable[[Authority], QuerySet[Any]]
    initial: Callable[[Any], dict[str, Any]]
    # (actor, authority, row or None, valid form) → saves
    save: Callable[[User, Authority, Any, Any], Any]
    delete: Callable[[User, Any], None]
    saved: str
    deleted: str


def _row(rows: QuerySet[Any], raw: str | None) -> Any:
    """The row of this authority with id `raw`; 404 for another's or none."""
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("Diesen Eintrag gibt es nicht.")
    row = rows.filter(pk=int(raw)).first()
    if row is None:
        raise Http404("Diesen Eintrag gibt es nicht.")
    return row


def _settings_page(
    request: HttpRequest, pk: int, page: _Page, extra: Callable[[Authority], dict[str, Any]]
) -> HttpResponse:
    authority = authority_or_404(request, pk)
    can_change = permissions.can_change_authority(request.user, authority.pk)
    if request.method == "POST" and not can_change:
        raise Forbidden(case_settings.ADMINS_ONLY)
    rows = page.rows(authority)
    action = request.POST.get("aktion", "") if request.method == "POST" else ""
    form = None
    if can_change:
        item = _row(rows, request.POST.get("eintrag") or request.GET.get("bearbeiten"))
        if action == "speichern":
            form = page.form_class(request.POST, authority=authority)
        else:
            form = page.form_class(
                initial=page.initial(item) if item else None, authority=authority
            )
        form.item = item
    if request.method == "POST":
        actor = cast(User, request.user)  # login_required
        try:
            if action.startswith("loeschen:"):
                target = _row(rows, action.split(":", 1)[1])
                if target is None:
                    raise Http404("Diesen Eintrag gibt es nicht.")
                page.delete(actor, target)
                messages.success(request, page.deleted)
                return redirect(page.url_name, pk=authority.pk)
            if form is not None and action == "speichern" and form.is_valid():
                page.save(actor, authority, form.item, form)
                messages.success(request, page.saved)
                return redirect(page.url_name, pk=authority.pk)
        except PermissionDenied as error:
            raise Forbidden(error.message) from error
        except DomainError as error:
            if form is None or action != "speichern":
                messages.error(request, error.message)
                return redirect(page.url_name, pk=authority.pk)
            form.add_error(error.field if error.field in form.fields else None, error.message)
    listing = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        page.template,
        {
            "authority": authority,
            "can_change": can_change,
            "page": listing,
            "form": form,
            "item": form.item if form is not None else None,
            **extra(authority),
        },
        status=422 if form is not None and form.errors else 200,
    )


def _no_extra(authority: Authority) -> dict[str, Any]:
    return {}


def _team_rows(authority: Authority) -> QuerySet[Team]:
    return Team.objects.filter(authority=authority).prefetch_related(
        Prefetch("members", queryset=User.objects.order_by("username").only("pk", "username"))
    )


def _team_save(actor: User, authority: Authority, team: Team | None, form: forms.Form) -> Any:
    data = form.cleaned_data
    if team is None:
        return case_settings.team_create(
            actor=actor, authority=authority, name=data["name"], members=data["members"]
        )
    return case_settings.team_update(
        actor=actor, team=team, name=data["name"], members=data["members"]
    )


TEAMS = _Page(
    template="backoffice/case_settings_teams.html",
    url_name="backoffice:case-settings-teams",
    form_class=TeamForm,
    rows=_team_rows,
    initial=lambda team: {"name": team.name, "members": list(team.members.all())},
    save=_team_save,
    delete=lambda actor, team: case_settings.team_delete(actor=actor, team=team),
    saved="Das Team ist gespeichert.",
    deleted="Das Team ist entfernt.",
)


@login_required
def teams(request: HttpRequest, pk: int) -> HttpResponse:
    """Teams of the authority and their members."""
    return _settings_page(request, pk, TEAMS, _no_extra)


def _filing_rows(authority: Authority) -> QuerySet[FilingPlanEntry]:
    return FilingPlanEntry.objects.filter(authority=authority).prefetch_related(
        Prefetch("services", queryset=Service.objects.order_by("name").only("pk", "name"))
    )


def _filing_save(
    actor: User, authority: Authority, entry: FilingPlanEntry | None, form: forms.Form
) -> Any:
    return case_settings.filing_plan_entry_save(
        actor=actor, authority=authority, entry=entry, **form.cleaned_data
    )


FILING_PLAN = _Page(
    template="backoffice/case_settings_filing_plan.html",
    url_name="backoffice:case-settings-filing-plan",
    form_class=FilingPlanEntryForm,
    rows=_filing_rows,
    initial=lambda entry: {
        "code": entry.code,
        "title": entry.title,
        "retention_years": entry.retention_years,
        "appraisal": entry.appraisal,
        "services": "\n".join(s.leika_key for s in entry.services.all()),
    },
    save=_filing_save,
    delete=lambda actor, entry: case_settings.filing_plan_entry_delete(actor=actor, entry=entry),
    saved="Der Eintrag des Aktenplans ist gespeichert.",
    deleted="Der Eintrag des Aktenplans ist entfernt.",
)


@login_required
def filing_plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The authority's Aktenplan: codes, retention, appraisal and services."""
    return _settings_page(request, pk, FILING_PLAN, _no_extra)


def _template_initial(template: DecisionTemplate) -> dict[str, Any]:
    values = {name: getattr(template, name) for name in case_settings.TEMPLATE_FIELDS}
    values["service"] = template.service.leika_key if template.service else ""
    values["fee_euros"] = f"{values.pop('fee_cents') / 100:.2f}".replace(".", ",")
    return values


def _template_save(
    actor: User, authority: Authority, template: DecisionTemplate | None, form: Any
) -> Any:
    return case_settings.decision_template_save(
        actor=actor, authority=authority, template=template, **form.service_values()
    )


DECISION_TEMPLATES = _Page(
    template="backoffice/case_settings_templates.html",
    url_name="backoffice:case-settings-templates",
    form_class=DecisionTemplateForm,
    rows=lambda authority: DecisionTemplate.objects.filter(authority=authority).select_related(
        "service"
    ),
    initial=_template_initial,
    save=_template_save,
    delete=lambda actor, template: case_settings.decision_template_delete(
        actor=actor, template=template
    ),
    saved="Die Bescheidvorlage ist gespeichert.",
    deleted="Die Bescheidvorlage ist entfernt.",
)


@login_required
def decision_templates(request: HttpRequest, pk: int) -> HttpResponse:
    """The authority's Bescheidvorlagen, with the placeholders they may use."""
    return _settings_page(
        request,
        pk,
        DECISION_TEMPLATES,
        lambda authority: {"placeholders": PLACEHOLDERS, "placeholder_help": PLACEHOLDER_HELP},
    )


def _deadline_save(
    actor: User, authority: Authority, deadline: ServiceDeadline | None, form: forms.Form
) -> Any:
    return case_settings.service_deadline_save(
        actor=actor, authority=authority, deadline=deadline, **form.cleaned_data
    )


DEADLINES = _Page(
    template="backoffice/case_settings_deadlines.html",
    url_name="backoffice:case-settings-deadlines",
    form_class=ServiceDeadlineForm,
    rows=lambda authority: (
        ServiceDeadline.objects.filter(authority=authority)
        .select_related("service")
        .order_by("service__name", "valid_from", "pk")
    ),
    initial=lambda row: {
        "service": row.service.leika_key,
        **{name: getattr(row, name) for name in case_settings.DEADLINE_FIELDS},
    },
    save=_deadline_save,
    delete=lambda actor, row: case_settings.service_deadline_delete(actor=actor, deadline=row),
    saved="Die Bearbeitungsfrist ist gespeichert.",
    deleted="Die Bearbeitungsfrist ist entfernt; es gilt wieder die landesweite Vorgabe.",
)


def _land_defaults(request: HttpRequest) -> Callable[[Authority], dict[str, Any]]:
    def extra(authority: Authority) -> dict[str, Any]:
        rows = (
            ServiceDeadline.objects.filter(authority__isnull=True)
            .select_related("service")
            .order_by("service__name", "valid_from", "pk")
        )
        return {"land_page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("landesweit"))}

    return extra


@login_required
def deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    """The authority's own Bearbeitungsfristen; the Land-wide defaults read-only."""
    return _settings_page(request, pk, DEADLINES, _land_defaults(request))

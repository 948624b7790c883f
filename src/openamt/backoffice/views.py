from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from openamt.accounts.models import User
from openamt.accounts.selectors import is_servicekonto
from openamt.backoffice.forms import (
    AuthorityContactForm,
    OpeningHoursFormSet,
    formset_error_links,
)
from openamt.cases.selectors import case_roles
from openamt.core.errors import DomainError, NotFound, PermissionDenied
from openamt.core.text import clean_query
from openamt.organisations import permissions, selectors, services
from openamt.organisations.models import Authority

PAGE_SIZE = 25


INVALID_LOGIN = (
    "Benutzername oder Passwort sind nicht korrekt. "
    "Nach fünf Fehlversuchen wird die Anmeldung für 15 Minuten gesperrt."
)


class StaffAuthenticationForm(AuthenticationForm):
    error_messages = {**AuthenticationForm.error_messages, "invalid_login": INVALID_LOGIN}

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if is_servicekonto(user):
            raise ValidationError(
                "Mit einem Servicekonto melden Sie sich unter „Servicekonto“ an, nicht hier. "
                "Diese Anmeldung ist für Beschäftigte der Verwaltung.",
                code="servicekonto",
            )


class StaffLoginView(auth_views.LoginView):
    template_name = "backoffice/login.html"
    authentication_form = StaffAuthenticationForm
    extra_context = {"invalid_login": INVALID_LOGIN}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # A citizen's session is no staff session: show the form instead of going on.
        self.redirect_authenticated_user = not is_servicekonto(request.user)
        return super().dispatch(request, *args, **kwargs)


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A staff page: a Servicekonto session is sent to the staff login like an
    anonymous visitor (the views check the staff member's roles themselves)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_servicekonto(request.user):
            return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
        return view(request, *args, **kwargs)

    return wrapper


class StaffLogoutView(auth_views.LogoutView):
    pass


def authority_or_404(request: HttpRequest, pk: int) -> Authority:
    try:
        return selectors.authority_get_for_user(user=request.user, pk=pk)
    except NotFound as error:
        raise Http404(error.message) from error


@login_required
def home(request: HttpRequest) -> HttpResponse:
    q = clean_query(request.GET.get("q", ""))
    authorities = selectors.authority_list_for_user(user=request.user, q=q)
    page = Paginator(authorities, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/home.html",
        {
            "page": page,
            "q": q,
            "land_roles": permissions.land_roles(request.user),
            "is_land_admin": permissions.is_land_admin(request.user),
        },
    )


@login_required
def authority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    return render(
        request,
        "backoffice/authority_detail.html",
        {
            "authority": authority,
            "staff": selectors.authority_staff(user=request.user, authority=authority),
            "can_change": permissions.can_change_authority(request.user, authority.pk),
            # The inbox, the post batches and the statistics are its case staff's.
            "works_on_cases": bool(case_roles(user=request.user, authority_id=authority.pk)),
        },
    )


def _initial_hours(authority: Authority) -> list[dict[str, Any]]:
    return [
        {"day": p["day"], "opens": p["opens"], "closes": p["closes"], "note": p.get("note", "")}
        for p in authority.opening_hours
    ]


@login_required
def authority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    if not permissions.can_change_authority(request.user, authority.pk):
        raise Http404("Diese Behörde gibt es nicht oder Sie haben keinen Zugriff.")
    if request.method == "POST":
        form = AuthorityContactForm(request.POST)
        hours = OpeningHoursFormSet(request.POST, prefix="zeiten")
        if form.is_valid() and hours.is_valid():
            periods = [
                {
                    "day": row["day"],
                    "opens": row["opens"],
                    "closes": row["closes"],
                    "note": row.get("note", ""),
                }
                for row in hours.cleaned_data
                if row and row.get("opens") is not None
            ]
            try:
                services.authority_update(
                    actor=cast(User, request.user),  # login_required
                    authority=authority,
                    data={**form.cleaned_data, "opening_hours": periods},
                )
            except PermissionDenied as error:
                raise Http404(error.message) from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "Die Angaben wurden gespeichert.")
                return redirect("backoffice:authority-detail", pk=authority.pk)
    else:
        form = AuthorityContactForm(
            initial={name: getattr(authority, name) for name in AuthorityContactForm.base_fields}
        )
        hours = OpeningHoursFormSet(initial=_initial_hours(authority), prefix="zeiten")
    return render(
        request,
        "backoffice/authority_edit.html",
        {
            "authority": authority,
            "form": form,
            "hours": hours,
            "extra_errors": formset_error_links(hours, "Zeitraum") if hours.is_bound else [],
        },
    )

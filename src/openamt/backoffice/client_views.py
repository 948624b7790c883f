"""Staff page of the Land: registered clients (OpenID Connect logins, resource
servers, delivery services, submitting portals)."""

from typing import cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.models import User
from openamt.core.errors import DomainError, PermissionDenied
from openamt.oidc.models import ClientSettings
from openamt.oidc.services import (
    DELIVERY,
    LOGIN,
    RESOURCE_SERVER,
    SUBMISSION,
    client_register,
)
from openamt.organisations import permissions
from openamt.organisations.models import Authority

PAGE_SIZE = 25


class ClientForm(forms.Form):
    name = forms.CharField(label="Name des Dienstes", max_length=100)
    kind = forms.ChoiceField(
        label="Art",
        choices=[
            (LOGIN, "Anmeldung mit dem Servicekonto (OpenID Connect)"),
            (RESOURCE_SERVER, "Ressourcenserver (prüft Zugriffstokens per Introspection)"),
            (DELIVERY, "Zustellung ins Postfach"),
            (SUBMISSION, "Einreichung von Anträgen (vertrauenswürdiges Portal)"),
        ],
    )
    redirect_uris = forms.CharField(
        label="Rücksprungadressen",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="nur bei Anmeldung: eine oder mehrere https-Adressen, durch Leerzeichen getrennt",
    )
    post_logout_redirect_uris = forms.CharField(
        label="Adressen nach der Abmeldung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="nur bei Anmeldung, freiwillig: https-Adressen, zu denen die Abmeldung "
        "(end_session_endpoint) zurückführen darf, durch Leerzeichen getrennt",
    )
    required_level = forms.ChoiceField(
        label="verlangtes Vertrauensniveau", choices=AssuranceLevel.choices
    )
    authority = forms.ModelChoiceField(
        label="Behörde",
        queryset=Authority.objects.order_by("name"),
        required=False,
        empty_label="– nur bei Zustellung –",
    )


@login_required
def client_list(request: HttpRequest) -> HttpResponse:
    roles = permissions.land_roles(request.user)
    if not roles & permissions.LAND_WIDE_READ:
        raise Http404("Diese Seite gibt es nicht oder Sie haben keinen Zugriff.")
    can_change = bool(roles & permissions.LAND_WIDE_WRITE)
    form = ClientForm(request.POST or None)
    created = None
    if request.method == "POST":
        if not can_change:
            raise Http404("Diese Seite gibt es nicht oder Sie haben keinen Zugriff.")
        if form.is_valid():
            try:
                created = client_register(actor=cast(User, request.user), **form.cleaned_data)
            except PermissionDenied as error:
                raise Http404(error.message) from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                form = ClientForm()
    clients = ClientSettings.objects.select_related("application", "authority").order_by(
        "application__name", "pk"
    )
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/client_list.html",
        {"page": page, "form": form, "can_change": can_change, "created": created},
    )

"""Staff page: an authority's delivery endpoints (Zustellpunkt, webhook)."""

import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.models import User
from openamt.backoffice.views import authority_or_404
from openamt.core.errors import DomainError, PermissionDenied
from openamt.organisations import permissions
from openamt.submissions.endpoints import CHANNELS, endpoint_delete, endpoint_save
from openamt.submissions.models import DeliveryEndpoint

KEEP = "leer lassen, um das hinterlegte Geheimnis zu behalten"


class EndpointForm(forms.Form):
    channel = forms.ChoiceField(label="Zustellweg", choices=list(CHANNELS.items()))
    url = forms.URLField(label="Adresse", max_length=200, assume_scheme="https")
    token_url = forms.URLField(
        label="Token-Adresse (nur FIT-Connect)", required=False, assume_scheme="https"
    )
    client_id = forms.CharField(label="Client-ID (nur FIT-Connect)", max_length=100, required=False)
    client_secret = forms.CharField(
        label="Client-Geheimnis (nur FIT-Connect)",
        required=False,
        max_length=200,
        widget=forms.PasswordInput,
        help_text=KEEP,
    )
    public_key = forms.CharField(
        label="Öffentlicher Schlüssel als JWK (nur FIT-Connect)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    secret = forms.CharField(
        label="Webhook-Geheimnis (mindestens 32 Zeichen)",
        required=False,
        max_length=200,
        widget=forms.PasswordInput,
        help_text=KEEP,
    )

    def clean_public_key(self) -> Any:
        text = self.cleaned_data["public_key"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError("Der Schlüssel ist kein gültiges JSON.") from None


@login_required
def endpoint_list(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    if not permissions.can_change_authority(request.user, authority.pk):
        raise Forbidden("Nur Administratoren der Behörde richten Zustellpunkte ein.")
    actor = cast(User, request.user)
    form = EndpointForm(request.POST if request.POST.get("aktion") == "speichern" else None)
    if request.method == "POST":
        try:
            if request.POST.get("aktion", "").startswith("loeschen:"):
                channel = request.POST["aktion"].split(":", 1)[1]
                endpoint_delete(actor=actor, authority=authority, channel=channel)
                messages.success(request, "Der Zustellpunkt ist entfernt.")
                return redirect("backoffice:endpoint-list", pk=authority.pk)
            if form.is_valid():
                data = form.cleaned_data
                endpoint_save(
                    actor=actor, authority=authority, channel=data["channel"], values=data
                )
                messages.success(request, "Der Zustellpunkt ist gespeichert.")
                return redirect("backoffice:endpoint-list", pk=authority.pk)
        except PermissionDenied as error:
            raise Forbidden(error.message) from error
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
    endpoints = DeliveryEndpoint.objects.filter(authority=authority).order_by("channel")
    return render(
        request,
        "backoffice/endpoint_list.html",
        {"authority": authority, "endpoints": endpoints, "form": form, "channels": CHANNELS},
        status=422 if form.errors else 200,
    )

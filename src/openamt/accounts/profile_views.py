"""The holder's profile (with provenance) and the privacy page (export, deletion)."""

from __future__ import annotations

import json
from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.auth import account_required
from openamt.accounts.identity import identity_providers
from openamt.accounts.models import ProfileAttribute, User
from openamt.accounts.privacy import RETAINED, account_delete, personal_data, personal_data_pdf
from openamt.accounts.profile import ATTRIBUTES, profile_of, profile_save_self
from openamt.core.errors import DomainError


class ProfileForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in ATTRIBUTES:
            field: forms.Field = (
                forms.DateField(
                    label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
                )
                if name == "birth_date"
                else forms.CharField(label=label, required=False, max_length=200)
            )
            self.fields[name] = field


class DeleteForm(forms.Form):
    password = forms.CharField(
        label="Ihr Passwort zur Bestätigung",
        widget=forms.PasswordInput,
        error_messages={"required": "Bitte geben Sie Ihr Passwort ein."},
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _provenance(attribute: ProfileAttribute) -> str:
    if attribute.source == ProfileAttribute.SELF:
        return "selbst eingegeben"
    label = (
        identity_providers.get(attribute.source).label
        if attribute.source in identity_providers
        else attribute.source
    )
    return f"bestätigt durch {label}, Vertrauensniveau {attribute.assurance_level}"


@account_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    current = profile_of(user=user)
    form = ProfileForm(request.POST or None, initial={name: a.value for name, a in current.items()})
    if request.method == "POST" and form.is_valid():
        data = {
            k: (v.isoformat() if hasattr(v, "isoformat") else v or "")
            for k, v in form.cleaned_data.items()
        }
        try:
            profile_save_self(user=user, data=data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, "Ihr Profil ist gespeichert.")
            return redirect("accounts:profile")
    rows = [
        (label, current[name].value, _provenance(current[name]))
        for name, label in ATTRIBUTES
        if name in current
    ]
    return render(request, "accounts/profile.html", {"form": form, "rows": rows})


@account_required
def privacy(request: HttpRequest) -> HttpResponse:
    form = DeleteForm()
    return render(request, "accounts/privacy.html", {"form": form, "retained": RETAINED})


@account_required
def export_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(personal_data(user=_user(request)), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="servicekonto-daten.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@account_required
def export_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(personal_data_pdf(user=_user(request)), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="servicekonto-daten.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@account_required
@require_POST
def delete(request: HttpRequest) -> HttpResponse:
    form = DeleteForm(request.POST)
    if form.is_valid():
        try:
            account_delete(user=_user(request), password=form.cleaned_data["password"])
        except DomainError as error:
            form.add_error("password", error.message)
        else:
            logout(request)
            return render(request, "accounts/deleted.html")
    return render(
        request, "accounts/privacy.html", {"form": form, "retained": RETAINED}, status=400
    )

"""Passkey pages: manage them in the account, use one as the second factor at login."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.auth import account_required, login_complete
from openamt.accounts.constants import SecurityEventKind
from openamt.accounts.models import User
from openamt.accounts.passkeys import (
    authentication_options,
    credential_from,
    passkey_register,
    passkey_remove,
    passkey_verify,
    registration_options,
)
from openamt.accounts.services import event_record, level_of_password_login
from openamt.accounts.views import PENDING_KEY, pending_login
from openamt.core.errors import DomainError


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@account_required
def passkeys(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/passkeys.html",
        {"passkeys": _user(request).passkeys.order_by("created_at")},
    )


@account_required
@require_POST
def options(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        registration_options(request=request, user=_user(request)), content_type="application/json"
    )


@account_required
@require_POST
def add(request: HttpRequest) -> JsonResponse:
    try:
        data = credential_from(request)
        passkey_register(
            request=request,
            user=_user(request),
            credential=data.get("credential") or {},
            name=str(data.get("name", "")),
        )
    except DomainError as error:
        return JsonResponse({"error": error.message}, status=400)
    messages.success(request, "Der Passkey ist eingerichtet.")
    return JsonResponse({"ok": True})


@account_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    passkey_remove(request=request, user=_user(request), pk=pk)
    messages.success(request, "Der Passkey ist entfernt.")
    return redirect("accounts:passkeys")


def _pending_user(request: HttpRequest) -> tuple[dict | None, User | None]:
    pending = pending_login(request)
    return pending, (User.objects.filter(pk=pending["user"]).first() if pending else None)


@require_POST
def login_options(request: HttpRequest) -> HttpResponse:
    _pending, user = _pending_user(request)
    if user is None:
        return JsonResponse(
            {"error": "Bitte melden Sie sich erneut mit E-Mail-Adresse und Passwort an."},
            status=400,
        )
    return HttpResponse(
        authentication_options(request=request, user=user), content_type="application/json"
    )


@require_POST
def login_verify(request: HttpRequest) -> JsonResponse:
    pending, user = _pending_user(request)
    if pending is None or user is None:
        return JsonResponse(
            {"error": "Bitte melden Sie sich erneut mit E-Mail-Adresse und Passwort an."},
            status=400,
        )
    try:
        passkey = passkey_verify(request=request, user=user, credential=credential_from(request))
    except DomainError:
        passkey = None
    if passkey is None:
        pending["tries"] += 1
        request.session[PENDING_KEY] = pending
        event_record(user=user, kind=SecurityEventKind.LOGIN_FAILED, request=request)
        return JsonResponse({"error": "Der Passkey wurde nicht erkannt."}, status=400)
    target = str(pending["next"])
    del request.session[PENDING_KEY]
    login_complete(request, user, method="passwort+passkey", level=level_of_password_login())
    return JsonResponse({"next": target})

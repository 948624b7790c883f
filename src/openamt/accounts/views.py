"""The Servicekonto pages: register, confirm, log in (with second factor), log out."""

from __future__ import annotations

import time
from typing import cast

from axes.helpers import get_lockout_response
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.auth import login_complete, logout_complete
from openamt.accounts.constants import AssuranceLevel, SecurityEventKind
from openamt.accounts.forms import CodeForm, LoginForm, RegistrationForm
from openamt.accounts.identity import providers_reaching
from openamt.accounts.links import HOME, login_url, site_path
from openamt.accounts.models import Account, User
from openamt.accounts.services import (
    account_register,
    account_verify,
    event_record,
    has_second_factor,
    has_totp,
    level_of_password_login,
    normalise_email,
    second_factor_check,
)
from openamt.core.errors import DomainError

PENDING_KEY = "openamt.pending_login"
PENDING_SECONDS = 300
PENDING_TRIES = 5


def _requested_next(request: HttpRequest) -> str:
    """The `next` the request names if it is a path of this site, else ""."""
    return site_path(request.POST.get("next") or request.GET.get("next") or "")


def next_url(request: HttpRequest) -> str:
    """Where the login, registration or step-up that this request belongs to
    leads afterwards: the `next` it names, else the account's home page."""
    return _requested_next(request) or HOME


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    target = _requested_next(request)
    if request.method == "POST" and form.is_valid():
        try:
            account_register(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
                next_path=target,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return render(
                request, "accounts/registered.html", {"email": form.cleaned_data["email"]}
            )
    return render(request, "accounts/register.html", {"form": form, "next": target or HOME})


def verify(request: HttpRequest, token: str) -> HttpResponse:
    # Confirmation needs a click (POST): mail scanners that open links must not confirm.
    if request.method == "POST":
        try:
            _account, target = account_verify(token=token)
        except DomainError as error:
            return render(request, "accounts/verify.html", {"error": error.message}, status=400)
        messages.success(
            request, "Ihre E-Mail-Adresse ist bestätigt. Sie können sich jetzt anmelden."
        )
        return redirect(login_url(target))
    return render(request, "accounts/verify.html", {})


def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    required = request.GET.get("niveau") or request.POST.get("niveau") or ""
    target = next_url(request)
    context: dict[str, object] = {"form": form, "next": target, "required": required}
    if required and required != AssuranceLevel.LOW:
        context["password_too_low"] = True
    context["providers"] = [
        (provider, provider.start_url(next_url=target))
        for _id, provider in providers_reaching(required or AssuranceLevel.LOW)
    ]
    if request.method == "POST" and form.is_valid() and not context.get("password_too_low"):
        email = normalise_email(form.cleaned_data["email"])
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None or not Account.objects.filter(user=user).exists():
            known = User.objects.filter(username=email, account__isnull=False).first()
            if known is not None:
                event_record(user=known, kind=SecurityEventKind.LOGIN_FAILED, request=request)
            if getattr(request, "axes_locked_out", False):
                return get_lockout_response(request, {"username": email})
            form.add_error(
                None,
                "E-Mail-Adresse oder Passwort stimmen nicht, oder das Konto ist noch nicht bestätigt.",
            )
        else:
            user = cast(User, user)
            if has_second_factor(user):
                request.session.cycle_key()
                request.session[PENDING_KEY] = {
                    "user": user.pk,
                    "at": time.time(),
                    "tries": 0,
                    "next": target,
                }
                return redirect("accounts:login-second-factor")
            login_complete(request, user, method="passwort", level=level_of_password_login())
            return redirect(target)
    return render(request, "accounts/login.html", context)


def pending_login(request: HttpRequest) -> dict | None:
    """The password step waiting for its second factor, if still valid."""
    pending = request.session.get(PENDING_KEY)
    if (
        not pending
        or time.time() - pending["at"] > PENDING_SECONDS
        or pending["tries"] >= PENDING_TRIES
    ):
        return None
    return dict(pending)


def login_second_factor(request: HttpRequest) -> HttpResponse:
    pending = pending_login(request)
    if pending is None:
        request.session.pop(PENDING_KEY, None)
        messages.error(request, "Bitte melden Sie sich erneut mit E-Mail-Adresse und Passwort an.")
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.get(pk=pending["user"])
        device = second_factor_check(user=user, code=form.cleaned_data["code"], request=request)
        if device is None:
            pending["tries"] += 1
            request.session[PENDING_KEY] = pending
            event_record(user=user, kind=SecurityEventKind.LOGIN_FAILED, request=request)
            form.add_error("code", "Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein.")
        else:
            target = str(pending["next"])
            del request.session[PENDING_KEY]
            login_complete(
                request,
                user,
                method="passwort+totp",
                level=level_of_password_login(),
                device=device,
            )
            return redirect(target)
    holder = User.objects.filter(pk=pending["user"]).first()
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "totp": holder is not None and has_totp(holder),
            "passkeys": holder is not None and holder.passkeys.exists(),
        },
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout_complete(request)
    messages.success(request, "Sie sind abgemeldet.")
    return redirect("accounts:login")

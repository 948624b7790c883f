"""The holder's own pages: overview, second factor, sessions, security log."""

from __future__ import annotations

from typing import cast

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from openamt.accounts.auth import METHOD_KEY, account_required, session_level
from openamt.accounts.forms import CodeForm
from openamt.accounts.models import User
from openamt.accounts.selectors import security_events, sessions_of
from openamt.accounts.services import (
    has_second_factor,
    has_totp,
    session_revoke,
    totp_confirm,
    totp_device_pending,
    totp_remove,
)
from openamt.core.errors import DomainError, NotFound
from openamt.mailbox.models import Mailbox

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # account_required


@account_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "accounts/home.html",
        {
            "level": session_level(request),
            "method": request.session.get(METHOD_KEY, ""),
            "second_factor": has_second_factor(user),
            "passkey_count": user.passkeys.count(),
            "mailbox": Mailbox.objects.filter(account__user=user).first(),
        },
    )


def _qr_svg(device: TOTPDevice, user: User) -> str:
    # Inline SVG: no image request, nothing the content security policy must allow.
    return segno.make(
        device.config_url.replace("Authenticator-App", user.email), error="m"
    ).svg_inline(scale=4, title="QR-Code für die Authenticator-App")


@account_required
def second_factor(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    active = has_totp(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if active:
                totp_remove(user=user, code=form.cleaned_data["code"], request=request)
            else:
                codes = totp_confirm(user=user, code=form.cleaned_data["code"], request=request)
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            if active:
                messages.success(request, "Der zweite Faktor ist ausgeschaltet.")
                return redirect("accounts:second-factor")
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
    context: dict = {"form": form, "active": active}
    if not active:
        device = totp_device_pending(user=user)
        context["qr"] = _qr_svg(device, user)
        context["secret"] = " ".join(
            device.config_url.split("secret=")[1].split("&")[0][i : i + 4] for i in range(0, 32, 4)
        ).strip()
    return render(request, "accounts/second_factor_setup.html", context)


@account_required
def sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/sessions.html",
        {"sessions": sessions_of(user=_user(request)), "current": request.session.session_key},
    )


@account_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        session_revoke(user=_user(request), pk=pk, request=request)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, "Die Sitzung ist beendet.")
    return redirect("accounts:sessions")


@account_required
def security_log(request: HttpRequest) -> HttpResponse:
    page = Paginator(security_events(user=_user(request)), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(request, "accounts/security_log.html", {"page": page})

"""Sessions of account holders: how they logged in, and at which assurance level.

The level is a property of the session, written only by the login code after
the identity provider's answer was checked; nothing in a request can raise it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django_otp import login as otp_login
from django_otp.models import Device

from openamt.accounts.constants import SecurityEventKind, level_at_least
from openamt.accounts.links import login_url
from openamt.accounts.models import Account, AccountSession, User
from openamt.accounts.services import event_record, session_open, sessions_end

LEVEL_KEY = "openamt.assurance_level"
METHOD_KEY = "openamt.login_method"
AUTH_TIME_KEY = "openamt.auth_time"  # seconds since the epoch (OpenID Connect `auth_time`)


def session_level(request: HttpRequest) -> str:
    if not request.user.is_authenticated:
        return ""
    return str(request.session.get(LEVEL_KEY, ""))


def login_complete(
    request: HttpRequest, user: User, *, method: str, level: str, device: Device | None = None
) -> None:
    """Log the user in (a new session key), note method and level, record the session.
    A step-up replaces the session it started from."""
    previous = request.session.session_key
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if device is not None:
        otp_login(request, device)
    request.session[LEVEL_KEY] = level
    request.session[METHOD_KEY] = method
    request.session[AUTH_TIME_KEY] = int(time.time())
    session_open(request=request, user=user, method=method, level=level, replaces=previous)


def logout_complete(request: HttpRequest) -> None:
    """Log out: a holder's session ends (with the tokens services received in it,
    and a security log entry); any session's cookie stops working."""
    user = request.user
    if isinstance(user, User) and session_level(request):
        sessions_end(
            records=AccountSession.objects.filter(
                user=user, session_key=request.session.session_key
            )
        )
        event_record(user=user, kind=SecurityEventKind.LOGOUT, request=request)
    auth_logout(request)


def login_redirect(request: HttpRequest, level: str = "") -> HttpResponse:
    return redirect(login_url(request.get_full_path(), level))


def holder(request: HttpRequest) -> User | None:
    """The user logged in as the holder of a Servicekonto (not as staff), if any."""
    user = request.user
    if (
        isinstance(user, User)
        and session_level(request)
        and Account.objects.filter(user=user).exists()
    ):
        return user
    return None


def is_holder(request: HttpRequest) -> bool:
    return holder(request) is not None


def account_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Only the holder of a Servicekonto, logged in as such."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not is_holder(request):
            return login_redirect(request)
        return view(request, *args, **kwargs)

    return wrapper


def level_required(
    level: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A page that needs an assurance level: below it, the holder logs in again (step-up)."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        @account_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not level_at_least(session_level(request), level):
                return login_redirect(request, level)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator

"""Reads of a holder's own account data; every function takes the holder."""

from typing import Any

from django.db.models import QuerySet

from openamt.accounts.models import Account, AccountSession, SecurityEvent, User

MAX_SESSIONS = 50


def sessions_of(*, user: User) -> list[AccountSession]:
    """The holder's sessions, most recently active first (bounded)."""
    return list(
        AccountSession.objects.filter(user=user).order_by("-last_seen_at", "-pk")[:MAX_SESSIONS]
    )


def security_events(*, user: User) -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(user=user).order_by("-created_at", "-pk")


def is_servicekonto(user: Any) -> bool:
    """Whether a (possibly anonymous) user is a Servicekonto holder: such users
    log in only on the citizens' side, never as staff (and staff never there)."""
    return isinstance(user, User) and Account.objects.filter(user=user).exists()

"""Keeps "last active" of Servicekonto sessions current, at most every five minutes."""

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openamt.accounts.auth import LEVEL_KEY
from openamt.accounts.models import AccountSession

SEEN_KEY = "openamt.seen_at"
INTERVAL = 300


class AccountSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated and session.get(LEVEL_KEY):
            now = time.time()
            if now - session.get(SEEN_KEY, 0) > INTERVAL:
                session[SEEN_KEY] = now
                AccountSession.objects.filter(session_key=session.session_key).update(
                    last_seen_at=timezone.now()
                )
        return self.get_response(request)

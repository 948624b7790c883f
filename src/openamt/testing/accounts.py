"""Servicekonto holders for tests: confirmed accounts, and clients logged in as them."""

import time

from django.test import Client

from openamt.accounts.auth import LEVEL_KEY
from openamt.accounts.models import Account, User

HOLDER_PASSWORD = "Ein-gutes-Testpasswort-42"


def make_holder(email: str, password: str = HOLDER_PASSWORD) -> User:
    user = User.objects.create_user(username=email, email=email, password=password)
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    return user


def holder_client(user: User, level: str = "niedrig") -> Client:
    """A client logged in as the holder at a level, without going through a login page."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[LEVEL_KEY] = level
    session.save()
    return client


def fresh_totp_step(margin: float = 8.0, step: int = 30) -> None:
    """Wait, if needed, until the current TOTP step has `margin` seconds left, so
    that a code computed now is checked in the same step (a step change would
    let django-otp learn a drift and refuse the next test code)."""
    left = step - time.time() % step
    if left < margin:
        time.sleep(left + 0.2)

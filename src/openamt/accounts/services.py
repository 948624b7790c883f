"""Writes to Servicekonten: creation, registration, confirmation, second
factors, sessions.

Every Servicekonto is made by `account_create`, whichever way it comes
(registration, login through an upstream identity provider): that is where its
Postfach opens, once the account is usable.

Messages never reveal whether an e-mail address has an account: registering
an address that exists sends that address a notice instead, and the page
looks the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openamt.accounts.constants import AssuranceLevel, SecurityEventKind
from openamt.accounts.devices import device_of
from openamt.accounts.links import login_url
from openamt.accounts.models import Account, AccountSession, SecurityEvent, User
from openamt.accounts.tasks import send_account_mail
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, NotFound
from openamt.core.links import public_url
from openamt.mailbox.services import mailbox_open
from openamt.oidc.services import session_tokens_revoke

VERIFY_SALT = "openamt.accounts.verify"
VERIFY_MAX_AGE = 3 * 24 * 3600
RECOVERY_CODES = 10


def event_record(
    *, user: User, kind: str, request: HttpRequest | None = None, level: str = ""
) -> SecurityEvent:
    return SecurityEvent.objects.create(
        user=user, kind=kind, assurance_level=level, device=device_of(request)
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def account_create(
    *,
    email: str,
    username: str = "",
    password: str | None = None,
    active: bool = True,
    email_verified: bool = False,
) -> Account:
    """A new Servicekonto (user and account), recorded in the security and audit
    logs. `username` defaults to the normalised `email`; without `password` the
    account has no usable password (login through an identity provider only).
    An active account gets its Postfach at once; an inactive one (registration
    awaiting confirmation) when `account_verify` activates it. Callers check
    first that the user name is free (IntegrityError otherwise)."""
    email = normalise_email(email)
    user = User(username=username or email, email=email, is_active=active)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    account = Account.objects.create(
        user=user, email_verified_at=timezone.now() if email_verified and email else None
    )
    event_record(user=user, kind=SecurityEventKind.REGISTERED)
    audit_record(actor=user, action="account.register", target=account)
    if active:
        mailbox_open(account=account)
    return account


@transaction.atomic
def account_register(*, email: str, password: str, next_path: str = "") -> Account | None:
    """A new, inactive Servicekonto and a confirmation mail; None (and a notice
    to the owner) when the address already has one. `next_path` (a site path
    checked by `links.site_path`, or "") is where the citizen wanted to go: it
    travels inside the signed confirmation token, so nobody can swap it."""
    email = normalise_email(email)
    login = public_url(login_url(next_path))
    candidate = User(username=email, email=email)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password1") from None
    if User.objects.filter(username=email).exists():
        send_account_mail.enqueue(
            to=email,
            subject="Ihr Servicekonto",
            body=(
                "Jemand hat versucht, mit dieser E-Mail-Adresse ein Servicekonto anzulegen. "
                "Sie haben bereits eines. Falls Sie Ihr Passwort vergessen haben, melden Sie "
                f"sich bitte über {login} an.\n"
            ),
        )
        return None
    account = account_create(email=email, password=password, active=False)
    claims: dict[str, object] = {"a": account.pk, "e": email}
    if next_path:
        claims["n"] = next_path
    token = signing.dumps(claims, salt=VERIFY_SALT)
    send_account_mail.enqueue(
        to=email,
        subject="Bitte bestätigen Sie Ihre E-Mail-Adresse",
        body=(
            "Willkommen beim Servicekonto. Bitte bestätigen Sie Ihre E-Mail-Adresse "
            f"innerhalb von drei Tagen:\n\n{public_url(reverse('accounts:verify', args=[token]))}\n\n"
            "Wenn Sie kein Konto angelegt haben, können Sie diese Nachricht ignorieren.\n"
        ),
    )
    return account


@transaction.atomic
def account_verify(*, token: str) -> tuple[Account, str]:
    """Confirm the address from the link in the mail; the account becomes usable.
    Returns the account and the path the citizen registered on the way to ("" if
    none; check it with `links.site_path` before following it). Raises InvalidInput
    for a forged or expired (VERIFY_MAX_AGE) link."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidInput(
            "Der Bestätigungslink ist abgelaufen. Bitte registrieren Sie sich erneut."
        ) from None
    except signing.BadSignature:
        raise InvalidInput("Dieser Bestätigungslink ist ungültig.") from None
    account = (
        Account.objects.select_related("user").select_for_update().filter(pk=data["a"]).first()
    )
    if account is None or account.user.email != data["e"]:
        raise InvalidInput("Dieser Bestätigungslink ist ungültig.")
    if account.email_verified_at is None:
        account.email_verified_at = timezone.now()
        account.save(update_fields=["email_verified_at", "updated_at"])
        account.user.is_active = True
        account.user.save(update_fields=["is_active"])
        mailbox_open(account=account)
        event_record(user=account.user, kind=SecurityEventKind.EMAIL_VERIFIED)
    return account, str(data.get("n", ""))


def session_open(
    *, request: HttpRequest, user: User, method: str, level: str, replaces: str | None = None
) -> AccountSession:
    """Record the session Django's login just created, with how the user logged in.
    A step-up of the same holder continues the session it `replaces` (under the
    new key), so that what services received in it stays tied to it; a login
    as someone else ends that session."""
    session: SessionBase = request.session
    session.save()  # the new session's key exists from here on
    key = str(session.session_key)
    values = {
        "user": user,
        "last_seen_at": timezone.now(),
        "device": device_of(request),
        "assurance_level": level,
        "method": method,
    }
    previous = (
        AccountSession.objects.filter(session_key=replaces).first()
        if replaces and replaces != key
        else None
    )
    if previous is not None and previous.user_id == user.pk:
        AccountSession.objects.filter(pk=previous.pk).update(session_key=key, **values)
        record = AccountSession.objects.get(pk=previous.pk)
    else:
        if previous is not None:
            sessions_end(records=AccountSession.objects.filter(pk=previous.pk))
        record, _ = AccountSession.objects.update_or_create(session_key=key, defaults=values)
    event_record(user=user, kind=SecurityEventKind.LOGIN, request=request, level=level)
    return record


def sessions_end(*, records: QuerySet[AccountSession], keep: Iterable[str] = ()) -> int:
    """End these Servicekonto sessions (except those with a key in `keep`): their
    cookies stop working and the tokens services received in them (OpenID
    Connect) are revoked. Returns how many sessions ended."""
    records = records.exclude(session_key__in=list(keep))
    keys = list(records.values_list("session_key", flat=True))
    if not keys:
        return 0
    session_tokens_revoke(sessions=records)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in keys:
        store().delete(key)
    return records.delete()[1].get(AccountSession._meta.label, 0)


@transaction.atomic
def session_revoke(*, user: User, pk: int, request: HttpRequest) -> None:
    """End one of the user's sessions (on any device); its cookie stops working at
    once and the tokens issued in it are revoked."""
    if not sessions_end(records=AccountSession.objects.filter(user=user, pk=pk)):
        raise NotFound("Diese Sitzung gibt es nicht (mehr).")
    event_record(user=user, kind=SecurityEventKind.SESSION_REVOKED, request=request)


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The authenticator-app device being set up (created on first call)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Wiederherstellungscodes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_confirm(*, user: User, code: str, request: HttpRequest) -> list[str]:
    """Activate the app once it shows a valid code; returns the recovery codes (shown once)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise InvalidInput("Bitte beginnen Sie die Einrichtung neu.", field="code")
    if not device.verify_token(code.strip().replace(" ", "")):
        raise InvalidInput(
            "Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein.", field="code"
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    event_record(user=user, kind=SecurityEventKind.TOTP_ADDED, request=request)
    return _new_recovery_codes(user)


@transaction.atomic
def totp_remove(*, user: User, code: str, request: HttpRequest) -> None:
    """Switch the second factor off; it takes a current code to do so."""
    if second_factor_check(user=user, code=code, request=request) is None:
        raise InvalidInput("Der Code stimmt nicht.", field="code")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    event_record(user=user, kind=SecurityEventKind.TOTP_REMOVED, request=request)


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def has_second_factor(user: User) -> bool:
    """An authenticator app or a passkey: either is asked for after the password."""
    return has_totp(user) or user.passkeys.exists()


def second_factor_check(
    *, user: User, code: str, request: HttpRequest
) -> TOTPDevice | StaticDevice | None:
    """The device that accepts the code (app, or a recovery code, used up), if any."""
    code = code.strip().replace(" ", "")
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    for static in StaticDevice.objects.filter(user=user):
        if static.verify_token(code.lower()):
            event_record(user=user, kind=SecurityEventKind.RECOVERY_USED, request=request)
            return static
    return None


def level_of_password_login() -> str:
    """Password (with or without a second factor) is an unverified identity: niedrig."""
    return AssuranceLevel.LOW

"""WebAuthn (passkeys, security keys) as a second factor, with py_webauthn.

The relying party is this site as the browser reached it: the host (already
checked against ALLOWED_HOSTS) is the RP ID and the scheme plus host the
expected origin, so the browser's own origin check binds every signature to it.
Challenges live in the session and are used once.
"""

from __future__ import annotations

import json
from typing import Any

import webauthn
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from openamt.accounts.constants import SecurityEventKind
from openamt.accounts.models import Passkey, User
from openamt.accounts.services import event_record
from openamt.core.errors import InvalidInput

CHALLENGE_KEY = "openamt.webauthn_challenge"


def _rp(request: HttpRequest) -> tuple[str, str]:
    host = request.get_host().rsplit(":", 1)[0]
    return host, f"{request.scheme}://{request.get_host()}"


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=bytes(p.credential_id)) for p in user.passkeys.all()]


def registration_options(*, request: HttpRequest, user: User) -> str:
    rp_id, _origin = _rp(request)
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=settings.OPENAMT_SITE_NAME,
        user_id=str(user.pk).encode(),
        user_name=user.email or user.username,
        exclude_credentials=_descriptors(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    request.session[CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return webauthn.options_to_json(options)


def _challenge(request: HttpRequest) -> bytes:
    value = request.session.pop(CHALLENGE_KEY, None)
    if not value:
        raise InvalidInput("Die Anfrage ist abgelaufen. Bitte versuchen Sie es noch einmal.")
    return base64url_to_bytes(value)


@transaction.atomic
def passkey_register(
    *, request: HttpRequest, user: User, credential: dict[str, Any], name: str
) -> Passkey:
    rp_id, origin = _rp(request)
    try:
        verified = webauthn.verify_registration_response(
            credential=credential,
            expected_challenge=_challenge(request),
            expected_rp_id=rp_id,
            expected_origin=origin,
        )
    except (WebAuthnException, KeyError, TypeError, ValueError) as error:
        raise InvalidInput(f"Der Passkey wurde nicht angenommen ({error}).") from None
    passkey = Passkey.objects.create(
        user=user,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=(name.strip() or "Passkey")[:60],
    )
    event_record(user=user, kind=SecurityEventKind.PASSKEY_ADDED, request=request)
    return passkey


def authentication_options(*, request: HttpRequest, user: User) -> str:
    rp_id, _origin = _rp(request)
    options = webauthn.generate_authentication_options(
        rp_id=rp_id,
        allow_credentials=_descriptors(user),
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[CHALLENGE_KEY] = bytes_to_base64url(options.challenge)
    return webauthn.options_to_json(options)


@transaction.atomic
def passkey_verify(
    *, request: HttpRequest, user: User, credential: dict[str, Any]
) -> Passkey | None:
    """The user's passkey that produced a valid assertion, or None."""
    rp_id, origin = _rp(request)
    try:
        raw_id = base64url_to_bytes(str(credential["rawId"]))
    except (KeyError, TypeError, ValueError):
        return None
    passkey = Passkey.objects.select_for_update().filter(user=user, credential_id=raw_id).first()
    if passkey is None:
        return None
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=_challenge(request),
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, InvalidInput, KeyError, TypeError, ValueError):
        return None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = timezone.now()
    passkey.save(update_fields=["sign_count", "last_used_at"])
    return passkey


@transaction.atomic
def passkey_remove(*, request: HttpRequest, user: User, pk: int) -> None:
    deleted, _ = Passkey.objects.filter(user=user, pk=pk).delete()
    if deleted:
        event_record(user=user, kind=SecurityEventKind.PASSKEY_REMOVED, request=request)


def credential_from(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        raise InvalidInput("Die Antwort des Geräts ist nicht lesbar.") from None
    if not isinstance(data, dict):
        raise InvalidInput("Die Antwort des Geräts ist nicht lesbar.")
    return data

"""Where an authority receives applications outside the platform: its admins
set up a FIT-Connect-style Zustellpunkt or a signed webhook. Secrets are
write-only (sealed at rest, never shown again) and never in the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from joserfc.jwk import RSAKey

from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.organisations import permissions
from openamt.organisations.models import Authority
from openamt.submissions.models import DeliveryEndpoint

CHANNELS = {"fit-connect": "FIT-Connect-Zustellpunkt", "webhook": "Webhook (HMAC-signiert)"}
MIN_SECRET = 32


def _check(endpoint: DeliveryEndpoint) -> None:
    if endpoint.channel == "fit-connect":
        for name, label in (("token_url", "Token-Adresse"), ("client_id", "Client-ID")):
            if not getattr(endpoint, name):
                raise InvalidInput(f"Bitte geben Sie die {label} an.", field=name)
        if not endpoint.client_secret:
            raise InvalidInput("Bitte geben Sie das Client-Geheimnis an.", field="client_secret")
        try:
            key = RSAKey.import_key(endpoint.public_key or {})
        except (ValueError, TypeError):
            raise InvalidInput(
                "Der öffentliche Schlüssel ist kein RSA-Schlüssel im JWK-Format.",
                field="public_key",
            ) from None
        if key.is_private:
            raise InvalidInput(
                "Bitte nur den öffentlichen Schlüssel angeben, nie den privaten.",
                field="public_key",
            )
    elif len(endpoint.secret) < MIN_SECRET:
        raise InvalidInput(
            f"Das Webhook-Geheimnis hat mindestens {MIN_SECRET} Zeichen.", field="secret"
        )


@transaction.atomic
def endpoint_save(
    *, actor: User, authority: Authority, channel: str, values: dict[str, Any]
) -> DeliveryEndpoint:
    """Create or change the authority's endpoint of a channel; empty secrets keep the old."""
    if not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied("Nur Administratoren der Behörde richten Zustellpunkte ein.")
    if channel not in CHANNELS:
        raise InvalidInput("Diesen Zustellweg gibt es nicht.", field="channel")
    endpoint = DeliveryEndpoint.objects.filter(authority=authority, channel=channel).first()
    endpoint = endpoint or DeliveryEndpoint(authority=authority, channel=channel)
    for name in ("url", "token_url", "client_id", "public_key"):
        setattr(endpoint, name, values.get(name) or ("" if name != "public_key" else None))
    for name in ("client_secret", "secret"):
        if values.get(name):
            setattr(endpoint, name, values[name])
    _check(endpoint)
    endpoint.save()
    audit_record(
        actor=actor,
        action="delivery_endpoint.save",
        target=endpoint,
        authority_id=authority.pk,
        changes={"channel": channel, "url": endpoint.url},  # never a secret
    )
    return endpoint


@transaction.atomic
def endpoint_delete(*, actor: User, authority: Authority, channel: str) -> None:
    if not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied("Nur Administratoren der Behörde richten Zustellpunkte ein.")
    endpoint = DeliveryEndpoint.objects.filter(authority=authority, channel=channel).first()
    if endpoint is not None:
        audit_record(
            actor=actor,
            action="delivery_endpoint.delete",
            target=endpoint,
            authority_id=authority.pk,
            changes={"channel": channel},
        )
        endpoint.delete()

"""Registration of clients by the Land: services that log users in through the
Servicekonto (OpenID Connect) and delivery services of authorities."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.db import transaction
from oauth2_provider.models import Application
from oauth2_provider.settings import oauth2_settings

from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.oidc.models import ClientSettings
from openamt.organisations import permissions
from openamt.organisations.models import Authority

LOGIN = "anmeldung"
DELIVERY = "zustellung"
SUBMISSION = "einreichung"


def _redirect_uris(value: str) -> str:
    uris = value.split()
    if not uris:
        raise InvalidInput(
            "Bitte mindestens eine Rücksprungadresse angeben.", field="redirect_uris"
        )
    allowed = oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES
    for uri in uris:
        parts = urlsplit(uri)
        if parts.scheme not in allowed or not parts.netloc or parts.fragment:
            raise InvalidInput(
                f"„{uri}“ ist keine zulässige Rücksprungadresse ({', '.join(allowed)}, ohne #).",
                field="redirect_uris",
            )
    return " ".join(uris)


@transaction.atomic
def client_register(
    *,
    actor: User,
    name: str,
    kind: str,
    redirect_uris: str = "",
    required_level: str = AssuranceLevel.LOW,
    authority: Authority | None = None,
) -> tuple[Application, str]:
    """A new client and its secret (shown once; only a hash is stored)."""
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration registriert Zugänge.")
    name = name.strip()
    if not 3 <= len(name) <= 100:
        raise InvalidInput("Der Name hat 3 bis 100 Zeichen.", field="name")
    if required_level not in AssuranceLevel.values:
        raise InvalidInput("Bitte ein Vertrauensniveau wählen.", field="required_level")
    secret = secrets.token_urlsafe(32)
    if kind == LOGIN:
        app = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=_redirect_uris(redirect_uris),
            algorithm=Application.RS256_ALGORITHM,
            client_secret=secret,
        )
        authority = None
    elif kind == DELIVERY:
        if authority is None:
            raise InvalidInput(
                "Ein Zustelldienst stellt für eine Behörde zu: bitte wählen.", field="authority"
            )
        app = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
        )
    elif kind == SUBMISSION:
        authority = None
        app = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
        )
    else:
        raise InvalidInput("Bitte die Art des Zugangs wählen.", field="kind")
    app.save()
    ClientSettings.objects.create(
        application=app,
        authority=authority,
        required_level=required_level,
        may_submit=kind == SUBMISSION,
    )
    audit_record(
        actor=actor,
        action="client.register",
        target=app,
        authority_id=authority.pk if authority else None,
        changes={"kind": kind, "required_level": required_level},
    )
    return app, secret

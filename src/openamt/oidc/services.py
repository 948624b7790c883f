"""Registration of clients by the Land (services that log users in through the
Servicekonto with OpenID Connect, resource servers, delivery services of
authorities), and revocation of the tokens issued in a Servicekonto session."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import QuerySet
from oauth2_provider.models import AccessToken, Application, IDToken, RefreshToken
from oauth2_provider.settings import oauth2_settings

from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.models import AccountSession, User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.oidc.models import ClientSettings
from openamt.organisations import permissions
from openamt.organisations.models import Authority

LOGIN = "anmeldung"
RESOURCE_SERVER = "ressourcenserver"
DELIVERY = "zustellung"
SUBMISSION = "einreichung"


def _redirect_uris(value: str, field: str = "redirect_uris", required: bool = True) -> str:
    uris = value.split()
    if not uris and required:
        raise InvalidInput("Bitte mindestens eine Rücksprungadresse angeben.", field=field)
    allowed = oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES
    for uri in uris:
        parts = urlsplit(uri)
        if parts.scheme not in allowed or not parts.netloc or parts.fragment:
            raise InvalidInput(
                f"„{uri}“ ist keine zulässige Rücksprungadresse ({', '.join(allowed)}, ohne #).",
                field=field,
            )
    return " ".join(uris)


@transaction.atomic
def client_register(
    *,
    actor: User,
    name: str,
    kind: str,
    redirect_uris: str = "",
    post_logout_redirect_uris: str = "",
    required_level: str = AssuranceLevel.LOW,
    authority: Authority | None = None,
) -> tuple[Application, str]:
    """A new client and its secret (shown once; only a hash is stored).
    `kind` is LOGIN (OpenID Connect code flow; `redirect_uris` and the optional
    `post_logout_redirect_uris` are space-separated https addresses),
    RESOURCE_SERVER (may introspect tokens, RFC 7662), DELIVERY (for `authority`)
    or SUBMISSION. Raises PermissionDenied unless `actor` is a Land admin,
    InvalidInput for a bad name, level, address or kind."""
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
            post_logout_redirect_uris=_redirect_uris(
                post_logout_redirect_uris, field="post_logout_redirect_uris", required=False
            ),
            algorithm=Application.RS256_ALGORITHM,
            client_secret=secret,
        )
        authority = None
    elif kind == RESOURCE_SERVER:
        authority = None
        app = Application(
            name=name,
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
        )
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
        may_introspect=kind == RESOURCE_SERVER,
    )
    audit_record(
        actor=actor,
        action="client.register",
        target=app,
        authority_id=authority.pk if authority else None,
        changes={"kind": kind, "required_level": required_level},
    )
    return app, secret


def session_tokens_revoke(*, sessions: QuerySet[AccountSession]) -> int:
    """Revoke what services received in these Servicekonto sessions: their access
    tokens, every refresh token of the same rotation families, and the ID tokens.
    Called before the sessions end (logout, password change, deletion, a session
    ended from another device). Returns the number of access tokens revoked."""
    issued = AccessToken.objects.filter(openamt_level__session__in=sessions)
    count = issued.count()
    families = set(
        RefreshToken.objects.filter(access_token__in=issued)
        .exclude(token_family=None)
        .values_list("token_family", flat=True)
    )
    id_tokens = list(issued.exclude(id_token=None).values_list("id_token", flat=True))
    for family in families:
        RefreshToken.revoke_family(family)
    for refresh in RefreshToken.objects.filter(access_token__in=issued, revoked=None):
        refresh.revoke()
    issued.delete()
    IDToken.objects.filter(pk__in=id_tokens).delete()
    return count

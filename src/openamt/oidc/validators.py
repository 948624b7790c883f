"""The Servicekonto as OpenID provider: the ID token's `acr` is the assurance
level the user's session had when they authorised the client, carried from
the authorisation code to the tokens; nothing the client sends can raise it.
So are the login method (`amr`), the time of the login (`auth_time`) and the
session, whose end revokes the tokens."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime
from typing import Any

from oauth2_provider.models import AccessToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from openamt.accounts.constants import EIDAS_LOA, AssuranceLevel
from openamt.accounts.models import ProfileAttribute
from openamt.core.lookups import unique_or_none
from openamt.oidc.models import Authentication, GrantLevel, TokenLevel

# Attributes of oauthlib's request that carry the authentication from the
# authorisation view (as credentials) through code and refresh to each token.
LEVEL_ATTRIBUTE = "openamt_level"
ACR_ATTRIBUTE = "openamt_acr"
METHOD_ATTRIBUTE = "openamt_method"
AUTH_TIME_ATTRIBUTE = "openamt_auth_time"
SESSION_ATTRIBUTE = "openamt_session"
CARRIED = {
    LEVEL_ATTRIBUTE: "level",
    ACR_ATTRIBUTE: "acr",
    METHOD_ATTRIBUTE: "method",
    AUTH_TIME_ATTRIBUTE: "auth_time",
    SESSION_ATTRIBUTE: "session_id",
}

PROFILE_CLAIMS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "birthdate": "birth_date",
}
# Authentication method references (RFC 8176) of the Servicekonto's login methods;
# a login through an upstream provider reports none (its method is not known here).
METHOD_AMR: dict[str, list[str]] = {
    "passwort": ["pwd"],
    "passwort+totp": ["pwd", "otp", "mfa"],
    "passwort+passkey": ["pwd", "hwk", "mfa"],
    "eid-test": ["sc", "pin", "mfa"],
}
# What the ID token and userinfo may carry (discovery's `claims_supported`).
CLAIMS_SUPPORTED = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "acr",
    "amr",
    "email",
    "email_verified",
    *PROFILE_CLAIMS,
]


def _authentication(request: Any, row: Authentication | None) -> None:
    """Put a stored authentication onto oauthlib's request."""
    if row is not None:
        for attribute, field in CARRIED.items():
            setattr(request, attribute, getattr(row, field))


def _stored(request: Any) -> dict[str, Any]:
    """The authentication on oauthlib's request, as model fields."""
    values = {field: getattr(request, attribute, None) for attribute, field in CARRIED.items()}
    level = str(values["level"] or AssuranceLevel.LOW)
    values["level"] = level
    values["acr"] = values["acr"] or EIDAS_LOA[level]
    values["method"] = values["method"] or ""
    return values


class Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "acr": "openid",
        "amr": "openid",
        "email": "email",
        "email_verified": "email",
        "birthdate": "profile",
    }

    def _load_access_token(self, token: str) -> AccessToken | None:
        # The API clients' settings come with the token: every bearer request
        # needs them, and one query fewer counts at hundreds of applications/s.
        return unique_or_none(
            AccessToken.objects.select_related(
                "application", "application__openamt", "user", "openamt_level"
            ).filter(token_checksum=hashlib.sha256(token.encode("utf-8")).hexdigest())
        )

    def save_authorization_code(
        self, client_id: str, code: dict, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        grant = self._create_authorization_code(request, code)
        if getattr(request, LEVEL_ATTRIBUTE, ""):
            GrantLevel.objects.create(grant=grant, **_stored(request))

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if valid:
            _authentication(
                request,
                GrantLevel.objects.filter(grant__code=code, grant__application=client).first(),
            )
        return valid

    def validate_refresh_token(
        self, refresh_token: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        if valid:
            # A refreshed token keeps the authentication of the one it replaces.
            previous = getattr(request.refresh_token_instance, "access_token_id", None)
            _authentication(request, TokenLevel.objects.filter(access_token_id=previous).first())
        return bool(valid)

    def validate_bearer_token(self, token: str, scopes: list[str], request: Any) -> bool:
        valid = super().validate_bearer_token(token, scopes, request)
        if valid:
            # Loaded with the token (`_load_access_token`): no further query.
            with contextlib.suppress(TokenLevel.DoesNotExist):
                _authentication(request, request.access_token.openamt_level)
        return bool(valid)

    def _create_access_token(
        self, expires: Any, request: Any, token: dict, source_refresh_token: Any = None
    ) -> AccessToken:
        access = super()._create_access_token(expires, request, token, source_refresh_token)
        if access.user_id is not None:
            TokenLevel.objects.create(access_token=access, **_stored(request))
        return access

    def validate_silent_login(self, request: Any) -> bool:
        # `prompt=none` reaches validation only for a holder logged in at the
        # required level (ServicekontoAuthorizationView.dispatch); anyone else
        # is answered `login_required` before.
        return True

    def validate_silent_authorization(self, request: Any) -> bool:
        # Whether the holder consented before is decided where the consent page
        # would be shown (ServicekontoAuthorizationView.get: `consent_required`).
        return True

    def get_discovery_claims(self, request: Any) -> list[str]:
        return list(CLAIMS_SUPPORTED)

    def get_id_token_dictionary(
        self, token: Any, token_handler: Any, request: Any
    ) -> tuple[dict[str, Any], datetime]:
        claims, expires = super().get_id_token_dictionary(token, token_handler, request)
        # The toolkit takes the user's last login, which may be another session's.
        auth_time = getattr(request, AUTH_TIME_ATTRIBUTE, None)
        if auth_time is not None:
            claims["auth_time"] = int(auth_time.timestamp())
        return claims, expires

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        stored = _stored(request)
        claims: dict[str, Any] = {
            "acr": stored["acr"],
            "email": user.email,
            "email_verified": bool(
                getattr(getattr(user, "account", None), "email_verified_at", None)
            ),
        }
        if stored["method"] in METHOD_AMR:
            claims["amr"] = METHOD_AMR[stored["method"]]
        # Granting the "profile" scope on the consent screen is the holder's consent.
        profile = dict(ProfileAttribute.objects.filter(user=user).values_list("name", "value"))
        for claim, name in PROFILE_CLAIMS.items():
            if name in profile:
                claims[claim] = profile[name]
        return claims

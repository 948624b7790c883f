"""The Servicekonto as OpenID provider: the ID token's `acr` is the assurance
level the user's session had when they authorised the client, carried from
the authorisation code to the tokens; nothing the client sends can raise it."""

from __future__ import annotations

import hashlib
from typing import Any

from oauth2_provider.models import AccessToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.models import ProfileAttribute
from openamt.core.lookups import unique_or_none
from openamt.oidc.models import GrantLevel, TokenLevel

LEVEL_ATTRIBUTE = "openamt_acr"
PROFILE_CLAIMS = {
    "given_name": "given_name",
    "family_name": "family_name",
    "birthdate": "birth_date",
}


class Validator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "acr": "openid",
        "email": "email",
        "email_verified": "email",
        "birthdate": "profile",
    }

    def _load_access_token(self, token: str) -> AccessToken | None:
        # The API clients' settings come with the token: every bearer request
        # needs them, and one query fewer counts at hundreds of applications/s.
        return unique_or_none(
            AccessToken.objects.select_related(
                "application", "application__openamt", "user"
            ).filter(token_checksum=hashlib.sha256(token.encode("utf-8")).hexdigest())
        )

    def save_authorization_code(
        self, client_id: str, code: dict, request: Any, *args: Any, **kwargs: Any
    ) -> None:
        grant = self._create_authorization_code(request, code)
        level = getattr(request, LEVEL_ATTRIBUTE, "")
        if level:
            GrantLevel.objects.create(grant=grant, level=level)

    def validate_code(
        self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any
    ) -> bool:
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if valid:
            level = (
                GrantLevel.objects.filter(grant__code=code, grant__application=client)
                .values_list("level", flat=True)
                .first()
            )
            setattr(request, LEVEL_ATTRIBUTE, level or AssuranceLevel.LOW)
        return valid

    def _level(self, request: Any) -> str:
        level = getattr(request, LEVEL_ATTRIBUTE, "")
        if not level:  # a refreshed token keeps the level of the one it replaces
            refresh = getattr(request, "refresh_token_instance", None)
            previous = getattr(refresh, "access_token", None)
            level = (
                TokenLevel.objects.filter(access_token=previous)
                .values_list("level", flat=True)
                .first()
                if previous
                else ""
            )
        return level or AssuranceLevel.LOW

    def _create_access_token(
        self, expires: Any, request: Any, token: dict, source_refresh_token: Any = None
    ) -> AccessToken:
        access = super()._create_access_token(expires, request, token, source_refresh_token)
        if access.user_id is not None:
            TokenLevel.objects.create(access_token=access, level=self._level(request))
        return access

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        claims = {
            "acr": self._level(request),
            "email": user.email,
            "email_verified": bool(
                getattr(getattr(user, "account", None), "email_verified_at", None)
            ),
        }
        # Granting the "profile" scope on the consent screen is the holder's consent.
        profile = dict(ProfileAttribute.objects.filter(user=user).values_list("name", "value"))
        for claim, name in PROFILE_CLAIMS.items():
            if name in profile:
                claims[claim] = profile[name]
        return claims

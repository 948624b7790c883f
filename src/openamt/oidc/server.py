"""oauthlib's OpenID server as the Servicekonto runs it: an authorisation
request must carry a PKCE challenge made with S256.

oauthlib takes a request without `code_challenge_method` as `plain`
(RFC 7636 §4.3) and accepts it; the toolkit's RFC 9700 gate refuses `plain`
only when the code is stored, after the holder has consented. Refusing while
the request is validated means the holder never sees a consent page for a
request that cannot succeed, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

from oauthlib.common import Request
from oauthlib.oauth2.rfc6749 import errors
from oauthlib.openid import Server as OpenIDServer

PKCE_METHODS = ("S256",)


def require_s256(request: Request) -> dict[str, Any]:
    """oauthlib post-authorisation validator: raises `UnsupportedCodeChallengeMethodError`
    (sent to the client's redirect URI as `invalid_request`) unless the challenge
    method is one of PKCE_METHODS; a missing challenge is refused earlier (PKCE_REQUIRED)."""
    if request.code_challenge_method not in PKCE_METHODS:
        raise errors.UnsupportedCodeChallengeMethodError(
            description="code_challenge_method must be S256.", request=request
        )
    return {}


class Server(OpenIDServer):
    def __init__(self, request_validator: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request_validator, *args, **kwargs)
        # Plain OAuth 2 and OpenID requests run different grant objects.
        for grant in (self.auth_grant, self.openid_connect_auth):
            grant.custom_validators.post_auth.append(require_s256)

"""Machine clients of the API: OAuth2 access tokens from the client-credentials
grant (RFC 6749 §4.4), sent as `Authorization: Bearer` (RFC 6750 §2.1), each
operation requiring one scope and a registration that the Land made for the
client (submit applications, deliver to a Postfach, ...).

Every protected router uses `ScopedClient`; what a registration allows is
decided by the app that owns the operation (`admit`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from oauth2_provider.models import Application
from oauth2_provider.oauth2_backends import OAuthLibCore, get_oauthlib_core

from openamt.core.errors import PermissionDenied


class _HeaderOnly(OAuthLibCore):
    """Token checks that never read the request body: the token comes from the
    Authorization header only (RFC 6750 §2.2 form-body tokens are not accepted),
    so a body that is too large or malformed (multipart without a boundary) is
    refused by the operation's own parsing, not by the token check."""

    def extract_body(self, request: HttpRequest) -> list[tuple[str, str]]:
        return []


@dataclass(frozen=True)
class ApiClient:
    """The authenticated client of a request (`request.auth`)."""

    client_id: str
    application: Application
    grant: Any  # what `admit` answered: the sending authority, True, ...


class ScopedClient(HttpBearer):
    """A valid access token with `scope`, of a client that `admit` accepts.

    `admit(application)` answers what the client may act as (truthy) or a falsy
    value; then the request is refused with 403 and `refusal` (German). A token
    that is unknown, expired or lacks the scope answers 401."""

    def __init__(self, *, scope: str, admit: Callable[[Application], Any], refusal: str) -> None:
        super().__init__()
        self.scope = scope
        self.admit = admit
        self.refusal = refusal

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        core = _HeaderOnly(get_oauthlib_core().server)
        valid, oauth_request = core.verify_request(request, scopes=[self.scope])
        if not valid:
            return None
        application: Application = oauth_request.client
        grant = self.admit(application)
        if not grant:
            raise PermissionDenied(self.refusal)
        return ApiClient(client_id=application.client_id, application=application, grant=grant)


def api_client(request: HttpRequest) -> ApiClient:
    """The client a `ScopedClient` admitted for this request."""
    client = request.auth  # type: ignore[attr-defined]
    assert isinstance(client, ApiClient)  # only called behind a ScopedClient
    return client

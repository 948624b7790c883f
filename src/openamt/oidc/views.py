"""The Servicekonto's OpenID provider endpoints that differ from
django-oauth-toolkit's: authorisation (login, step-up and consent), discovery
(what this provider really supports), logout and introspection."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from oauth2_provider import exceptions
from oauth2_provider.forms import AllowForm
from oauth2_provider.views import (
    AuthorizationView,
    ConnectDiscoveryInfoView,
    IntrospectTokenView,
    RPInitiatedLogoutView,
)
from oauthlib.common import Request as OauthlibRequest

from openamt.accounts.auth import AUTH_TIME_KEY, METHOD_KEY, logout_complete, session_level
from openamt.accounts.constants import (
    ACR_LEVELS,
    EIDAS_LOA,
    LEVEL_RANK,
    STORK_QAA,
    AssuranceLevel,
    level_at_least,
)
from openamt.accounts.models import AccountSession
from openamt.oidc.models import ClientSettings
from openamt.oidc.selectors import client_settings
from openamt.oidc.server import PKCE_METHODS
from openamt.oidc.validators import (
    ACR_ATTRIBUTE,
    AUTH_TIME_ATTRIBUTE,
    LEVEL_ATTRIBUTE,
    METHOD_ATTRIBUTE,
    SESSION_ATTRIBUTE,
)

SCOPE_LABELS = {
    "openid": "Ihre Kennung im Servicekonto und das Vertrauensniveau Ihrer Anmeldung",
    "email": "Ihre E-Mail-Adresse",
    "profile": "Ihren Namen",
}
# `acr_values` a relying party may send (in order of strength within each vocabulary).
ACR_VALUES_SUPPORTED = [
    *EIDAS_LOA.values(),
    "STORK-QAA-Level-1",
    "STORK-QAA-Level-2",
    "STORK-QAA-Level-3",
    "STORK-QAA-Level-4",
]
LOGOUT_ERRORS = {
    exceptions.LogoutDenied: "Sie sind weiterhin angemeldet.",
    exceptions.InvalidIDTokenError: "Der Abmeldeauftrag des Dienstes ist ungültig oder abgelaufen.",
    exceptions.ClientIdMissmatch: "Der Abmeldeauftrag passt nicht zum anfragenden Dienst.",
    exceptions.InvalidOIDCClientError: "Der anfragende Dienst ist nicht bekannt.",
    exceptions.InvalidOIDCRedirectURIError: (
        "Die Rücksprungadresse nach der Abmeldung ist für diesen Dienst nicht hinterlegt."
    ),
}


def _acr_values(request: HttpRequest) -> list[str]:
    return str(request.GET.get("acr_values") or request.POST.get("acr_values") or "").split()


def _prompt(request: HttpRequest) -> list[str]:
    return str(request.GET.get("prompt", "")).split()


def required_level(request: HttpRequest) -> str:
    """The client's own requirement, raised (never lowered) by `acr_values`."""
    client_id = request.GET.get("client_id") or request.POST.get("client_id") or ""
    level = (
        ClientSettings.objects.filter(application__client_id=client_id)
        .values_list("required_level", flat=True)
        .first()
        or AssuranceLevel.LOW
    )
    for wanted in _acr_values(request):
        if LEVEL_RANK.get(ACR_LEVELS.get(wanted, ""), 0) > LEVEL_RANK[level]:
            level = ACR_LEVELS[wanted]
    return level


def acr_claim(level: str, requested: list[str]) -> str:
    """The session's level as the `acr` value the client understands: a STORK-QAA
    name if its first known `acr_values` entry is one (the requested name itself
    where it means this level), else the eIDAS LoA URI. Never more than `level`."""
    known = [value for value in requested if value in ACR_LEVELS]
    if known and known[0].startswith("STORK-QAA-"):
        exact = [v for v in known if v.startswith("STORK-QAA-") and ACR_LEVELS[v] == level]
        return exact[0] if exact else STORK_QAA[level]
    return EIDAS_LOA[level]


class ServicekontoAllowForm(AllowForm):
    # Carried from the request to the consent so that `acr` names the level as asked.
    acr_values = forms.CharField(required=False, widget=forms.HiddenInput())


class ServicekontoAuthorizationView(AuthorizationView):
    template_name = "oidc/authorize.html"
    form_class = ServicekontoAllowForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        level = session_level(request)
        needed = required_level(request)
        if not level or not level_at_least(level, needed):
            if "none" in _prompt(request):
                # No page may be shown: the client hears `login_required` (OIDC Core 3.1.2.6).
                return self.handle_no_permission()
            query = {"next": request.get_full_path()}
            if needed != AssuranceLevel.LOW:
                query["niveau"] = needed
            return redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        data = getattr(self, "oauth2_data", None)
        if response.status_code == 200 and data and "none" in _prompt(request):
            # The consent page may not be shown (OIDC Core 3.1.2.6); the request
            # was validated, so its redirect URI is the client's registered one.
            query = {"error": "consent_required"}
            if data.get("state"):
                query["state"] = data["state"]
            separator = "&" if "?" in data["redirect_uri"] else "?"
            return self.redirect(
                data["redirect_uri"] + separator + urlencode(query), data["application"]
            )
        return response

    def get_initial(self) -> dict[str, Any]:
        return {**super().get_initial(), "acr_values": " ".join(_acr_values(self.request))}

    def get_login_url(self) -> str:
        # `prompt=login` sends holders to their own login, not to the staff login.
        return reverse("accounts:login")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope_labels"] = [
            SCOPE_LABELS.get(scope, scope) for scope in context.get("scopes", [])
        ]
        context["level"] = session_level(self.request)
        return context

    def create_authorization_response(
        self, request: HttpRequest, scopes: str, credentials: dict, allow: bool
    ) -> Any:
        # oauthlib copies credentials onto its request: the validator finds them there.
        level = session_level(request)
        auth_time = request.session.get(AUTH_TIME_KEY)
        credentials = {
            **credentials,
            LEVEL_ATTRIBUTE: level,
            ACR_ATTRIBUTE: acr_claim(level, _acr_values(request)),
            METHOD_ATTRIBUTE: str(request.session.get(METHOD_KEY, "")),
            AUTH_TIME_ATTRIBUTE: (
                dt.datetime.fromtimestamp(auth_time, tz=dt.UTC) if auth_time else None
            ),
            SESSION_ATTRIBUTE: AccountSession.objects.filter(
                session_key=request.session.session_key
            )
            .values_list("pk", flat=True)
            .first(),
        }
        return super().create_authorization_response(request, scopes, credentials, allow)


class DiscoveryView(ConnectDiscoveryInfoView):
    """The toolkit's discovery document, narrowed to what this provider does:
    it signs ID tokens with RSA keys only and refuses PKCE without S256."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        data = json.loads(super().get(request, *args, **kwargs).content)
        data["id_token_signing_alg_values_supported"] = ["RS256"]
        data["code_challenge_methods_supported"] = list(PKCE_METHODS)
        data["grant_types_supported"] = [
            "authorization_code",
            "refresh_token",
            "client_credentials",
        ]
        data["acr_values_supported"] = ACR_VALUES_SUPPORTED
        data["claims_parameter_supported"] = False
        data["revocation_endpoint"] = self._get_endpoint_url(request, "revoke-token", required=True)
        data["revocation_endpoint_auth_methods_supported"] = data[
            "token_endpoint_auth_methods_supported"
        ]
        data["introspection_endpoint"] = self._get_endpoint_url(
            request, "introspect", required=True
        )
        data["introspection_endpoint_auth_methods_supported"] = data[
            "token_endpoint_auth_methods_supported"
        ]
        data["prompt_values_supported"] = ["none", "login"]
        data.pop("client_id_metadata_document_supported", None)
        result = JsonResponse(data)
        result["Access-Control-Allow-Origin"] = "*"
        return result


class LogoutView(RPInitiatedLogoutView):
    """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the
    Servicekonto session like the holder's own logout, revoking the tokens
    services received in it, then returns to a registered post-logout address."""

    template_name = "oidc/logout.html"

    def do_logout(
        self,
        application: Any = None,
        post_logout_redirect_uri: str | None = None,
        state: str | None = None,
        token_user: Any = None,
    ) -> HttpResponse:
        logout_complete(self.request)
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)

    def error_response(self, error: Exception) -> HttpResponse:
        message = LOGOUT_ERRORS.get(type(error), "Die Abmeldung ist so nicht möglich.")
        return self.render_to_response(
            {"error": error, "message": message}, status=getattr(error, "status_code", 400)
        )


class IntrospectionView(IntrospectTokenView):
    """Token introspection (RFC 7662) for registered resource servers only
    (`ClientSettings.may_introspect`), authenticated as clients, by POST."""

    http_method_names = ["post", "options"]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not self._is_resource_server(request):
            return JsonResponse(
                {
                    "error": "invalid_client",
                    "error_description": "Nur registrierte Ressourcenserver prüfen Tokens.",
                },
                status=401,
            )
        return super().dispatch(request, *args, **kwargs)

    def verify_request(self, request: HttpRequest) -> tuple[bool, Any]:
        # A bearer token never stands in for a resource server's own credentials.
        return False, None

    def _is_resource_server(self, request: HttpRequest) -> bool:
        core = self.get_oauthlib_core()
        uri, method, body, headers = core._extract_params(request)
        oauth_request = OauthlibRequest(uri, method, body, headers)
        if not core.server.request_validator.authenticate_client(oauth_request):
            return False
        found = client_settings(oauth_request.client)
        return bool(found and found.may_introspect)

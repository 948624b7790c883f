"""The authorisation endpoint of the Servicekonto: login, step-up and consent."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from oauth2_provider.views import AuthorizationView

from openamt.accounts.auth import session_level
from openamt.accounts.constants import LEVEL_RANK, AssuranceLevel, level_at_least
from openamt.oidc.models import ClientSettings
from openamt.oidc.validators import LEVEL_ATTRIBUTE

SCOPE_LABELS = {
    "openid": "Ihre Kennung im Servicekonto und das Vertrauensniveau Ihrer Anmeldung",
    "email": "Ihre E-Mail-Adresse",
    "profile": "Ihren Namen",
}


def required_level(request: HttpRequest) -> str:
    """The client's own requirement, raised (never lowered) by `acr_values`."""
    client_id = request.GET.get("client_id") or request.POST.get("client_id") or ""
    level = (
        ClientSettings.objects.filter(application__client_id=client_id)
        .values_list("required_level", flat=True)
        .first()
        or AssuranceLevel.LOW
    )
    for wanted in (request.GET.get("acr_values") or "").split():
        if LEVEL_RANK.get(wanted, 0) > LEVEL_RANK[level]:
            level = wanted
    return level


class ServicekontoAuthorizationView(AuthorizationView):
    template_name = "oidc/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        level = session_level(request)
        needed = required_level(request)
        if not level or not level_at_least(level, needed):
            query = {"next": request.get_full_path()}
            if needed != AssuranceLevel.LOW:
                query["niveau"] = needed
            return redirect(f"{reverse('accounts:login')}?{urlencode(query)}")
        return super().dispatch(request, *args, **kwargs)

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
        # oauthlib copies credentials onto its request: the validator finds the level there.
        credentials = {**credentials, LEVEL_ATTRIBUTE: session_level(request)}
        return super().create_authorization_response(request, scopes, credentials, allow)

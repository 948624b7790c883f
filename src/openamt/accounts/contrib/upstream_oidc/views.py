from __future__ import annotations

from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from openamt.accounts.auth import login_complete, session_level
from openamt.accounts.constants import AssuranceLevel, level_at_least
from openamt.accounts.contrib.upstream_oidc.plugin import ACR_LEVELS, PROVIDER_ID
from openamt.accounts.models import Account, ExternalIdentity, User
from openamt.accounts.profile import profile_assert
from openamt.accounts.services import account_create, normalise_email
from openamt.accounts.views import next_url

FLOW_KEY = "openamt.upstream_flow"
_oauth: OAuth | None = None


def _client() -> Any:
    """The registered upstream client (configuration read once per process)."""
    global _oauth
    config = settings.OPENAMT_UPSTREAM_OIDC
    if not config["server_metadata_url"]:
        raise Http404("Dieses Anmeldeverfahren ist hier nicht eingerichtet.")
    if _oauth is None:
        _oauth = OAuth()
        _oauth.register(
            PROVIDER_ID,
            client_id=config["client_id"],
            client_secret=config["client_secret"],
            server_metadata_url=config["server_metadata_url"],
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"},
        )
    return _oauth.create_client(PROVIDER_ID)


def start(request: HttpRequest) -> HttpResponse:
    client = _client()
    request.session[FLOW_KEY] = {
        "next": next_url(request),
        "required": request.GET.get("niveau", ""),
    }
    return client.authorize_redirect(
        request, request.build_absolute_uri(reverse("accounts:upstream-callback"))
    )


def _fail(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "accounts/upstream_error.html", {"message": message}, status=400)


@transaction.atomic
def _holder(request: HttpRequest, subject: str, claims: dict[str, Any]) -> User | None:
    """The account the upstream identity belongs to: linked before, the one logged
    in now (linking it), or a new one. None if the address belongs to an unlinked account."""
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=PROVIDER_ID, subject=subject)
        .first()
    )
    if link is not None:
        return link.user
    current = request.user
    if (
        session_level(request)
        and isinstance(current, User)
        and Account.objects.filter(user=current).exists()
    ):
        user = current
    else:
        email = (
            normalise_email(str(claims.get("email") or "")) if claims.get("email_verified") else ""
        )
        username = email or f"{PROVIDER_ID}:{subject}"
        if User.objects.filter(username=username).exists():
            return None
        # Confirmed by the identity provider: usable at once, with its Postfach.
        user = account_create(
            email=email, username=username, email_verified=bool(email), active=True
        ).user
    ExternalIdentity.objects.create(provider=PROVIDER_ID, subject=subject, user=user)
    return user


def callback(request: HttpRequest) -> HttpResponse:
    client = _client()
    flow = request.session.pop(FLOW_KEY, None) or {"next": "/konto/", "required": ""}
    try:
        token = client.authorize_access_token(request)
    except OAuthError as error:
        return _fail(request, f"Die Anmeldung wurde nicht abgeschlossen ({error.error}).")
    claims = dict(token.get("userinfo") or {})
    level = ACR_LEVELS.get(str(claims.get("acr", "")))
    if level is None:
        return _fail(request, "Das Anmeldeverfahren hat kein bekanntes Vertrauensniveau bestätigt.")
    required = flow["required"] or AssuranceLevel.LOW
    if required in AssuranceLevel.values and not level_at_least(level, required):
        return _fail(
            request,
            f"Diese Anmeldung erreicht das Vertrauensniveau „{level}“, verlangt ist „{required}“.",
        )
    user = _holder(request, str(claims["sub"]), claims)
    if user is None:
        return _fail(
            request,
            "Zu dieser E-Mail-Adresse gibt es schon ein Servicekonto. Melden Sie sich zuerst mit Ihrem Passwort an "
            "und wählen Sie dann dieses Anmeldeverfahren, um es zu verbinden.",
        )
    login_complete(request, user, method=PROVIDER_ID, level=level)
    profile_assert(
        user=user,
        attributes={
            "given_name": str(claims.get("given_name", "")),
            "family_name": str(claims.get("family_name", "")),
            "birth_date": str(claims.get("birthdate", "")),
        },
        source=PROVIDER_ID,
        level=level,
    )
    return redirect(flow["next"])

"""The authorisation code flow as a relying party and a browser drive it, for tests."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.http import HttpResponse
from django.test import Client
from oauth2_provider.models import Application

from openamt.accounts.models import Account, User
from openamt.oidc.models import ClientSettings

REDIRECT = "https://dienst.example.org/callback"
AFTER_LOGOUT = "https://dienst.example.org/abgemeldet"
SECRET = "geheimnis-des-dienstes-0123456789"
EMAIL = "dora.test@example.org"
PASSWORD = "Ein-gutes-Testpasswort-42"


def make_holder(email: str = EMAIL) -> User:
    user = User.objects.create_user(username=email, email=email, password=PASSWORD)
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    return user


def make_client(name: str, level: str = "niedrig", redirect: str = REDIRECT) -> Application:
    app = Application.objects.create(
        name=name,
        client_id=name.lower().replace(" ", "-"),
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect,
        post_logout_redirect_uris=AFTER_LOGOUT,
        algorithm=Application.RS256_ALGORITHM,
    )
    ClientSettings.objects.create(application=app, required_level=level)
    return app


def logged_in(email: str = EMAIL) -> Client:
    browser = Client()
    response = browser.post("/konto/anmelden/", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return browser


def rp_session(app: Application, scope: str = "openid email") -> OAuth2Session:
    return OAuth2Session(
        client_id=app.client_id,
        client_secret=SECRET,
        scope=scope,
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )


def authorise(
    browser: Client, app: Application, extra: dict | None = None
) -> tuple[HttpResponse, str, str, OAuth2Session]:
    """Start at the authorisation endpoint; return (response, verifier, nonce, rp)."""
    rp = rp_session(app)
    verifier, nonce = generate_token(48), generate_token(16)
    url, _state = rp.create_authorization_url(
        "http://testserver/oidc/authorize/", code_verifier=verifier, nonce=nonce, **(extra or {})
    )
    return browser.get(url), verifier, nonce, rp


def consent(browser: Client, response: HttpResponse) -> str:
    """Agree on the consent page; return the code sent to the client."""
    form = response.context["form"]
    data = {field.name: field.value() or "" for field in form if field.is_hidden}
    data["allow"] = "Authorize"
    redirected = browser.post("/oidc/authorize/", data)
    location = redirected["Location"]
    assert location.startswith(REDIRECT), location
    return parse_qs(urlsplit(location).query)["code"][0]


def token_request(browser: Client, app: Application, data: dict) -> HttpResponse:
    return browser.post(
        "/oidc/token/", {**data, "client_id": app.client_id, "client_secret": SECRET}
    )


def tokens(browser: Client, app: Application, code: str, verifier: str) -> dict:
    response = token_request(
        browser,
        app,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()


def sign_in(browser: Client, app: Application, extra: dict | None = None) -> dict:
    """The whole code flow for a browser already logged in: the token response.
    A holder who consented before for the same scopes is not asked again."""
    response, verifier, _nonce, _rp = authorise(browser, app, extra)
    if response.status_code == 302 and response["Location"].startswith(REDIRECT):
        code = parse_qs(urlsplit(response["Location"]).query)["code"][0]
    else:
        assert response.status_code == 200, response.get("Location")
        code = consent(browser, response)
    return tokens(browser, app, code, verifier)


def refresh(app: Application, refresh_token: str) -> HttpResponse:
    return token_request(
        Client(), app, {"grant_type": "refresh_token", "refresh_token": refresh_token}
    )


def userinfo(access_token: str) -> HttpResponse:
    return Client().get("/oidc/userinfo/", headers={"Authorization": f"Bearer {access_token}"})

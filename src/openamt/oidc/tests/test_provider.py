"""The Servicekonto as OpenID provider, driven by Authlib as a relying party would."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.test import Client
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from oauth2_provider.models import Application

from openamt.accounts.models import Account, User
from openamt.oidc.models import ClientSettings

REDIRECT = "https://dienst.example.org/callback"
SECRET = "geheimnis-des-dienstes-0123456789"
EMAIL = "dora.test@example.org"
PASSWORD = "Ein-gutes-Testpasswort-42"


@pytest.fixture
def holder(db) -> User:
    user = User.objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    return user


def _client(name: str, level: str = "niedrig") -> Application:
    app = Application.objects.create(
        name=name,
        client_id=name.lower().replace(" ", "-"),
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm=Application.RS256_ALGORITHM,
    )
    ClientSettings.objects.create(application=app, required_level=level)
    return app


def _session(app: Application) -> OAuth2Session:
    return OAuth2Session(
        client_id=app.client_id,
        client_secret=SECRET,
        scope="openid email",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )


def _authorise(browser: Client, app: Application, extra: dict | None = None):
    """Start at the authorisation endpoint; return (response, verifier, nonce)."""
    rp = _session(app)
    verifier, nonce = generate_token(48), generate_token(16)
    url, _state = rp.create_authorization_url(
        "http://testserver/oidc/authorize/", code_verifier=verifier, nonce=nonce, **(extra or {})
    )
    return browser.get(url), verifier, nonce, rp


def _consent(browser: Client, response) -> str:
    form = response.context["form"]
    data = {
        name: field.value() or "" for name, field in ((f.name, f) for f in form) if field.is_hidden
    }
    data["allow"] = "Authorize"
    redirected = browser.post("/oidc/authorize/", data)
    location = redirected["Location"]
    assert location.startswith(REDIRECT)
    return parse_qs(urlsplit(location).query)["code"][0]


def _tokens(browser: Client, app: Application, code: str, verifier: str) -> dict:
    response = browser.post(
        "/oidc/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
            "client_id": app.client_id,
            "client_secret": SECRET,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()


def _id_token(browser: Client, app: Application, tokens: dict, nonce: str) -> dict:
    """Verify an ID token as the relying party does: key set, issuer, audience, nonce."""
    discovery = browser.get("/oidc/.well-known/openid-configuration").json()
    keys = KeySet.import_key_set(
        browser.get(discovery["jwks_uri"].replace("http://testserver", "")).json()
    )
    token = jwt.decode(tokens["id_token"], keys, algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": discovery["issuer"]},
        aud={"essential": True, "value": app.client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
    ).validate(token.claims)
    return token.claims


def test_code_flow_with_pkce_gives_an_id_token_with_the_sessions_level(holder):
    app = _client("Hundesteuer online")
    browser = Client()
    browser.post("/konto/anmelden/", {"email": EMAIL, "password": PASSWORD})
    response, verifier, nonce, _rp = _authorise(browser, app)
    assert response.status_code == 200
    assert (
        "Hundesteuer online möchte Sie mit Ihrem Servicekonto anmelden" in response.content.decode()
    )
    claims = _id_token(
        browser, app, _tokens(browser, app, _consent(browser, response), verifier), nonce
    )
    assert claims["acr"] == "niedrig"
    assert claims["sub"] == str(holder.pk)
    assert (claims["email"], claims["email_verified"]) == (EMAIL, True)


def test_a_client_requiring_substanziell_makes_the_holder_step_up(holder):
    app = _client("Wohngeld online", level="substanziell")
    browser = Client()
    browser.post("/konto/anmelden/", {"email": EMAIL, "password": PASSWORD})
    response, verifier, nonce, _rp = _authorise(browser, app, {"acr_values": "niedrig"})
    login = response["Location"]
    assert login.startswith("/konto/anmelden/?next=")
    assert "niveau=substanziell" in login
    page = browser.get(login).content.decode()
    assert "Online-Ausweis (Testverfahren)" in page
    assert 'name="password"' not in page  # a password cannot reach the level
    next_url = parse_qs(urlsplit(login).query)["next"][0]
    wrong = browser.post(
        "/konto/anmelden/eid-test/", {"email": EMAIL, "pin": "000000", "next": next_url}
    )
    assert "nicht akzeptiert" in wrong.content.decode()
    stepped = browser.post(
        "/konto/anmelden/eid-test/", {"email": EMAIL, "pin": "123456", "next": next_url}
    )
    assert stepped["Location"] == next_url
    consent = browser.get(next_url)
    claims = _id_token(
        browser, app, _tokens(browser, app, _consent(browser, consent), verifier), nonce
    )
    assert claims["acr"] == "hoch"


def test_the_request_cannot_lower_or_forge_the_level(holder):
    app = _client("Gewerbe online", level="substanziell")
    browser = Client()
    browser.post("/konto/anmelden/", {"email": EMAIL, "password": PASSWORD})
    response, _verifier, _nonce, _rp = _authorise(
        browser,
        app,
        {"acr_values": "niedrig", "claims": json.dumps({"id_token": {"acr": {"value": "hoch"}}})},
    )
    assert response["Location"].startswith("/konto/anmelden/?next=")  # still a step-up

    plain = _client("Bibliothek online")
    response, verifier, nonce, _rp = _authorise(browser, plain)
    tokens = _tokens(browser, plain, _consent(browser, response), verifier)
    header, payload, signature = tokens["id_token"].split(".")
    import base64

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["acr"] == "niedrig"
    claims["acr"] = "hoch"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    with pytest.raises(BadSignatureError):
        _id_token(browser, plain, {**tokens, "id_token": f"{header}.{forged}.{signature}"}, nonce)


def test_without_pkce_or_with_a_foreign_redirect_nothing_is_issued(holder):
    app = _client("Parken online")
    browser = Client()
    browser.post("/konto/anmelden/", {"email": EMAIL, "password": PASSWORD})
    no_pkce = browser.get(
        "/oidc/authorize/",
        {
            "client_id": app.client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": REDIRECT,
        },
    )
    assert (
        no_pkce["Location"]
        == f"{REDIRECT}?error=invalid_request&error_description=Code+challenge+required."
    )
    foreign = browser.get(
        "/oidc/authorize/",
        {
            "client_id": app.client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": "https://evil.example.com/cb",
            "code_challenge": "x" * 43,
            "code_challenge_method": "S256",
        },
    )
    assert foreign.status_code == 400
    assert "Anmeldung nicht möglich" in foreign.content.decode()

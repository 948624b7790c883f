"""The Servicekonto as OpenID provider, driven by Authlib as a relying party would."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from oauth2_provider.models import Application

from openamt.accounts.models import User
from openamt.oidc.tests.flow import (
    EMAIL,
    PASSWORD,
    REDIRECT,
    make_holder,
)
from openamt.oidc.tests.flow import authorise as _authorise
from openamt.oidc.tests.flow import consent as _consent
from openamt.oidc.tests.flow import make_client as _client
from openamt.oidc.tests.flow import tokens as _tokens


@pytest.fixture
def holder(db) -> User:
    return make_holder()


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
    assert claims["acr"] == "http://eidas.europa.eu/LoA/low"
    assert claims["sub"] == str(holder.pk)
    assert (claims["email"], claims["email_verified"]) == (EMAIL, True)


def test_a_client_requiring_substanziell_makes_the_holder_step_up(holder):
    app = _client("Wohngeld online", level="substanziell")
    browser = Client()
    browser.post("/konto/anmelden/", {"email": EMAIL, "password": PASSWORD})
    response, verifier, nonce, _rp = _authorise(
        browser, app, {"acr_values": "http://eidas.europa.eu/LoA/low"}
    )
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
    assert claims["acr"] == "http://eidas.europa.eu/LoA/high"


def test_the_request_cannot_lower_or_forge_the_level(holder):
    app = _client("Gewerbe online", level="substanziell")
    browser = Client()
    browser.post("/konto/anmelden/", {"email": EMAIL, "password": PASSWORD})
    response, _verifier, _nonce, _rp = _authorise(
        browser,
        app,
        {
            "acr_values": "http://eidas.europa.eu/LoA/low",
            "claims": json.dumps({"id_token": {"acr": {"value": "hoch"}}}),
        },
    )
    assert response["Location"].startswith("/konto/anmelden/?next=")  # still a step-up

    plain = _client("Bibliothek online")
    response, verifier, nonce, _rp = _authorise(browser, plain)
    tokens = _tokens(browser, plain, _consent(browser, response), verifier)
    header, payload, signature = tokens["id_token"].split(".")
    import base64

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["acr"] == "http://eidas.europa.eu/LoA/low"
    claims["acr"] = "http://eidas.europa.eu/LoA/high"
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

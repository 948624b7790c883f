"""A relying party built on Authlib's OAuth 2 client talks real HTTP to the
Servicekonto on a live server: discovery, code flow with PKCE S256, step-up
through `acr_values`, userinfo, refresh with rotation, reuse detection and
RP-initiated logout. The holder's browser is a second HTTP session."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from openamt.accounts.models import AccountSession
from openamt.oidc.tests.flow import (
    AFTER_LOGOUT,
    EMAIL,
    PASSWORD,
    REDIRECT,
    SECRET,
    make_client,
    make_holder,
)

EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"


@pytest.fixture
def provider(live_server, transactional_db, monkeypatch) -> str:
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the live server speaks http
    make_holder()
    make_client("Wohngeld online")
    return str(live_server.url)


def _hidden_fields(html: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    return {name: unescape(value) for name, value in found}


def _post_form(browser: requests.Session, page: requests.Response, data: dict) -> requests.Response:
    """Send the form of a page the browser has open (with its CSRF token), without
    following a redirect: the last one leads to the relying party."""
    fields = {**_hidden_fields(page.text), **data}
    return browser.post(page.url, data=fields, headers={"Referer": page.url}, allow_redirects=False)


def _follow(browser: requests.Session, response: requests.Response, base: str) -> requests.Response:
    """Follow redirects inside the provider; stop at the relying party's address."""
    while response.status_code == 302:
        location = response.headers["Location"]
        if location.startswith(("https://dienst.example.org", "http://dienst.example.org")):
            break
        response = browser.get(
            location if location.startswith("http") else base + location, allow_redirects=False
        )
    return response


def _verify_id_token(rp: OAuth2Session, metadata: dict, id_token: str, nonce: str) -> dict:
    keys = KeySet.import_key_set(rp.get(metadata["jwks_uri"], withhold_token=True).json())
    token = jwt.decode(id_token, keys, algorithms=metadata["id_token_signing_alg_values_supported"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": metadata["issuer"]},
        aud={"essential": True, "value": "wohngeld-online"},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        auth_time={"essential": True},
    ).validate(token.claims)
    return token.claims


def _log_in(browser: requests.Session, base: str) -> None:
    page = browser.get(f"{base}/konto/anmelden/")
    assert _post_form(browser, page, {"email": EMAIL, "password": PASSWORD}).status_code == 302


def _authorise(
    browser: requests.Session, rp: OAuth2Session, metadata: dict, base: str, **extra: str
) -> tuple[str, str, str]:
    """Run the browser through login, step-up and consent; return (redirect, verifier, nonce)."""
    verifier, nonce = generate_token(48), generate_token(16)
    url, _state = rp.create_authorization_url(
        metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce, **extra
    )
    response = _follow(browser, browser.get(url, allow_redirects=False), base)
    if "/konto/anmelden/" in response.url:  # step-up: the simulated eID card
        assert "niveau=hoch" in response.url
        next_url = parse_qs(urlsplit(response.url).query)["next"][0]
        card = browser.get(f"{base}/konto/anmelden/eid-test/", params={"next": next_url})
        response = _follow(
            browser, _post_form(browser, card, {"email": EMAIL, "pin": "123456"}), base
        )
    if response.status_code == 200:  # the consent page
        assert "Wohngeld online möchte Sie mit Ihrem Servicekonto anmelden" in response.text
        response = _post_form(browser, response, {"allow": "Authorize"})
    assert response.headers.get("Location", "").startswith(REDIRECT), (
        response.url,
        response.text[:3000],
    )
    return response.headers["Location"], verifier, nonce


@pytest.fixture
def sessions():
    """HTTP sessions of the test, closed before the live server stops."""
    opened: list[requests.Session] = []
    yield opened
    for session in opened:
        session.close()


def test_a_relying_party_on_authlib_uses_the_provider_end_to_end(provider, sessions):
    base = provider
    rp = OAuth2Session(
        client_id="wohngeld-online",
        client_secret=SECRET,
        scope="openid email",
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )
    browser = requests.Session()
    sessions.extend([rp, browser])
    metadata = rp.get(f"{base}/oidc/.well-known/openid-configuration", withhold_token=True).json()
    assert metadata["issuer"] == f"{base}/oidc"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert EIDAS_HIGH in metadata["acr_values_supported"]

    _log_in(browser, base)
    # The relying party asks for "hoch"; the password login reaches "niedrig" only.
    redirect, verifier, nonce = _authorise(browser, rp, metadata, base, acr_values=EIDAS_HIGH)
    tokens = rp.fetch_token(
        metadata["token_endpoint"], authorization_response=redirect, code_verifier=verifier
    )
    claims = _verify_id_token(rp, metadata, tokens["id_token"], nonce)
    assert (claims["acr"], claims["amr"]) == (EIDAS_HIGH, ["sc", "pin", "mfa"])
    info = rp.get(metadata["userinfo_endpoint"]).json()
    assert (info["acr"], info["email"], info["email_verified"]) == (EIDAS_HIGH, EMAIL, True)

    first_refresh = tokens["refresh_token"]
    renewed = rp.refresh_token(metadata["token_endpoint"], refresh_token=first_refresh)
    assert renewed["refresh_token"] != first_refresh
    assert rp.get(metadata["userinfo_endpoint"]).status_code == 200
    # Someone replays the refresh token that was just replaced: the family is revoked.
    with pytest.raises(OAuthError) as replay:
        rp.refresh_token(metadata["token_endpoint"], refresh_token=first_refresh)
    assert replay.value.error == "invalid_grant"
    assert rp.get(metadata["userinfo_endpoint"]).status_code == 401
    with pytest.raises(OAuthError):
        rp.refresh_token(metadata["token_endpoint"], refresh_token=renewed["refresh_token"])

    # A new sign-in, then the relying party logs the holder out.
    redirect, verifier, nonce = _authorise(browser, rp, metadata, base)
    tokens = rp.fetch_token(
        metadata["token_endpoint"], authorization_response=redirect, code_verifier=verifier
    )
    assert rp.get(metadata["userinfo_endpoint"]).status_code == 200
    confirm = browser.get(
        metadata["end_session_endpoint"],
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": AFTER_LOGOUT,
            "state": "ende",
        },
    )
    assert "Vom Servicekonto abmelden?" in confirm.text
    done = _post_form(browser, confirm, {"allow": "true"})
    assert done.headers["Location"] == f"{AFTER_LOGOUT}?state=ende"
    assert not AccountSession.objects.exists()
    assert rp.get(metadata["userinfo_endpoint"]).status_code == 401
    with pytest.raises(OAuthError):
        rp.refresh_token(metadata["token_endpoint"], refresh_token=tokens["refresh_token"])

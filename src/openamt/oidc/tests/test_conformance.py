"""The provider offers exactly what works, and ends what a session handed out
when the session ends: discovery, PKCE with S256 only, logout, revocation,
refresh-token rotation with reuse detection, introspection for resource servers."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, Grant, IDToken, RefreshToken

from openamt.accounts.models import AccountSession, User
from openamt.oidc.tests.flow import (
    AFTER_LOGOUT,
    EMAIL,
    PASSWORD,
    REDIRECT,
    SECRET,
    logged_in,
    make_client,
    make_holder,
    refresh,
    sign_in,
    userinfo,
)

EIDAS_LOW = "http://eidas.europa.eu/LoA/low"
EIDAS_HIGH = "http://eidas.europa.eu/LoA/high"


@pytest.fixture
def holder(db) -> User:
    return make_holder()


def test_discovery_lists_exactly_what_the_provider_supports(db):
    data = Client().get("/oidc/.well-known/openid-configuration").json()
    assert data["response_types_supported"] == ["code"]
    assert data["code_challenge_methods_supported"] == ["S256"]
    assert data["grant_types_supported"] == [
        "authorization_code",
        "refresh_token",
        "client_credentials",
    ]
    assert data["id_token_signing_alg_values_supported"] == ["RS256"]
    assert data["acr_values_supported"] == [
        "http://eidas.europa.eu/LoA/low",
        "http://eidas.europa.eu/LoA/substantial",
        "http://eidas.europa.eu/LoA/high",
        "STORK-QAA-Level-1",
        "STORK-QAA-Level-2",
        "STORK-QAA-Level-3",
        "STORK-QAA-Level-4",
    ]
    assert set(data["claims_supported"]) == {
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "acr",
        "amr",
        "email",
        "email_verified",
        "given_name",
        "family_name",
        "birthdate",
    }
    assert data["end_session_endpoint"] == "http://testserver/oidc/logout/"
    assert data["revocation_endpoint"] == "http://testserver/oidc/revoke_token/"
    assert data["introspection_endpoint"] == "http://testserver/oidc/introspect/"
    assert data["claims_parameter_supported"] is False
    assert data["prompt_values_supported"] == ["none", "login"]


def _prompt_request(app, prompt: str, **extra: str) -> dict:
    return {
        "client_id": app.client_id,
        "response_type": "code",
        "scope": "openid",
        "redirect_uri": REDIRECT,
        "state": "zustand",
        "code_challenge": "v" * 43,
        "code_challenge_method": "S256",
        "prompt": prompt,
        **extra,
    }


def test_prompt_none_answers_login_required_instead_of_a_page(holder):
    app = make_client("Wohngeld online")
    expected = f"{REDIRECT}?error=login_required&state=zustand"
    anonymous = Client().get("/oidc/authorize/", _prompt_request(app, "none"))
    assert anonymous["Location"] == expected
    too_low = logged_in().get(
        "/oidc/authorize/", _prompt_request(app, "none", acr_values=EIDAS_HIGH)
    )
    assert too_low["Location"] == expected
    foreign = Client().get(
        "/oidc/authorize/", _prompt_request(app, "none", redirect_uri="https://evil.example.com/")
    )
    assert not foreign.get("Location", "").startswith("https://evil.example.com")
    assert not Grant.objects.exists()


def test_prompt_none_gives_a_code_only_after_consent(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    unasked = browser.get("/oidc/authorize/", _prompt_request(app, "none"))
    assert unasked["Location"] == f"{REDIRECT}?error=consent_required&state=zustand"
    assert not Grant.objects.exists()
    sign_in(browser, app, {"scope": "openid"})
    silent = browser.get("/oidc/authorize/", _prompt_request(app, "none"))
    assert parse_qs(urlsplit(silent["Location"]).query)["code"]


def test_prompt_login_asks_the_holder_to_log_in_again_on_the_citizens_side(holder):
    app = make_client("Wohngeld online")
    response = logged_in().get("/oidc/authorize/", _prompt_request(app, "login"))
    location = urlsplit(response["Location"])
    assert location.path == "/konto/anmelden/"
    again = parse_qs(urlsplit(parse_qs(location.query)["next"][0]).query)
    assert "prompt" not in again
    assert again["client_id"] == [app.client_id]


@pytest.mark.parametrize("method", ["plain", None])
def test_a_challenge_without_s256_is_refused_before_consent(holder, method):
    app = make_client("Parken online")
    browser = logged_in()
    query = {
        "client_id": app.client_id,
        "response_type": "code",
        "scope": "openid",
        "redirect_uri": REDIRECT,
        "code_challenge": "v" * 43,
    }
    if method:
        query["code_challenge_method"] = method
    response = browser.get("/oidc/authorize/", query)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    assert parse_qs(location.query)["error"] == ["invalid_request"]
    # The consent form cannot be sent around the check either.
    posted = browser.post(
        "/oidc/authorize/",
        {**query, "code_challenge_method": method or "", "allow": "Authorize", "state": "s"},
    )
    assert "code=" not in posted.get("Location", "")
    assert not Grant.objects.exists()
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("response_type", ["token", "id_token", "id_token token", "code id_token"])
def test_implicit_and_hybrid_flows_give_nothing(holder, response_type):
    app = make_client("Parken online")
    response = logged_in().get(
        "/oidc/authorize/",
        {
            "client_id": app.client_id,
            "response_type": response_type,
            "scope": "openid",
            "redirect_uri": REDIRECT,
            "nonce": "n",
            "code_challenge": "v" * 43,
            "code_challenge_method": "S256",
        },
    )
    assert "error=" in response["Location"]
    assert "access_token" not in response["Location"]
    assert "id_token=" not in response["Location"]
    assert not Grant.objects.exists()
    assert not AccessToken.objects.exists()


def test_get_logout_answers_a_page_not_an_error(holder):
    anonymous = Client().get("/oidc/logout/")
    assert (anonymous.status_code, anonymous["Location"]) == (302, "http://testserver/")
    page = logged_in().get("/oidc/logout/")
    assert page.status_code == 200
    assert "Vom Servicekonto abmelden?" in page.content.decode()


def test_rp_initiated_logout_ends_the_session_and_its_tokens(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    issued = sign_in(browser, app)
    query = {
        "id_token_hint": issued["id_token"],
        "post_logout_redirect_uri": AFTER_LOGOUT,
        "state": "zustand-1",
    }
    page = browser.get("/oidc/logout/", query)
    assert "Wohngeld online möchte Sie abmelden" in page.content.decode()
    form = page.context["form"]
    data = {field.name: field.value() or "" for field in form if field.is_hidden}
    done = browser.post("/oidc/logout/", {**data, "allow": "true"})
    assert done["Location"] == f"{AFTER_LOGOUT}?state=zustand-1"
    assert not AccountSession.objects.filter(user=holder).exists()
    assert browser.get("/konto/").status_code == 302  # logged out
    assert userinfo(issued["access_token"]).status_code == 401
    assert refresh(app, issued["refresh_token"]).status_code == 400
    assert not IDToken.objects.exists()


def test_rp_logout_to_an_unregistered_address_is_refused(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    issued = sign_in(browser, app)
    refused = browser.get(
        "/oidc/logout/",
        {
            "id_token_hint": issued["id_token"],
            "post_logout_redirect_uri": "https://evil.example.com/",
        },
    )
    assert refused.status_code == 400
    assert "nicht hinterlegt" in refused.content.decode()
    assert AccountSession.objects.filter(user=holder).count() == 1
    assert userinfo(issued["access_token"]).status_code == 200


def test_the_holders_logout_revokes_the_tokens_of_that_session_only(holder):
    app = make_client("Wohngeld online")
    browser, other_device = logged_in(), logged_in()
    issued = sign_in(browser, app)
    kept = sign_in(other_device, app)
    assert userinfo(issued["access_token"]).status_code == 200
    browser.post("/konto/abmelden/")
    assert userinfo(issued["access_token"]).status_code == 401
    assert refresh(app, issued["refresh_token"]).status_code == 400
    assert userinfo(kept["access_token"]).status_code == 200
    assert refresh(app, kept["refresh_token"]).status_code == 200


def test_ending_a_session_from_another_device_revokes_its_tokens(holder):
    app = make_client("Wohngeld online")
    browser, other_device = logged_in(), logged_in()
    issued = sign_in(other_device, app)
    record = AccountSession.objects.get(session_key=other_device.session.session_key)
    browser.post(f"/konto/sitzungen/{record.pk}/beenden/")
    assert userinfo(issued["access_token"]).status_code == 401
    assert refresh(app, issued["refresh_token"]).status_code == 400


def test_a_password_change_revokes_the_tokens(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    issued = sign_in(browser, app)
    changed = browser.post(
        "/konto/passwort/aendern/",
        {
            "old_password": PASSWORD,
            "new_password1": "Ein-ganz-neues-Passwort-43",
            "new_password2": "Ein-ganz-neues-Passwort-43",
        },
    )
    assert changed.status_code == 302
    assert userinfo(issued["access_token"]).status_code == 401
    assert refresh(app, issued["refresh_token"]).status_code == 400
    assert browser.get("/konto/").status_code == 200  # this session goes on


def test_deleting_the_account_revokes_the_tokens(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    issued = sign_in(browser, app)
    browser.post("/konto/datenschutz/loeschen/", {"password": PASSWORD, "confirm": "on"})
    assert not User.objects.filter(pk=holder.pk).exists()
    assert userinfo(issued["access_token"]).status_code == 401
    assert refresh(app, issued["refresh_token"]).status_code == 400
    assert not AccessToken.objects.exists()


def test_refresh_tokens_rotate_and_a_reused_one_revokes_the_family(holder):
    app = make_client("Wohngeld online")
    issued = sign_in(logged_in(), app)
    first = refresh(app, issued["refresh_token"])
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != issued["refresh_token"]
    assert userinfo(rotated["access_token"]).status_code == 200
    replay = refresh(app, issued["refresh_token"])
    assert (replay.status_code, replay.json()["error"]) == (400, "invalid_grant")
    assert userinfo(rotated["access_token"]).status_code == 401
    assert refresh(app, rotated["refresh_token"]).status_code == 400
    assert not RefreshToken.objects.filter(revoked=None).exists()


def test_userinfo_and_refreshed_tokens_keep_the_level_method_and_session(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    browser.post("/konto/anmelden/eid-test/", {"email": EMAIL, "pin": "123456"})
    issued = sign_in(browser, app)
    claims = userinfo(issued["access_token"]).json()
    assert (claims["acr"], claims["amr"]) == (EIDAS_HIGH, ["sc", "pin", "mfa"])
    renewed = refresh(app, issued["refresh_token"]).json()
    assert userinfo(renewed["access_token"]).json()["acr"] == EIDAS_HIGH
    browser.post("/konto/abmelden/")
    assert userinfo(renewed["access_token"]).status_code == 401


def test_acr_is_named_in_the_vocabulary_the_client_asked_in(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    stork = sign_in(browser, app, {"acr_values": "STORK-QAA-Level-2"})
    assert userinfo(stork["access_token"]).json()["acr"] == "STORK-QAA-Level-2"
    other = make_client("Parken online")
    eidas = sign_in(browser, other, {"acr_values": EIDAS_LOW})
    assert userinfo(eidas["access_token"]).json()["acr"] == EIDAS_LOW


def test_a_step_up_keeps_the_tokens_issued_before_it(holder):
    app = make_client("Wohngeld online")
    browser = logged_in()
    issued = sign_in(browser, app)
    browser.post("/konto/anmelden/eid-test/", {"email": EMAIL, "pin": "123456"})
    assert AccountSession.objects.filter(user=holder).count() == 1
    assert userinfo(issued["access_token"]).status_code == 200
    browser.post("/konto/abmelden/")
    assert userinfo(issued["access_token"]).status_code == 401


def test_only_resource_servers_may_introspect(holder, land_admin):
    app = make_client("Wohngeld online")
    issued = sign_in(logged_in(), app)
    asked_by_a_client = Client().post(
        "/oidc/introspect/",
        {"token": issued["access_token"], "client_id": app.client_id, "client_secret": SECRET},
    )
    assert asked_by_a_client.status_code == 401
    assert "active" not in asked_by_a_client.json()
    with_its_token = Client().post(
        "/oidc/introspect/",
        {"token": issued["access_token"]},
        headers={"Authorization": f"Bearer {issued['access_token']}"},
    )
    assert with_its_token.status_code == 401
    from openamt.oidc.services import RESOURCE_SERVER, client_register

    server, secret = client_register(
        actor=land_admin, name="Fachverfahren Wohngeld", kind=RESOURCE_SERVER
    )
    answer = Client().post(
        "/oidc/introspect/",
        {"token": issued["access_token"], "client_id": server.client_id, "client_secret": secret},
    )
    assert answer.status_code == 200
    assert (answer.json()["active"], answer.json()["client_id"]) == (True, app.client_id)
    in_the_url = Client().get(
        "/oidc/introspect/",
        {"token": issued["access_token"], "client_id": server.client_id, "client_secret": secret},
    )
    assert in_the_url.status_code == 405

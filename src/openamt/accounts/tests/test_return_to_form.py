"""The citizen keeps their place: login, second factor, step-up, registration and
the confirmation link all lead back to the page that asked for the account, and
never to another site (no open redirect)."""

import re
from urllib.parse import quote

import pytest
from django.core import mail, signing
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openamt.accounts.models import User
from openamt.accounts.services import VERIFY_SALT
from openamt.testing.accounts import HOLDER_PASSWORD, fresh_totp_step, make_holder

EMAIL = "lena.brandt@example.org"
PASSWORD = "Kirschblüte-am-Hainich-9"
FORM = "/antrag/hundesteuer-anmeldung/?ort=16075069"
NEXT = quote(FORM, safe="")
FOREIGN = [
    "https://phishing.example/konto/",
    "//phishing.example/konto/",
    "///phishing.example/konto/",
    "/\\phishing.example/konto/",
    "\\\\phishing.example/konto/",
    "http://testserver/antrag/",  # this site, but absolute: only paths are kept
    "javascript:alert(1)",
    "antrag/hundesteuer-anmeldung/",
    "/antrag/\r\nSet-Cookie: sitzung=fremd",
    "/" + "a" * 2000,
]


def _login(client: Client, email: str, password: str = HOLDER_PASSWORD, **extra):
    return client.post("/konto/anmelden/", {"email": email, "password": password, **extra})


def _confirm_link() -> str:
    return re.search(r"http://[^/]+(/konto/bestaetigen/\S+/)", mail.outbox[-1].body).group(1)


def test_the_password_login_returns_to_the_form(client, db):
    make_holder(EMAIL)
    page = client.get("/konto/anmelden/", {"next": FORM}).content.decode()
    assert f'name="next" value="{FORM}"' in page.replace("&amp;", "&")
    assert f'href="/konto/registrieren/?next={NEXT}"' in page
    assert _login(client, EMAIL, next=FORM)["Location"] == FORM


def test_the_second_factor_returns_to_the_form(client, db):
    user = make_holder(EMAIL)
    device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)
    response = _login(client, EMAIL, next=FORM)
    assert response["Location"] == "/konto/anmelden/zweiter-faktor/"
    fresh_totp_step()
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(response["Location"], {"code": code})["Location"] == FORM


def test_the_step_up_returns_to_the_form(client, db):
    make_holder(EMAIL)
    page = client.get("/konto/anmelden/", {"next": FORM, "niveau": "substanziell"})
    eid = f"/konto/anmelden/eid-test/?next={NEXT}"
    assert f'href="{eid}"' in page.content.decode().replace("&amp;", "&")
    response = client.post(eid, {"email": EMAIL, "pin": "123456", "next": FORM})
    assert response["Location"] == FORM


@pytest.mark.parametrize("target", FOREIGN)
def test_a_target_that_is_not_a_path_of_this_site_is_ignored(client, db, target):
    make_holder(EMAIL)
    page = client.get("/konto/anmelden/", {"next": target}).content.decode()
    assert 'name="next" value="/konto/"' in page
    assert "phishing" not in page
    assert _login(client, EMAIL, next=target)["Location"] == "/konto/"
    client.post("/konto/abmelden/")
    response = client.post(
        "/konto/anmelden/eid-test/", {"email": EMAIL, "pin": "123456", "next": target}
    )
    assert response["Location"] == "/konto/"


def test_registration_and_the_confirmation_link_return_to_the_form(client, db):
    page = client.get("/konto/registrieren/", {"next": FORM}).content.decode()
    assert f'href="/konto/anmelden/?next={NEXT}"' in page
    registered = client.post(
        "/konto/registrieren/",
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "next": FORM},
    )
    assert registered.status_code == 200
    assert "?" not in _confirm_link()  # the target travels inside the signed token
    browser = Client()  # the mail may be opened anywhere
    confirmed = browser.post(_confirm_link())
    assert confirmed["Location"] == f"/konto/anmelden/?next={NEXT}"
    assert "bestätigt" in browser.get(confirmed["Location"]).content.decode()
    assert _login(browser, EMAIL, PASSWORD, next=FORM)["Location"] == FORM


@pytest.mark.parametrize("target", FOREIGN)
def test_registration_does_not_carry_a_foreign_target(client, db, target):
    client.post(
        "/konto/registrieren/",
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "next": target},
    )
    token = _confirm_link().split("/")[-2]
    assert "n" not in signing.loads(token, salt=VERIFY_SALT)
    assert client.post(_confirm_link())["Location"] == "/konto/anmelden/"


def test_a_signed_foreign_target_is_still_refused_when_used(client, db):
    """Defence in depth: the target is checked again where it is followed."""
    client.post(
        "/konto/registrieren/", {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD}
    )
    data = signing.loads(_confirm_link().split("/")[-2], salt=VERIFY_SALT)
    forged = signing.dumps({**data, "n": "//phishing.example/"}, salt=VERIFY_SALT)
    assert client.post(f"/konto/bestaetigen/{forged}/")["Location"] == "/konto/anmelden/"
    assert User.objects.get(username=EMAIL).is_active


def test_an_existing_address_gets_a_login_link_back_to_the_form(client, db):
    make_holder(EMAIL)
    client.post(
        "/konto/registrieren/",
        {"email": EMAIL, "password1": PASSWORD, "password2": PASSWORD, "next": FORM},
    )
    assert mail.outbox[-1].subject == "Ihr Servicekonto"
    assert f"/konto/anmelden/?next={NEXT}" in mail.outbox[-1].body

"""The Servicekonto journey in Debian's headless Chromium, with axe-core on every page."""

import base64
import json
import re
import urllib.parse
import urllib.request

import pytest
from django.core import mail
from django_otp.oath import totp
from oauth2_provider.models import Application

from openamt.accounts.models import User
from openamt.oidc.models import ClientSettings
from openamt.organisations.constants import AuthorityKind, AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant
from openamt.testing.accounts import fresh_totp_step
from openamt.testing.browser import BROWSER_TEST, axe_violations, chromium_page
from openamt.testing.documents import sample_pdf

pytestmark = BROWSER_TEST
EMAIL = "carla.muster@example.org"
PASSWORD = "Sommerwiese-am-Stausee-7"


def _check_a11y(page):
    assert axe_violations(page) == []


def _code(secret: str, drift: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=drift):06d}"


@pytest.fixture
def erfurt_delivery(transactional_db):
    """An authority with a caseworker and a delivery client (made before the browser starts:
    Playwright's event loop forbids ORM calls)."""
    erfurt = Authority.objects.create(
        name="Stadtverwaltung Erfurt",
        name_folded="stadtverwaltung erfurt",
        kind=AuthorityKind.KREISFREIE_STADT,
    )
    staff = User.objects.create_user(username="erfurt.sb", password="ein-langes-test-passwort")
    authority_role_grant(
        actor=None, user=staff, authority=erfurt, role=AuthorityRoleName.CASEWORKER
    )
    app = Application.objects.create(
        name="Fachverfahren Hundesteuer",
        client_id="hundesteuer",
        client_secret="hundesteuer-geheimnis-0123456789",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    ClientSettings.objects.create(application=app, authority=erfurt)
    return erfurt


def _post(url: str, data: bytes, headers: dict[str, str]) -> dict:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")  # noqa: S310 - the test server
    with urllib.request.urlopen(request) as response:  # noqa: S310 - the test server
        assert response.status in (200, 202)
        return json.loads(response.read())


def _deliver(base: str, address: str) -> dict:
    token = _post(
        f"{base}/oidc/token/",
        urllib.parse.urlencode(
            {
                "grant_type": "client_credentials",
                "scope": "postfach:zustellen",
                "client_id": "hundesteuer",
                "client_secret": "hundesteuer-geheimnis-0123456789",
            }
        ).encode(),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )["access_token"]
    payload = {
        "address": address,
        "subject": "Bescheid über die Hundesteuer 2027",
        "body": "Sehr geehrte Frau Muster,\nanbei Ihr Bescheid.",
        "is_decision": True,
        "documents": [
            {"filename": "bescheid.pdf", "content_base64": base64.b64encode(sample_pdf()).decode()}
        ],
    }
    return _post(
        f"{base}/api/v1/postfach/nachrichten",
        json.dumps(payload).encode(),
        {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": "hst-2027-1",
        },
    )


def test_register_confirm_set_up_totp_and_log_in_again(live_server, erfurt_delivery):
    with chromium_page() as page:
        page.goto(live_server.url + "/")
        page.get_by_role("link", name="Servicekonto").click()
        page.get_by_role("link", name="Servicekonto anlegen").click()
        _check_a11y(page)
        page.get_by_label("E-Mail-Adresse").fill(EMAIL)
        page.get_by_label("Passwort", exact=True).fill("kurz")
        page.get_by_label("Passwort wiederholen").fill("kurz")
        page.get_by_role("button", name="Konto anlegen").click()
        assert "zu kurz" in page.get_by_role("alert").inner_text()
        _check_a11y(page)
        page.get_by_label("Passwort", exact=True).fill(PASSWORD)
        page.get_by_label("Passwort wiederholen").fill(PASSWORD)
        page.get_by_role("button", name="Konto anlegen").click()
        assert f"an {EMAIL} geschickt" in page.get_by_role("status").inner_text()
        _check_a11y(page)

        link = re.search(r"(http://\S+/konto/bestaetigen/\S+/)", mail.outbox[-1].body).group(1)
        page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
        _check_a11y(page)
        page.get_by_label("E-Mail-Adresse").fill(EMAIL)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Mein Servicekonto"
        _check_a11y(page)

        page.get_by_role("link", name="Zweiter Faktor").click()
        _check_a11y(page)
        secret = page.locator("#totp-secret").inner_text()
        fresh_totp_step()
        page.get_by_label("Code").fill(_code(secret))
        page.get_by_role("button", name="Zweiten Faktor einrichten").click()
        assert page.locator(".recovery-codes li").count() == 10
        _check_a11y(page)
        page.get_by_role("button", name="Abmelden").click()

        page.get_by_label("E-Mail-Adresse").fill(EMAIL)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url("**/konto/anmelden/zweiter-faktor/")
        _check_a11y(page)
        page.get_by_label("Code").fill(_code(secret, drift=1))
        page.get_by_role("button", name="Bestätigen").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Mein Servicekonto"
        page.get_by_role("link", name="Sicherheitsprotokoll").click()
        assert (
            "Zweiter Faktor (Authenticator-App) eingerichtet" in page.locator("tbody").inner_text()
        )
        _check_a11y(page)
        page.get_by_role("link", name="Mein Konto").click()
        page.get_by_role("link", name="Angemeldete Geräte und Sitzungen").click()
        assert "Chrome unter Linux (dieses Gerät)" in page.locator("tbody").inner_text()
        _check_a11y(page)

        page.get_by_role("link", name="Mein Konto").click()
        address = page.locator("#postfach-adresse").inner_text()
        delivered = _deliver(live_server.url, address)
        assert delivered["status"] == "zugestellt"
        page.get_by_role("link", name="Postfach", exact=True).click()
        _check_a11y(page)
        page.get_by_role("link", name="Bescheid über die Hundesteuer 2027").click()
        assert page.get_by_role("link", name="bescheid.pdf").is_visible()
        _check_a11y(page)
        page.get_by_label("Ihre Antwort").fill("Vielen Dank, ich habe den Bescheid erhalten.")
        page.get_by_role("button", name="Antwort senden").click()
        assert (
            "Ihre Antwort wurde an die Behörde übermittelt."
            in page.get_by_role("status").first.inner_text()
        )
        _check_a11y(page)
        page.get_by_role("button", name="Abmelden").click()

        page.goto(live_server.url + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("erfurt.sb")
        page.get_by_label("Passwort").fill("ein-langes-test-passwort")
        page.get_by_role("button", name="Anmelden").click()
        page.get_by_role("link", name="Stadtverwaltung Erfurt").click()
        page.get_by_role("link", name="Postausgang").click()
        row = page.locator("tbody tr").first.inner_text()
        assert "noch nicht geöffnet" not in row
        _check_a11y(page)
        page.get_by_role("link", name="Bescheid über die Hundesteuer 2027").click()
        assert re.fullmatch(
            r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", page.locator("#zugang").inner_text()
        )
        assert "Vielen Dank, ich habe den Bescheid erhalten." in page.locator("main").inner_text()
        _check_a11y(page)


@pytest.fixture
def confirmed_holder(transactional_db):
    from openamt.accounts.models import Account

    user = User.objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    return user


def test_a_passkey_is_added_and_then_confirms_the_login(live_server, confirmed_holder):
    with chromium_page() as page:
        cdp = page.context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )
        page.goto(live_server.url + "/konto/anmelden/")
        page.get_by_label("E-Mail-Adresse").fill(EMAIL)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.get_by_role("link", name="Passkeys").click()
        _check_a11y(page)
        page.get_by_label("Bezeichnung").fill("Laptop")
        page.get_by_role("button", name="Passkey hinzufügen").click()
        page.wait_for_selector("text=Der Passkey ist eingerichtet.")
        assert "Laptop (eingerichtet" in page.locator("main").inner_text()
        _check_a11y(page)
        page.get_by_role("button", name="Abmelden").click()

        page.get_by_label("E-Mail-Adresse").fill(EMAIL)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.wait_for_url("**/konto/anmelden/zweiter-faktor/")
        _check_a11y(page)
        page.get_by_role("button", name="Mit Passkey bestätigen").click()
        page.wait_for_url(live_server.url + "/konto/")
        assert page.get_by_role("heading", level=1).inner_text() == "Mein Servicekonto"
        page.get_by_role("link", name="Sicherheitsprotokoll").click()
        assert "Passkey hinzugefügt" in page.locator("tbody").inner_text()

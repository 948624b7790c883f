"""The Servicekonto journey in Debian's headless Chromium, with axe-core on every page."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp

from openamt.testing.browser import CHROMIUM, axe_violations, chromium_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium fehlt (make browser)"),
]
EMAIL = "carla.muster@example.org"
PASSWORD = "Sommerwiese-am-Stausee-7"


def _check_a11y(page):
    assert axe_violations(page) == []


def _code(secret: str, drift: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    return f"{totp(key, drift=drift):06d}"


def test_register_confirm_set_up_totp_and_log_in_again(live_server, transactional_db):
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

"""The Hundesteuer journey in Debian's headless Chromium, with and without
JavaScript, axe-core on every page: a village of the Saale-Orla-Kreis, two dogs,
a field that appears for a dangerous dog, an upload, save, log out, resume,
submit; the receipt in the Postfach; the inbox of the authority, and no other."""

import io
import re

import pytest
from pypdf import PdfReader

from openamt.accounts.models import Account, User
from openamt.forms.services import forms_load
from openamt.forms.tests.test_shipped import DATA_DIR
from openamt.mailbox.services import mailbox_for
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant
from openamt.regions.models import Postcode
from openamt.testing.browser import BROWSER_TEST, axe_violations, chromium_page
from openamt.testing.data import THURINGIA, load_register
from openamt.testing.documents import sample_pdf

pytestmark = BROWSER_TEST
EMAIL = "jana.vogt@example.org"
PASSWORD = "Hundewiese-an-der-Saale-3"
STAFF_PASSWORD = "ein-langes-test-passwort"
PERMIT = sample_pdf("Erlaubnis nach ThürTierGefG für Rex")


@pytest.fixture
def journey(live_server, data_files, transactional_db):
    """Data, forms, the citizen and two staff members, made before the browser starts
    (Playwright's event loop forbids ORM calls)."""
    load_register(data_files, land=THURINGIA)
    forms_load(directory=DATA_DIR)
    user = User.objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    mailbox_for(Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z"))
    vg = Authority.objects.get(name="Verwaltungsgemeinschaft Ranis-Ziegenrück")
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    for username, authority in (("ranis.sb", vg), ("erfurt.sb", erfurt)):
        staff = User.objects.create_user(username=username, password=STAFF_PASSWORD)
        authority_role_grant(
            actor=None, user=staff, authority=authority, role=AuthorityRoleName.CASEWORKER
        )
    postcode = Postcode.objects.filter(region__name="Moxa").values_list("code", flat=True)[0]
    return {
        "url": live_server.url,
        "inbox": f"/verwaltung/behoerden/{vg.pk}/eingang/",
        "plz": postcode,
    }


def _a11y(page) -> None:
    assert axe_violations(page) == []


def _login(page, url: str) -> None:
    page.get_by_label("E-Mail-Adresse").fill(EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()


def _dog(page, index: int, name: str, breed: str, dangerous: bool) -> None:
    prefix = f"#f-hunde-{index}-"
    page.fill(f"{prefix}name", name)
    page.fill(f"{prefix}rasse", breed)
    page.check(f"{prefix}geschlecht-1")
    page.fill(f"{prefix}wurfdatum", "2021-05-14")
    page.fill(f"{prefix}halten-seit", "2026-10-01")
    page.check(f"{prefix}gefaehrlich-{'ja' if dangerous else 'nein'}")


@pytest.mark.parametrize("javascript", [True, False], ids=["mit-js", "ohne-js"])
def test_hundesteuer_from_the_service_page_to_the_authoritys_inbox(journey, javascript):
    url = journey["url"]
    with chromium_page(javascript=javascript) as page:
        page.goto(url + "/konto/anmelden/")
        _login(page, url)
        page.goto(url + "/leistungen/99102013000000/?ort=Moxa")
        assert "Verwaltungsgemeinschaft Ranis-Ziegenrück" in page.locator("main").inner_text()
        _a11y(page)
        page.get_by_role("link", name="Online beantragen: Hundesteuer Anmeldung").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Hundesteuer Anmeldung"
        assert page.get_by_role(
            "heading", name="Verwaltungsgemeinschaft Ranis-Ziegenrück"
        ).is_visible()
        _a11y(page)
        page.get_by_role("button", name="Antrag beginnen").click()

        assert "Schritt 1 von 6" in page.locator("main").inner_text()
        page.get_by_role("button", name="Weiter", exact=True).click()
        assert (
            page.locator("#f-vorname-error").inner_text().strip()
            == "Bitte füllen Sie dieses Feld aus."
        )
        assert (
            "Vorname: Bitte füllen Sie dieses Feld aus." in page.get_by_role("alert").inner_text()
        )
        _a11y(page)
        page.fill("#f-vorname", "Jana")
        page.fill("#f-familienname", "Vogt")
        page.fill("#f-geburtsdatum", "1985-04-12")
        page.fill("#f-anschrift-street", "Dorfstraße 7")
        page.fill("#f-anschrift-postcode", journey["plz"])
        page.fill("#f-anschrift-city", "Moxa")
        page.check("#f-zuzug-nein")
        page.get_by_role("button", name="Weiter", exact=True).click()

        assert page.get_by_role("heading", level=1).inner_text() == "Hunde"
        _dog(page, 0, "Bello", "Beagle", dangerous=False)
        page.get_by_role("button", name="weiterer Hund hinzufügen").click()
        assert page.locator("#f-hunde-0-name").input_value() == "Bello"
        assert not page.locator("#f-hunde-1-gefaehrlich-nachweis").is_visible()
        _dog(page, 1, "Rex", "Schäferhund-Mischling", dangerous=True)
        permit = page.locator("#f-hunde-1-gefaehrlich-nachweis")
        if not javascript:  # the server shows the new field when the step is sent
            assert not permit.is_visible()
            page.get_by_role("button", name="Weiter", exact=True).click()
            assert "weitere Angaben nötig" in page.get_by_role("status").first.inner_text()
        permit.wait_for(state="visible", timeout=5000)  # with JavaScript: as soon as answered
        _a11y(page)
        permit.set_input_files(
            files=[{"name": "erlaubnis.pdf", "mimeType": "application/pdf", "buffer": PERMIT}]
        )
        page.get_by_role("button", name="Speichern und später weitermachen").click()
        assert "Ihr Entwurf ist gespeichert." in page.get_by_role("status").first.inner_text()
        assert "erlaubnis.pdf" in page.locator("main").inner_text()
        page.get_by_role("button", name="Abmelden").click()

        page.goto(url + "/konto/anmelden/")
        _login(page, url)
        page.get_by_role("link", name="Meine Anträge").click()
        _a11y(page)
        page.get_by_role("link", name="Hundesteuer Anmeldung").click()
        assert page.locator("#f-hunde-1-name").input_value() == "Rex"
        assert "Hochgeladen: erlaubnis.pdf" in page.locator("main").inner_text()
        page.get_by_role("button", name="Weiter", exact=True).click()
        page.check("#f-ermaessigung-nein")
        page.get_by_role("button", name="Weiter", exact=True).click()
        page.check("#f-sepa-nein")
        page.get_by_role("button", name="Weiter", exact=True).click()
        page.check("#f-erklaerung")
        page.get_by_role("button", name="Weiter", exact=True).click()

        assert page.get_by_role("heading", level=1).inner_text() == "Angaben prüfen und absenden"
        summary = page.locator("main").inner_text()
        assert "Hund 2: Erlaubnis zum Halten des gefährlichen Hundes" in summary
        _a11y(page)
        page.check("#versicherung")
        page.get_by_role("button", name="Antrag verbindlich absenden").click()
        reference = page.locator("#aktenzeichen").inner_text()
        assert re.fullmatch(r"\d{4}-\d{6}", reference)
        _a11y(page)

        page.get_by_role("link", name="Postfach", exact=True).click()
        page.get_by_role("link", name=f"Eingangsbestätigung {reference}").click()
        with page.expect_download() as download:
            page.get_by_role("link", name=f"eingangsbestaetigung-{reference}.pdf").click()
        pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
        text = " ".join(p.extract_text() for p in pdf.pages)
        for expected in (reference, "Jana", "Vogt", "Bello", "Rex", "erlaubnis.pdf", "Moxa"):
            assert expected in text, expected
        page.get_by_role("button", name="Abmelden").click()

        for username, sees in (("ranis.sb", True), ("erfurt.sb", False)):
            page.goto(url + "/verwaltung/anmelden/")
            page.get_by_label("Benutzername").fill(username)
            page.get_by_label("Passwort").fill(STAFF_PASSWORD)
            page.get_by_role("button", name="Anmelden").click()
            response = page.goto(url + journey["inbox"])
            if sees:
                assert reference in page.locator("tbody").inner_text()
                _a11y(page)
            else:
                assert response.status in (403, 404)
                assert reference not in page.content()
            page.get_by_role("button", name="Abmelden").click()

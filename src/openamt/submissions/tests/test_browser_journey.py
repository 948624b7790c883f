"""The citizen's journey into a form on a phone (390 px) and a desktop (1280 px),
in Debian's headless Chromium, every page checked with axe-core and for
sideways scrolling: login, second factor, step-up, registration and the
confirmation mail lead back to the form; a follow-up field shows correctly
however late the answers to quick changes arrive; adding an entry puts the
focus on it, with and without JavaScript."""

import base64
import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from openamt.forms.services import forms_load
from openamt.forms.tests.test_shipped import DATA_DIR
from openamt.regions.models import Postcode
from openamt.testing.accounts import HOLDER_PASSWORD, fresh_totp_step, make_holder
from openamt.testing.browser import (
    BROWSER_TEST,
    VIEWPORTS,
    axe_violations,
    chromium_page,
    focused_id,
    horizontal_overflow,
)
from openamt.testing.data import THURINGIA, load_register

pytestmark = BROWSER_TEST
MOXA = "16075069"
ERFURT = "16051000"
DOG_FORM = f"/antrag/hundesteuer-anmeldung/?ort={MOXA}"
TRADE_FORM = f"/antrag/gewerbeanmeldung/?ort={ERFURT}"  # needs "substanziell"
NEW_PASSWORD = "Wacholder-am-Kyffhäuser-5"


@pytest.fixture
def site(live_server, data_files, transactional_db):
    """Data and forms, made before the browser starts (Playwright's event loop forbids
    ORM calls); a holder per viewport, the phone's with an authenticator app."""
    load_register(data_files, land=THURINGIA)
    forms_load(directory=DATA_DIR)
    secret = base64.b32encode(b"telefon-geheimnis-12").decode()
    phone_holder = make_holder("telefon@example.org")
    TOTPDevice.objects.create(
        user=phone_holder, name="App", confirmed=True, key=base64.b32decode(secret).hex()
    )
    make_holder("desktop@example.org")
    postcode = Postcode.objects.filter(region__name="Moxa").values_list("code", flat=True)[0]
    return {"url": live_server.url, "secret": secret, "plz": postcode}


def _checked(page) -> None:
    """No serious accessibility problem, and the page does not scroll sideways."""
    assert axe_violations(page) == []
    assert horizontal_overflow(page) == []


def _log_in(page, email: str, password: str = HOLDER_PASSWORD) -> None:
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(password)
    page.get_by_role("button", name="Anmelden").click()


def _on_the_start_page(page, url: str, form: str, title: str, place: str) -> None:
    assert page.url == url + form
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert f"Online-Antrag für {place}" in page.locator("main").inner_text()
    _checked(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_login_second_factor_and_step_up_lead_back_to_the_form(site, viewport):
    url = site["url"]
    phone = viewport == "telefon"
    with chromium_page(viewport=VIEWPORTS[viewport]) as page:
        page.goto(url + "/leistungen/99102013000000/?ort=Moxa")
        _checked(page)
        page.get_by_role("link", name="Online beantragen: Hundesteuer Anmeldung").click()
        _on_the_start_page(page, url, DOG_FORM, "Hundesteuer Anmeldung", "Moxa")
        page.get_by_role("button", name="Anmelden und Antrag beginnen").click()
        _checked(page)
        _log_in(page, f"{viewport}@example.org")
        if phone:  # the holder with an authenticator app confirms the login
            page.wait_for_url("**/konto/anmelden/zweiter-faktor/")
            _checked(page)
            fresh_totp_step()
            key = base64.b32decode(site["secret"])
            page.get_by_label("Code").fill(f"{totp(key):06d}")
            page.get_by_role("button", name="Bestätigen").click()
        _on_the_start_page(page, url, DOG_FORM, "Hundesteuer Anmeldung", "Moxa")
        page.get_by_role("button", name="Antrag beginnen").click()
        assert "Schritt 1 von 6" in page.locator("main").inner_text()

        # A form that needs a higher assurance level: the eID login, then back.
        page.goto(url + TRADE_FORM)
        page.get_by_role("button", name="Antrag beginnen").click()
        assert "verlangt das Vertrauensniveau „substanziell“" in page.locator("main").inner_text()
        _checked(page)
        page.get_by_role("link", name="Online-Ausweis (Testverfahren)").click()
        _checked(page)
        page.get_by_label("PIN des simulierten Ausweises").fill("123456")
        page.get_by_role("button", name="Ausweis simulieren und anmelden").click()
        _on_the_start_page(page, url, TRADE_FORM, "Gewerbeanmeldung", "Erfurt")
        page.get_by_role("button", name="Antrag beginnen").click()
        assert "Schritt 1 von 7" in page.locator("main").inner_text()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_registration_and_the_confirmation_mail_lead_back_to_the_form(site, viewport):
    url, email = site["url"], f"neu-{viewport}@example.org"
    with chromium_page(viewport=VIEWPORTS[viewport]) as page:
        page.goto(url + DOG_FORM)
        page.get_by_role("button", name="Anmelden und Antrag beginnen").click()
        page.get_by_role("link", name="Servicekonto anlegen").click()
        _checked(page)
        page.get_by_label("E-Mail-Adresse").fill(email)
        page.get_by_label("Passwort", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("Passwort wiederholen").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Konto anlegen").click()
        assert f"an {email} geschickt" in page.get_by_role("status").inner_text()
        _checked(page)

        link = re.search(r"https?://\S+(/konto/bestaetigen/\S+/)", mail.outbox[-1].body).group(1)
        page.goto(url + link)
        _checked(page)
        page.get_by_role("button", name="E-Mail-Adresse bestätigen").click()
        assert "Ihre E-Mail-Adresse ist bestätigt." in page.get_by_role("status").inner_text()
        _checked(page)
        _log_in(page, email, NEW_PASSWORD)
        _on_the_start_page(page, url, DOG_FORM, "Hundesteuer Anmeldung", "Moxa")
        page.get_by_role("button", name="Antrag beginnen").click()
        assert "Schritt 1 von 6" in page.locator("main").inner_text()


def _first_step(page, url: str, email: str) -> None:
    page.goto(url + "/konto/anmelden/")
    _log_in(page, email)
    page.goto(url + DOG_FORM)
    page.get_by_role("button", name="Antrag beginnen").click()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_a_follow_up_field_is_right_however_late_the_answers_arrive(site, viewport):
    """Twenty quick changes of "Ja"/"Nein"; each time the answer to the first
    change is held back until the second change has been answered, then let
    through: only the answer to the newest state may count."""
    url = site["url"]
    held: list = []
    hold = {"next": False}

    def visibility(route) -> None:
        # The question is known by its Accept header: Chromium does not always
        # hand over a multipart body (post_data None), the headers always.
        question = route.request.headers.get("accept") == "application/json"
        if hold["next"] and question:
            hold["next"] = False
            held.append(route)
        else:
            route.continue_()

    with chromium_page(viewport=VIEWPORTS[viewport]) as page:
        _first_step(page, url, "desktop@example.org")
        page.route("**/antrag/entwurf/**", visibility)
        follow_up = page.locator("#f-bisherige-gemeinde")
        # The draft may carry an answer from an earlier test of the same
        # applicant; checking an already checked radio sends no question.
        current = next((a for a in ("ja", "nein") if page.is_checked(f"#f-zuzug-{a}")), "")
        for repetition in range(20):
            final = "ja" if repetition % 2 else "nein"
            stale = "nein" if final == "ja" else "ja"
            if current == stale:  # the held answer must be to a change
                page.check(f"#f-zuzug-{final}")
            hold["next"] = True
            page.check(f"#f-zuzug-{stale}")
            for _ in range(1000):  # until that question is intercepted
                if held:
                    break
                page.wait_for_timeout(10)
            assert held, f"repetition {repetition}: the question was not sent"
            page.check(f"#f-zuzug-{final}")
            current = final
            page.wait_for_function("() => !document.querySelector('form[aria-busy]')")
            late = held.pop()
            late.continue_()  # the late answer arrives after all (unless it was cancelled)
            late.request.response()
            page.evaluate("() => new Promise((done) => setTimeout(done))")
            assert follow_up.is_visible() is (final == "ja"), repetition
        _checked(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_adding_an_entry_puts_the_focus_on_it(site, viewport):
    for javascript in (True, False):
        with chromium_page(viewport=VIEWPORTS[viewport], javascript=javascript) as page:
            page.emulate_media(reduced_motion="reduce")  # no smooth scrolling to wait for
            _first_step(page, site["url"], "desktop@example.org")
            page.fill("#f-vorname", "Jana")
            page.fill("#f-familienname", "Vogt")
            page.fill("#f-geburtsdatum", "1985-04-12")
            page.fill("#f-anschrift-street", "Dorfstraße 7")
            page.fill("#f-anschrift-postcode", site["plz"])
            page.fill("#f-anschrift-city", "Moxa")
            page.check("#f-zuzug-nein")
            page.get_by_role("button", name="Weiter", exact=True).click()
            page.fill("#f-hunde-0-name", "Bello")
            page.get_by_role("button", name="weiterer Hund hinzufügen").click()
            assert page.url.endswith("/schritt/hunde/#gruppe-hunde-1")
            assert focused_id(page, "gruppe-hunde-1") == "gruppe-hunde-1"  # the new entry, "Hund 2"
            top = page.locator("#gruppe-hunde-1").bounding_box()["y"]
            assert 0 <= top < VIEWPORTS[viewport]["height"]  # scrolled into view
            page.keyboard.press("Tab")
            assert focused_id(page, "f-hunde-1-name") == "f-hunde-1-name"
            assert page.locator("#f-hunde-0-name").input_value() == "Bello"
            _checked(page)

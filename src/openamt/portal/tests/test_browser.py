"""End to end in Debian's headless Chromium, with axe-core on every page visited."""

import pytest

from openamt.accounts.models import User
from openamt.organisations.constants import AuthorityRoleName, LandRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant, land_role_grant
from openamt.testing.browser import BROWSER_TEST, axe_violations, chromium_page
from openamt.testing.data import THURINGIA, load_register

pytestmark = BROWSER_TEST


@pytest.fixture
def site(live_server, data_files, transactional_db):
    # Transactional tests start from empty tables: load the Thuringia fast path.
    load_register(data_files, land=THURINGIA)
    return live_server.url


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def _check_a11y(page):
    assert axe_violations(page) == []


def test_start_page_and_region_search(site, page):
    page.goto(site + "/")
    assert page.title() == "Startseite – OpenAmt Thüringen"
    _check_a11y(page)

    page.get_by_label("Gemeinde, Ortsteil oder Postleitzahl").fill("37318")
    page.get_by_role("button", name="Ort suchen").click()
    page.wait_for_url("**/orte/?q=37318")
    _check_a11y(page)
    page.get_by_role("link", name="Uder", exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == "Uder"
    assert "EG Uder (erfüllende Gemeinde)" in page.locator("main").inner_text()
    assert page.get_by_role("heading", name="Gemeindeverwaltung Uder").is_visible()
    assert page.get_by_role("heading", name="Landratsamt Eichsfeld").is_visible()
    _check_a11y(page)


def test_search_without_input_explains_what_to_enter(site, page):
    page.goto(site + "/orte/?q=")
    error = page.locator("#ort-error")
    assert (
        error.inner_text().strip()
        == "Bitte geben Sie einen Ort, einen Ortsteil oder eine Postleitzahl ein."
    )
    assert (
        page.get_by_label("Gemeinde, Ortsteil oder Postleitzahl").get_attribute("aria-invalid")
        == "true"
    )
    _check_a11y(page)


def test_find_the_responsible_authority(site, page):
    page.goto(site + "/")
    page.get_by_label("Was möchten Sie erledigen?").fill("Wohnung anmelden")
    page.get_by_role("button", name="Leistung suchen").click()
    page.wait_for_url("**/leistungen/?q=*")
    _check_a11y(page)
    page.get_by_role("link", name="Wohnsitz Anmeldung", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Wohnsitz Anmeldung"
    _check_a11y(page)

    page.get_by_label("Ihr Wohnort, Ortsteil oder Ihre Postleitzahl").fill("37318")
    page.get_by_role("button", name="Zuständige Stelle finden").click()
    assert page.get_by_role("heading", name="Welche Gemeinde meinen Sie?").is_visible()
    _check_a11y(page)
    page.get_by_role("link", name="Uder", exact=True).click()
    assert page.get_by_role("heading", name="Gemeindeverwaltung Uder").is_visible()
    assert "ort=16061119" in page.url
    _check_a11y(page)


@pytest.fixture
def caseworker(site):
    # Created before the browser starts: Playwright's event loop forbids ORM calls.
    user = User.objects.create_user(username="erfurt.sb", password="ein-langes-test-passwort")
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    authority_role_grant(actor=None, user=user, authority=erfurt, role=AuthorityRoleName.CASEWORKER)
    return user


def test_staff_login_lists_own_authorities(site, caseworker, page):
    page.goto(site + "/verwaltung/")
    page.wait_for_url("**/verwaltung/anmelden/?next=/verwaltung/")
    _check_a11y(page)
    page.get_by_label("Benutzername").fill("erfurt.sb")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    assert page.get_by_role("alert").inner_text().startswith("Anmeldung fehlgeschlagen")
    _check_a11y(page)

    page.get_by_label("Passwort").fill("ein-langes-test-passwort")
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/verwaltung/")
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    assert rows.first.inner_text().startswith("Stadtverwaltung Erfurt")
    _check_a11y(page)
    page.get_by_role("link", name="Stadtverwaltung Erfurt").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Stadtverwaltung Erfurt"
    _check_a11y(page)


@pytest.fixture
def land_admin_user(site):
    user = User.objects.create_user(username="land.admin", password="ein-langes-test-passwort")
    land_role_grant(actor=None, user=user, role=LandRoleName.LAND_ADMIN)
    return user


def test_land_admin_maintains_the_rule_table(site, land_admin_user, page):
    page.goto(site + "/verwaltung/anmelden/")
    page.get_by_label("Benutzername").fill("land.admin")
    page.get_by_label("Passwort").fill("ein-langes-test-passwort")
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name="Zuständigkeitsregeln des Landes").click()
    page.get_by_label("Leistung", exact=True).fill("Hundesteuer")
    page.get_by_role("button", name="Regeln filtern").click()
    assert page.locator("tbody tr").first.inner_text().startswith("Hundesteuer (99102013000000)")
    _check_a11y(page)
    page.get_by_label("Leistungsschlüssel").fill("99102013000000")
    page.get_by_label("Begründung").fill("kurz")
    page.get_by_role("button", name="Regel speichern").click()
    summary = page.get_by_role("alert")
    assert (
        "Begründung: Die Begründung (z. B. die Rechtsgrundlage) hat 5 bis 300 Zeichen."
        in summary.inner_text()
    )
    _check_a11y(page)
    page.get_by_label("Begründung").fill("Gemeindesteuer nach dem Kommunalabgabengesetz (ThürKAG)")
    page.get_by_role("button", name="Regel speichern").click()
    assert "wurde gespeichert" in page.get_by_role("status").first.inner_text()

    page.goto(site + "/verwaltung/")
    page.get_by_role("link", name="Leistungstexte und Suchbegriffe des Landes").click()
    page.get_by_label("Leistung", exact=True).fill("Hundesteuer")
    page.get_by_role("button", name="Leistungen filtern").click()
    page.get_by_role("link", name="Hundesteuer", exact=True).click()
    _check_a11y(page)
    page.get_by_label("Gebühren").fill("keine")
    page.get_by_role("button", name="Texte speichern").click()
    assert "wurde gespeichert" in page.get_by_role("status").first.inner_text()
    assert page.get_by_label("Gebühren").input_value() == "keine"
    _check_a11y(page)


def test_the_accessibility_check_can_fail(page):
    page.set_content(
        '<html lang="de"><head><title>x</title></head><body><main><img src="a.png"></main></body></html>'
    )
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


@pytest.fixture
def site_with_forms(site):
    from openamt.forms.services import SHIPPED_FORMS, forms_load

    forms_load(directory=SHIPPED_FORMS)
    return site


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [390, 1280])
def test_legal_pages_and_a_service_page_on_phone_and_desktop(site_with_forms, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_with_forms + "/")
    footer = page.get_by_role("navigation", name="Rechtliches und Kontakt")
    for link, heading in [
        ("Impressum", "Impressum"),
        ("Datenschutz", "Datenschutzerklärung"),
        ("Barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        ("Kontakt", "Kontakt"),
    ]:
        footer.get_by_role("link", name=link, exact=True).click()
        assert page.get_by_role("heading", level=1).inner_text() == heading
        assert _fits(page), heading
        _check_a11y(page)
        footer = page.get_by_role("navigation", name="Rechtliches und Kontakt")

    page.goto(site_with_forms + "/leistungen/99102013000000/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hundesteuer"
    assert page.get_by_role("heading", name="Was Sie brauchen").is_visible()
    assert not page.get_by_text("Regelung und Vollzug durch das Land").is_visible()
    page.get_by_text("Für Fachleute: Katalogdaten der Leistung").click()
    assert page.get_by_text("Regelung und Vollzug durch das Land").is_visible()
    assert _fits(page)
    _check_a11y(page)
    page.get_by_label("Ihr Wohnort, Ortsteil oder Ihre Postleitzahl").fill("99084")
    page.get_by_role("button", name="Zuständige Stelle finden").click()
    assert page.get_by_role("link", name="Online beantragen: Hundesteuer Anmeldung").is_visible()
    assert _fits(page)
    _check_a11y(page)

    page.goto(site_with_forms + "/gibt-es-nicht/")
    assert page.get_by_role("heading", level=1).inner_text() == "Seite nicht gefunden"
    _check_a11y(page)

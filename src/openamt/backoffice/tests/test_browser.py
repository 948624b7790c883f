"""The form editor in Debian's headless Chromium, axe-core on every page: a Land
admin adds a field to the repeatable group „Hund“ of the Hundesteuer form and
sets how many dogs it takes, on the pages for the group and its step."""

import re

import pytest

from openamt.accounts.models import User
from openamt.catalogue.models import SearchLogEntry
from openamt.forms.models import FormVersion
from openamt.forms.services import forms_load
from openamt.forms.tests.test_shipped import DATA_DIR
from openamt.organisations.constants import LandRoleName
from openamt.organisations.services import land_role_grant
from openamt.testing.browser import (
    BROWSER_TEST,
    axe_violations,
    chromium_page,
    focused_id,
    horizontal_overflow,
)
from openamt.testing.data import THURINGIA, load_register

pytestmark = BROWSER_TEST
PASSWORD = "ein-langes-test-passwort"
EDITOR = "/verwaltung/formulare/hundesteuer-anmeldung/entwurf/"


@pytest.fixture
def site(live_server, data_files, transactional_db):
    """Made before the browser starts (Playwright's event loop forbids ORM calls)."""
    load_register(data_files, land=THURINGIA)
    forms_load(directory=DATA_DIR)
    admin = User.objects.create_user(username="land.admin", password=PASSWORD)
    land_role_grant(actor=None, user=admin, role=LandRoleName.LAND_ADMIN)
    return live_server.url


def test_a_land_admin_extends_the_dog_group(site):
    with chromium_page() as page:
        page.goto(site + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("land.admin")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.goto(site + EDITOR)
        assert axe_violations(page) == []
        page.select_option("#typ-1\\.0", "yes_no")
        page.fill("#bezeichnung-1\\.0", "Hund ist kastriert")
        page.get_by_role("button", name=re.compile(r"^Feld hinzufügen\W+Gruppe Hund$")).click()
        assert "Der Entwurf ist gespeichert." in page.inner_text("main")
        assert "Hund ist kastriert hund_ist_kastriert – yes_no" in page.inner_text("#schritt-1")

        page.get_by_role("link", name=re.compile(r"^bearbeiten\W+Gruppe Hund$")).click()
        assert axe_violations(page) == []
        page.get_by_label("Höchstzahl der Einträge").fill("1")
        page.get_by_label("Mindestzahl der Einträge").fill("2")
        page.get_by_role("button", name="Speichern").click()
        assert "Die Höchstzahl darf nicht kleiner als die Mindestzahl sein." in page.inner_text(
            "main"
        )
        assert axe_violations(page) == []
        page.get_by_label("Höchstzahl der Einträge").fill("3")
        page.get_by_role("button", name="Speichern").click()
        assert "Gruppe „Hund“ ist gespeichert." in page.inner_text("main")

        page.get_by_role("link", name=re.compile(r"^Titel und Bedingung\W+Schritt Hunde$")).click()
        assert axe_violations(page) == []
        page.get_by_label("Titel").fill("Ihre Hunde")
        page.get_by_role("button", name="Speichern").click()
        assert "Schritt 2: Ihre Hunde" in page.inner_text("main")

        page.fill("#id_gebuehr-0-label", "Hundemarke")
        page.fill("#id_gebuehr-0-key", "hundemarke")
        page.fill("#id_gebuehr-0-amount", "fünf Euro")
        page.get_by_role("button", name="Einstellungen speichern").click()
        assert "Gebühr 1, Betrag: Bitte geben Sie einen Betrag in Euro ein" in page.inner_text(
            "#fehler"
        )
        assert axe_violations(page) == []
        page.fill("#id_gebuehr-0-amount", "5,00")
        page.get_by_role("button", name="Einstellungen speichern").click()
        assert "Gebühr „Hundemarke“" in page.inner_text("main")
    definition = FormVersion.objects.get(status="entwurf").definition
    assert definition["fees"] == [{"key": "hundemarke", "label": "Hundemarke", "amount_cents": 500}]
    group = definition["steps"][1]["items"][0]
    assert (group["min"], group["max"], group["group"][-1]) == (
        2,
        3,
        {"key": "hund_ist_kastriert", "type": "yes_no", "label": "Hund ist kastriert"},
    )


OVERLAPS = """() => {
  const boxes = [...document.querySelectorAll('.editor-actions')].map(group => ({
    move: [...group.querySelectorAll('.editor-actions__move .kern-btn')].map(b => b.getBoundingClientRect()),
    remove: group.querySelector('.editor-remove').getBoundingClientRect(),
  }));
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  let overlaps = 0, closest = Infinity;
  for (const {move, remove} of boxes) {
    const all = [...move, remove];
    for (let i = 0; i < all.length; i++)
      for (let j = i + 1; j < all.length; j++) if (hit(all[i], all[j])) overlaps++;
    for (const m of move) {
      if (Math.abs(m.top - remove.top) < 1) closest = Math.min(closest, remove.left - m.right);
    }
  }
  return {groups: boxes.length, overlaps, closest};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_editor_buttons_never_overlap_and_removing_stands_apart(site, width):
    with chromium_page() as page:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("land.admin")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.goto(site + EDITOR)
        layout = page.evaluate(OVERLAPS)
        assert layout["groups"] > 10
        assert layout["overlaps"] == 0
        # On one line, "entfernen" keeps at least 2 rem (gap and rule) from the moves.
        assert layout["closest"] >= 32
        assert axe_violations(page) == []


def test_a_search_that_found_nothing_gets_a_synonym(site):
    with chromium_page(javascript=False) as page:
        page.goto(site + "/leistungen/")
        page.get_by_label("Was möchten Sie erledigen?").fill("Kinderkrippenplatz")
        page.get_by_role("button", name="Leistung suchen").click()
        assert axe_violations(page) == []
        page.get_by_role("link", name="Kindertagesstätte Aufnahme").click()
        assert page.url == site + "/leistungen/99041004034000/"
        page.goto(site + "/leistungen/")
        page.get_by_label("Was möchten Sie erledigen?").fill("Grillfest")
        page.get_by_role("button", name="Leistung suchen").click()
        assert "Keine Leistung gefunden" in page.inner_text("main")
    with chromium_page() as page:
        page.goto(site + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("land.admin")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.get_by_role("link", name="Suchanfragen ohne Erfolg und Synonyme der Suche").click()
        assert axe_violations(page) == []
        page.get_by_role("link", name="grillfest").click()
        assert axe_violations(page) == []
        page.get_by_label("Bedeutung im Leistungskatalog").fill("Straßenfest")
        page.get_by_role("button", name="Synonym hinzufügen").click()
        assert "Das Synonym gilt ab sofort." in page.inner_text("main")
        assert "Sondernutzung von Straßen (99108012000000)" in page.inner_text("main")
        assert axe_violations(page) == []
        page.get_by_role("link", name="Zurück zu den Suchanfragen").click()
        page.get_by_role("link", name="Kein Treffer geöffnet").click()
        assert "Keine Suchanfrage auf dieser Liste." in page.inner_text("main")
        page.get_by_role("link", name="Synonyme").click()
        assert axe_violations(page) == []
    logged = dict(SearchLogEntry.objects.values_list("query", "opened"))
    assert logged == {"kinderkrippenplatz": 1, "grillfest": 0}


@pytest.mark.parametrize("javascript", [True, False], ids=["mit-js", "ohne-js"])
def test_an_added_field_takes_the_focus(site, javascript):
    """The editor reloads at the new field, which has the focus, not at the top."""
    with chromium_page(javascript=javascript) as page:
        page.emulate_media(reduced_motion="reduce")  # no smooth scrolling to wait for
        page.goto(site + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("land.admin")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.goto(site + EDITOR)
        page.select_option("#typ-1\\.0", "yes_no")
        page.fill("#bezeichnung-1\\.0", "Hund ist gechippt")
        page.get_by_role("button", name=re.compile(r"^Feld hinzufügen\W+Gruppe Hund$")).click()
        anchor = re.search(r"#(feld-1\.0\.\d+)$", page.url).group(1)
        assert focused_id(page, anchor) == anchor
        new_field = page.locator(f"[id='{anchor}']")
        assert new_field.inner_text().startswith("Hund ist gechippt hund_ist_gechippt – yes_no")
        assert 0 <= new_field.bounding_box()["y"] < page.viewport_size["height"]
        assert axe_violations(page) == []
        assert horizontal_overflow(page) == []

"""The case page and the case opened by hand in Debian's headless Chromium,
without scripting (every flow works without it), axe-core on every page: a
caseworker of Erfurt records a paper application with its scan, takes it,
starts work on it, files a note and sees a refusal next to its field."""

import re

import pytest

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import Case
from openamt.catalogue.models import Service
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant
from openamt.testing.browser import (
    BROWSER_TEST,
    PHONE,
    axe_violations,
    chromium_page,
    horizontal_overflow,
)
from openamt.testing.data import THURINGIA, load_register
from openamt.testing.documents import sample_pdf

pytestmark = BROWSER_TEST
PASSWORD = "ein-langes-test-passwort"


@pytest.fixture
def site(live_server, data_files, transactional_db, tmp_path):
    """Made before the browser starts (Playwright's event loop forbids ORM calls)."""
    load_register(data_files, land=THURINGIA)
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    worker = User.objects.create_user(
        username="erfurt.sb", password=PASSWORD, first_name="Jana", last_name="Roth"
    )
    authority_role_grant(
        actor=None, user=worker, authority=erfurt, role=AuthorityRoleName.CASEWORKER
    )
    scan = tmp_path / "antrag-seite-1.pdf"
    scan.write_bytes(sample_pdf("Antrag auf Papier"))
    service = Service.objects.get(leika_key="99102013000000")
    return {"url": live_server.url, "erfurt": erfurt.pk, "scan": scan, "service": service}


def test_a_caseworker_records_and_works_on_a_paper_application(site):
    with chromium_page(javascript=False) as page:
        page.goto(site["url"] + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("erfurt.sb")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()

        page.goto(f"{site['url']}/verwaltung/behoerden/{site['erfurt']}/vorgaenge/neu/")
        assert axe_violations(page) == []
        page.get_by_label("Leistung suchen").fill("Hundesteuer")
        page.get_by_role("button", name="Suchen").click()
        page.get_by_label("Leistung", exact=True).select_option(str(site["service"].pk))
        page.get_by_label("Name des Antragstellers").fill("Erika Mustermann")
        page.get_by_label("Straße und Hausnummer").fill("Fischmarkt 1")
        page.get_by_label("PLZ").fill("9908")
        page.get_by_label("Ort").fill("Erfurt")
        page.get_by_label(re.compile("^Eingescannte Unterlagen")).set_input_files(str(site["scan"]))
        page.get_by_role("button", name="Vorgang anlegen").click()
        assert "PLZ: Bitte geben Sie eine fünfstellige Postleitzahl an." in page.inner_text(
            "#fehler"
        )
        assert axe_violations(page) == []
        page.get_by_label("PLZ").fill("99084")
        page.get_by_label(re.compile("^Eingescannte Unterlagen")).set_input_files(str(site["scan"]))
        page.get_by_role("button", name="Vorgang anlegen").click()
        assert re.search(r"Der Vorgang \S+ ist angelegt\.", page.inner_text("main"))
        assert "Erika Mustermann" in page.inner_text("#antragsteller")
        assert "antrag-seite-1.pdf" in page.inner_text("#akte")
        assert axe_violations(page) == []

        page.get_by_label("Neuer Status").select_option("in_bearbeitung")
        page.get_by_role("button", name="Status ändern").click()
        assert "Der Vorgang ist jetzt „in Bearbeitung“." in page.inner_text("main")
        assert page.inner_text("#status") == "in Bearbeitung"

        page.get_by_role("button", name="Vermerk zur Akte nehmen").click()
        assert "Vermerk: Bitte schreiben Sie den Vermerk." in page.inner_text("#fehler")
        assert axe_violations(page) == []
        page.get_by_label("Vermerk", exact=True).fill("Halterin am Schalter beraten.")
        page.get_by_role("button", name="Vermerk zur Akte nehmen").click()
        assert "Der Vermerk ist in der Akte." in page.inner_text("main")
        assert "Vermerk, Version 1" in page.inner_text("#verlauf")
        assert axe_violations(page) == []
        # On a phone the page reflows; its tables scroll in boxes of their own.
        page.set_viewport_size(PHONE)
        assert horizontal_overflow(page) == []
        page.goto(f"{site['url']}/verwaltung/behoerden/{site['erfurt']}/vorgaenge/neu/")
        assert horizontal_overflow(page) == []

    case = Case.objects.get()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.assignee.username == "erfurt.sb"
    assert sorted(case.documents.values_list("kind", flat=True)) == sorted(
        [DocumentKind.SCAN, DocumentKind.NOTE]
    )

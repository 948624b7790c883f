"""The case-work settings pages in headless Chromium without JavaScript,
axe-core on each page and on a refused input: an authority admin makes a team."""

import pytest

from openamt.accounts.models import User
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant
from openamt.testing.browser import BROWSER_TEST, axe_violations, chromium_page
from openamt.testing.data import THURINGIA, load_register

pytestmark = BROWSER_TEST
PASSWORD = "ein-langes-test-passwort"


@pytest.fixture
def site(live_server, data_files, transactional_db):
    """Made before the browser starts (Playwright's event loop forbids ORM calls)."""
    load_register(data_files, land=THURINGIA)
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    admin = User.objects.create_user(username="erfurt.admin", password=PASSWORD)
    authority_role_grant(actor=None, user=admin, authority=erfurt, role=AuthorityRoleName.ADMIN)
    return f"{live_server.url}/verwaltung/behoerden/{erfurt.pk}/"


def test_an_authority_admin_makes_a_team_without_javascript(site):
    with chromium_page(javascript=False) as page:
        page.goto(site.split("/verwaltung/")[0] + "/verwaltung/anmelden/")
        page.get_by_label("Benutzername").fill("erfurt.admin")
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden").click()
        page.goto(site)
        page.get_by_role("link", name="Teams").first.click()
        assert axe_violations(page) == []
        page.get_by_role("button", name="Speichern").click()
        assert "Bitte prüfen Sie Ihre Angaben" in page.inner_text("main")
        assert axe_violations(page) == []
        page.get_by_label("Name").fill("Hundesteuer")
        page.get_by_label("erfurt.admin").check()
        page.get_by_role("button", name="Speichern").click()
        assert "Das Team ist gespeichert." in page.inner_text("main")
        assert "Hundesteuer" in page.inner_text("table")
        for path in ("aktenplan/", "bescheidvorlagen/", "fristen/"):
            page.goto(site + path)
            assert axe_violations(page) == []

"""Case-work settings of an authority: who may read and change them, and the
lists' fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openamt.accounts.models import User
from openamt.backoffice.tests.test_case_settings import DEADLINES, PLAN, TEAMS, TEMPLATES, _html
from openamt.cases.models import DecisionTemplate, FilingPlanEntry, ServiceDeadline, Team
from openamt.catalogue.models import Service
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.testing.isolation import _case_settings_of, _snapshot


@pytest.fixture
def services(register) -> list[Service]:
    return list(Service.objects.order_by("pk")[:3])


@pytest.fixture
def erfurt_auditor(erfurt) -> User:
    user = User.objects.create_user(username="erfurt.lesen", password="ein-langes-test-passwort")
    authority_role_grant(actor=None, user=user, authority=erfurt, role=AuthorityRoleName.READ_ONLY)
    return user


# Who may do what


def _pages(authority) -> list[str]:
    return [page.format(pk=authority.pk) for page in (TEAMS, PLAN, TEMPLATES, DEADLINES)]


@pytest.mark.parametrize("who", ["erfurt_caseworker", "erfurt_auditor"])
def test_other_staff_of_the_authority_read_but_change_nothing(
    request, client_as, erfurt, who, services
):
    _case_settings_of(erfurt)
    team = Team.objects.get(authority=erfurt)
    client = client_as(request.getfixturevalue(who))
    before = _snapshot(erfurt)
    for url in _pages(erfurt):
        page = client.get(url)
        assert page.status_code == 200
        assert "Prüfung" in _html(page)
        assert 'name="aktion"' not in _html(page)  # no forms, no remove buttons
        assert "Ändern können diese Angaben nur die Administratoren der Behörde." in _html(page)
        for data in (
            {"aktion": "speichern", "name": "Neu", "code": "9", "title": "Neu"},
            {"aktion": f"loeschen:{team.pk}"},
        ):
            assert client.post(url, data).status_code == 403
    assert _snapshot(erfurt) == before


def test_staff_of_another_authority_get_404(client_as, lindenberg_admin, erfurt):
    _case_settings_of(erfurt)
    client = client_as(lindenberg_admin)
    before = _snapshot(erfurt)
    team = Team.objects.get(authority=erfurt)
    for url in _pages(erfurt):
        assert client.get(url).status_code == 404
        assert client.post(url, {"aktion": f"loeschen:{team.pk}"}).status_code == 404
    assert _snapshot(erfurt) == before


def test_an_admin_cannot_reach_another_authoritys_rows_through_her_own_page(
    client_as, erfurt_admin, erfurt, lindenberg
):
    _case_settings_of(lindenberg)
    before = _snapshot(lindenberg)
    client = client_as(erfurt_admin)
    rows = {
        TEAMS: Team.objects.get(authority=lindenberg).pk,
        PLAN: FilingPlanEntry.objects.get(authority=lindenberg).pk,
        TEMPLATES: DecisionTemplate.objects.get(authority=lindenberg).pk,
        DEADLINES: ServiceDeadline.objects.get(authority=lindenberg).pk,
    }
    for page, pk in rows.items():
        url = page.format(pk=erfurt.pk)
        assert client.get(url, {"bearbeiten": pk}).status_code == 404
        assert client.post(url, {"aktion": f"loeschen:{pk}"}).status_code == 404
        assert (
            client.post(url, {"aktion": "speichern", "eintrag": pk, "name": "x"}).status_code == 404
        )
    assert _snapshot(lindenberg) == before


def test_the_authority_page_links_the_settings(client_as, erfurt_caseworker, erfurt):
    page = _html(client_as(erfurt_caseworker).get(f"/verwaltung/behoerden/{erfurt.pk}/"))
    for url in _pages(erfurt):
        assert f'href="{url}"' in page


# Query bounds


def _rows(erfurt, users, services, numbers) -> None:
    for n in numbers:
        team = Team.objects.create(authority=erfurt, name=f"Team {n:02d}")
        team.members.add(*users)
        entry = FilingPlanEntry.objects.create(authority=erfurt, code=f"{n:03d}", title="T")
        entry.services.add(services[n % 3]) if n < 3 else None
        DecisionTemplate.objects.create(
            authority=erfurt,
            service=services[0],
            title=f"V {n}",
            subject="S",
            operative="O",
            legal_remedy="R",
        )
        ServiceDeadline.objects.create(
            service=services[0],
            authority=erfurt,
            processing_working_days=20,
            legal_basis="B",
            valid_from=date(1990 + n, 1, 1),
            valid_to=date(1990 + n, 12, 31),
        )


def test_the_lists_take_a_fixed_number_of_queries(
    client_as, erfurt_admin, erfurt_caseworker, erfurt, services, django_assert_max_num_queries
):
    """One row or a full page and more: the same queries (no query per row)."""
    users = [erfurt_caseworker, erfurt_admin]
    client = client_as(erfurt_admin)
    _rows(erfurt, users, services, range(1))
    counts = {}
    for url in _pages(erfurt):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[url] = len(queries)
    _rows(erfurt, users, services, range(1, 40))
    for url in _pages(erfurt):
        with django_assert_max_num_queries(counts[url]):
            page = client.get(url)
        assert page.status_code == 200
        assert "Seite 1 von 2 (40 Treffer)" in _html(page)
    assert max(counts.values()) <= 16

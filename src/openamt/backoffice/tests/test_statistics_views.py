"""Staff pages of the case statistics: who sees them, the table, the chart's
text alternative and the CSV download."""

import pytest
from django.urls import reverse
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.tests.test_statistics import decided_after, local
from openamt.catalogue.models import Service
from openamt.organisations.constants import AuthorityRoleName, LandRoleName
from openamt.organisations.services import authority_role_grant, land_role_grant

CSV_HEADER = (
    "\ufeffLeistung;Monat;Eingegangen;Entschieden;"
    "Median Bearbeitungszeit (Tage);90. Perzentil Bearbeitungszeit (Tage)\r\n"
).encode()
RANGE = {"von": "2026-03", "bis": "2026-03"}


@pytest.fixture
def service(register) -> Service:
    return Service.objects.order_by("name").first()


@pytest.fixture
def march(erfurt, lindenberg, service):
    for days in (1, 2, 3, 4, 10):
        decided_after(erfurt, service, local(2026, 3, 20, 12), days)
    decided_after(lindenberg, service, local(2026, 3, 20, 12), 5)


def _user(name: str) -> User:
    return User.objects.create_user(username=name, password="ein-langes-test-passwort")


def test_the_authority_s_staff_see_its_table_and_chart(client_as, erfurt, march, service):
    auditor = _user("erfurt.pruefung")
    authority_role_grant(
        actor=None, user=auditor, authority=erfurt, role=AuthorityRoleName.READ_ONLY
    )
    response = client_as(auditor).get(
        reverse("backoffice:authority-statistics", kwargs={"pk": erfurt.pk}), RANGE
    )
    assert response.status_code == 200
    assert response.context["body"] == [
        [service.name, "03/2026", "5", "5", "3,00", "7,60"],
        ["Alle Leistungen", "03/2026", "5", "5", "3,00", "7,60"],
    ]
    page = response.content.decode()
    assert 'role="img" aria-labelledby="diagramm-name diagramm-text"' in page
    assert "Alle Werte stehen in der Tabelle" in page
    assert "<script" not in page.split("<main", 1)[-1]
    assert (
        f'href="/verwaltung/behoerden/{erfurt.pk}/statistik/csv/?von=2026-03&amp;bis=2026-03"'
        in page
    )


def test_the_csv_is_the_same_table(client_as, erfurt_caseworker, erfurt, march, service):
    response = client_as(erfurt_caseworker).get(
        reverse("backoffice:authority-statistics-csv", kwargs={"pk": erfurt.pk}), RANGE
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="statistik-{erfurt.pk}-2026-03-2026-03.csv"'
    )
    assert response.content.startswith(CSV_HEADER)
    assert (
        response.content
        == CSV_HEADER
        + (
            f"{service.name};03/2026;5;5;3,00;7,60\r\nAlle Leistungen;03/2026;5;5;3,00;7,60\r\n"
        ).encode()
    )


def test_another_authority_s_staff_get_404(client_as, lindenberg_admin, erfurt, march):
    client = client_as(lindenberg_admin)
    for name in ("backoffice:authority-statistics", "backoffice:authority-statistics-csv"):
        assert client.get(reverse(name, kwargs={"pk": erfurt.pk})).status_code == 404


def test_the_land_page_is_for_the_land_s_roles_only(
    client_as, erfurt_admin, land_admin, march, service
):
    for name in ("backoffice:land-statistics", "backoffice:land-statistics-csv"):
        assert client_as(erfurt_admin).get(reverse(name), RANGE).status_code == 404
    programme = _user("land.programm")
    land_role_grant(actor=None, user=programme, role=LandRoleName.PROGRAMME_STAFF)
    for user in (land_admin, programme):
        response = client_as(user).get(reverse("backoffice:land-statistics"), RANGE)
        assert response.status_code == 200
        # Erfurt's 1,2,3,4,10 and Lindenberg's 5: median 3.5, p90 7.5; no authority named.
        assert response.context["body"] == [
            [service.name, "03/2026", "6", "6", "3,50", "7,50"],
            ["Alle Leistungen", "03/2026", "6", "6", "3,50", "7,50"],
        ]
        page = response.content.decode()
        assert "Erfurt" not in page
        assert "Lindenberg" not in page
    csv = client_as(land_admin).get(reverse("backoffice:land-statistics-csv"), RANGE)
    assert (
        csv.content
        == CSV_HEADER
        + (
            f"{service.name};03/2026;6;6;3,50;7,50\r\nAlle Leistungen;03/2026;6;6;3,50;7,50\r\n"
        ).encode()
    )


def test_a_range_too_long_falls_back_and_says_why(client_as, erfurt_caseworker, erfurt):
    response = client_as(erfurt_caseworker).get(
        reverse("backoffice:authority-statistics", kwargs={"pk": erfurt.pk}),
        {"von": "2020-01", "bis": "2026-01"},
    )
    assert response.status_code == 200
    assert response.context["refusal"] == "Höchstens 36 Monate auf einmal."
    assert len(response.context["stats"].totals) == 12
    assert response.context["stats"].last_month == timezone.localdate().replace(day=1)

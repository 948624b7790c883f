"""The staff inbox page: what it lists and links, its queries, its bulk
actions (all or nothing), the auditor's read-only view and the 404 for
another authority's staff."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from openamt.cases.constants import CaseStatus
from openamt.cases.models import Case
from openamt.cases.tests.inbox_data import build_world
from openamt.core.models import AuditEntry


@pytest.fixture
def world(erfurt, lindenberg):
    return build_world(erfurt, lindenberg)


def url(world, **params) -> str:
    base = reverse("backoffice:inbox", kwargs={"pk": world["erfurt"].pk})
    if not params:
        return base
    return f"{base}?{urlencode(params)}"


def rows(response) -> list[str]:
    """The applicants' first names in the table, in its order."""
    return [case.applicant_name.split()[0] for case in response.context["page"]]


def snapshot() -> list[tuple]:
    return list(Case.objects.order_by("pk").values_list("pk", "status", "assignee_id", "team_id"))


def test_the_inbox_lists_the_open_cases_with_links_and_deadlines(client_as, world):
    response = client_as(world["chef"]).get(url(world))
    assert response.status_code == 200
    assert rows(response) == ["Greta", "Maria", "Petra", "Jörg", "Erika", "Hans"]
    html = response.content.decode()
    hans = world["cases"]["Hans"]
    link = reverse("backoffice:case", kwargs={"case_id": hans.public_id})
    assert f'href="{link}">{hans.reference}</a>' in html
    # Overdue in words, not only in colour; due Wiedervorlage too.
    assert html.count("überfällig</strong>") == 1
    assert html.count("<strong>fällig</strong>") == 2
    assert "6 Vorgänge" in html
    assert str(world["namesake"].public_id) not in html
    # Checkbox per row with its own label.
    assert f'<label class="kern-label" for="v-{hans.public_id}">' in html
    assert f"Vorgang {hans.reference} auswählen" in html


def test_filters_and_search_by_get_parameters(client_as, world):
    client = client_as(world["anna"])
    assert rows(client.get(url(world, bearbeitung="mir"))) == ["Petra", "Erika"]
    assert rows(client.get(url(world, status="alle", q="Müller"))) == ["Hans"]
    assert rows(client.get(url(world, ueberfaellig="on"))) == ["Hans"]
    assert rows(client.get(url(world, wiedervorlage="on", sortierung="eingang"))) == [
        "Erika",
        "Petra",
    ]
    assert rows(client.get(url(world, bearbeitung="niemand", leistung=world["dogs"].pk))) == [
        "Hans"
    ]


def test_an_unknown_filter_value_is_named_and_ignored(client_as, world):
    response = client_as(world["chef"]).get(url(world, status="erfunden", bearbeitung="99999"))
    assert response.status_code == 200
    assert rows(response) == ["Greta", "Maria", "Petra", "Jörg", "Erika", "Hans"]
    html = response.content.decode()
    assert 'href="#filter-status">Status: Bitte wählen Sie einen Eintrag aus der Liste.' in html
    assert 'href="#filter-bearbeitung">Bearbeitung:' in html


def test_sort_links_turn_the_order_round_and_say_so(client_as, world):
    client = client_as(world["chef"])
    response = client.get(url(world, status="alle", sortierung="frist", seite="1"))
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html
    assert 'status=alle&amp;sortierung=-frist"' in html  # the next click: descending, page 1
    assert rows(client.get(url(world, status="alle", sortierung="-frist")))[0] == "Maria"


def test_pagination_keeps_the_filters(client_as, world, erfurt):
    from openamt.cases.tests.inbox_data import open_case

    for n in range(26):
        open_case(world["chef"], erfurt, world["dogs"], f"Nummer{n} Weber")
    client = client_as(world["chef"])
    first = client.get(url(world, q="Weber", leistung=world["dogs"].pk))
    assert first.context["page"].paginator.count == 26
    html = first.content.decode()
    assert f"q=Weber&amp;leistung={world['dogs'].pk}&amp;seite=2" in html
    second = client.get(url(world, q="Weber", leistung=world["dogs"].pk, seite=2))
    assert rows(second) == ["Nummer0"]


def test_the_page_is_query_bounded_with_filters_and_search(
    client_as, world, django_assert_max_num_queries
):
    # Anna is in a team: the heaviest case (roles, teams, choices, count, page).
    client = client_as(world["anna"])
    for params in (
        {},
        {"status": "alle", "q": "Müller", "sortierung": "status"},
        {"bearbeitung": "mir", "team": world["north"].pk, "ueberfaellig": "on"},
        {
            "q": world["cases"]["Hans"].reference,
            "wiedervorlage": "on",
            "leistung": world["dogs"].pk,
        },
    ):
        with django_assert_max_num_queries(10):
            assert client.get(url(world, **params)).status_code == 200


def test_another_authoritys_staff_get_404_and_change_nothing(client_as, world, land_admin):
    before = snapshot()
    for user in (world["stranger"], land_admin):
        client = client_as(user)
        assert client.get(url(world)).status_code == 404
        posted = client.post(
            url(world),
            {"aktion": "mir", "vorgang": [str(world["cases"]["Hans"].public_id)]},
        )
        assert posted.status_code == 404
    assert snapshot() == before


def test_bulk_assign_to_me(client_as, world):
    hans, maria = world["cases"]["Hans"], world["cases"]["Maria"]
    audited = AuditEntry.objects.count()
    response = client_as(world["bert"]).post(
        url(world, status="alle"),
        {"aktion": "mir", "vorgang": [str(hans.public_id), str(maria.public_id)]},
    )
    assert response.status_code == 302
    assert response["Location"] == url(world, status="alle") + "#inhalt"
    assert set(Case.objects.filter(assignee=world["bert"]).values_list("pk", flat=True)) == {
        hans.pk,
        maria.pk,
        world["cases"]["Jörg"].pk,
        world["cases"]["Uwe"].pk,
    }
    assert AuditEntry.objects.count() == audited + 2
    page = client_as(world["bert"]).get(response["Location"]).content.decode()
    assert "2 Vorgänge Ihnen zugewiesen." in page


def test_bulk_assign_to_a_person_and_to_a_team(client_as, world):
    hans, petra = world["cases"]["Hans"], world["cases"]["Petra"]
    client = client_as(world["chef"])
    response = client.post(
        url(world),
        {"aktion": "zuweisen", "an": str(world["bert"].pk), "vorgang": [str(hans.public_id)]},
    )
    assert response.status_code == 302
    hans.refresh_from_db()
    assert (hans.assignee_id, hans.team_id) == (world["bert"].pk, None)
    response = client.post(
        url(world),
        {
            "aktion": "zuweisen",
            "an": "niemand",
            "team": str(world["north"].pk),
            "vorgang": [str(hans.public_id), str(petra.public_id)],
        },
    )
    assert response.status_code == 302
    assert list(
        Case.objects.filter(pk__in=[hans.pk, petra.pk])
        .order_by("pk")
        .values_list("assignee_id", "team_id")
    ) == [(None, world["north"].pk), (None, world["north"].pk)]
    response = client.post(
        url(world),
        {"aktion": "zuweisen", "an": "niemand", "team": "ohne", "vorgang": [str(hans.public_id)]},
    )
    assert response.status_code == 302
    hans.refresh_from_db()
    assert (hans.assignee_id, hans.team_id) == (None, None)
    assert (
        "1 Vorgang niemandem ohne Team zugewiesen."
        in client.get(response["Location"]).content.decode()
    )


def test_bulk_assign_to_someone_who_does_not_work_here_changes_nothing(client_as, world):
    before = snapshot()
    response = client_as(world["chef"]).post(
        url(world),
        {
            "aktion": "zuweisen",
            "an": str(world["stranger"].pk),
            "vorgang": [str(world["cases"]["Hans"].public_id)],
        },
    )
    assert response.status_code == 422
    assert "Zuweisen an: Bitte wählen Sie einen Eintrag aus der Liste." in response.content.decode()
    assert snapshot() == before


def test_bulk_status_change(client_as, world):
    hans, petra = world["cases"]["Hans"], world["cases"]["Petra"]
    response = client_as(world["chef"]).post(
        url(world),
        {
            "aktion": "status",
            "status": CaseStatus.IN_PROGRESS,
            "vorgang": [str(hans.public_id), str(petra.public_id)],
        },
    )
    assert response.status_code == 302
    assert set(
        Case.objects.filter(status=CaseStatus.IN_PROGRESS).values_list("applicant_name", flat=True)
    ) == {"Hans Müller", "Petra Sommer", "Erika Schulz", "Greta Müller-Lüdenscheid"}


def test_an_illegal_transition_in_the_batch_changes_nothing(client_as, world):
    hans, erika = world["cases"]["Hans"], world["cases"]["Erika"]
    before, audited = snapshot(), AuditEntry.objects.count()
    response = client_as(world["chef"]).post(
        url(world),
        {
            "aktion": "status",
            "status": CaseStatus.DECIDED,
            # Erika (in Bearbeitung) may be decided, Hans (neu) may not.
            "vorgang": [str(erika.public_id), str(hans.public_id)],
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert (
        "Ein Vorgang im Status „neu“ kann nicht „entschieden“ werden. "
        f"Betroffen: {hans.reference}. Es wurde nichts geändert."
    ) in html
    assert 'href="#sammel-status"' in html
    assert snapshot() == before
    assert AuditEntry.objects.count() == audited
    # The selection stays checked.
    assert re.search(rf'value="{erika.public_id}" checked', html)
    assert re.search(rf'value="{hans.public_id}" checked', html)


def test_a_bulk_action_without_selection_or_target_is_refused(client_as, world):
    client = client_as(world["chef"])
    before = snapshot()
    nothing = client.post(url(world), {"aktion": "mir"})
    assert nothing.status_code == 422
    assert 'href="#vorgaenge">Bitte wählen Sie mindestens einen Vorgang aus.' in (
        nothing.content.decode()
    )
    no_target = client.post(
        url(world), {"aktion": "zuweisen", "vorgang": [str(world["cases"]["Hans"].public_id)]}
    )
    assert no_target.status_code == 422
    assert "Bitte wählen Sie, wem die Vorgänge zugewiesen werden" in no_target.content.decode()
    no_status = client.post(
        url(world), {"aktion": "status", "vorgang": [str(world["cases"]["Hans"].public_id)]}
    )
    assert "Bitte wählen Sie den neuen Status." in no_status.content.decode()
    assert snapshot() == before


def test_a_case_outside_the_users_list_spoils_the_batch(client_as, world):
    before = snapshot()
    # Karl's case belongs to team Süd; Anna is in Nord. The namesake is Lindenberg's.
    for foreign in (world["cases"]["Karl"], world["namesake"]):
        response = client_as(world["anna"]).post(
            url(world),
            {
                "aktion": "mir",
                "vorgang": [str(world["cases"]["Hans"].public_id), str(foreign.public_id)],
            },
        )
        assert response.status_code == 422
        assert "Einige der ausgewählten Vorgänge gibt es nicht" in response.content.decode()
    assert snapshot() == before


def test_the_auditor_reads_without_bulk_actions_and_cannot_post(client_as, world):
    client = client_as(world["auditor"])
    response = client.get(url(world))
    assert rows(response) == ["Greta", "Maria", "Petra", "Jörg", "Erika", "Hans"]
    html = response.content.decode()
    for absent in ('name="vorgang"', "Status ändern", "zuweisen", "auswählen"):
        assert absent not in html, absent
    before, audited = snapshot(), AuditEntry.objects.count()
    forged = client.post(
        url(world),
        {
            "aktion": "status",
            "status": CaseStatus.IN_PROGRESS,
            "vorgang": [str(world["cases"]["Hans"].public_id)],
        },
    )
    assert forged.status_code == 403
    assert snapshot() == before
    assert AuditEntry.objects.count() == audited


def test_a_post_without_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["chef"])
    before = snapshot()
    response = client.post(
        url(world), {"aktion": "mir", "vorgang": [str(world["cases"]["Hans"].public_id)]}
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_select_all_works_without_javascript(client_as, world):
    client = client_as(world["chef"])
    html = client.get(url(world)).content.decode()
    assert html.count(" checked>") == 0
    assert f'href="{url(world, auswahl="alle")}#vorgaenge"' in html
    selected = client.get(url(world, auswahl="alle")).content.decode()
    assert selected.count('name="vorgang"') == 6
    assert len(re.findall(r'name="vorgang" value="[0-9a-f-]+" checked', selected)) == 6
    assert "Auswahl aufheben" in selected

"""The Land's pages for the portal search: synonyms, and the queries that found
nothing or led nowhere, from which an editor adds a term or a synonym."""

import pytest
from django.urls import reverse
from django.utils import timezone

from openamt.catalogue.models import SearchLogEntry, SearchSynonym, ServiceTerm
from openamt.catalogue.selectors import service_search
from openamt.core.models import AuditEntry

SYNONYMS = reverse("backoffice:search-synonyms")
LOG = reverse("backoffice:search-log")
SPERRMUELL_ABHOLUNG = "99001009004002"


def _log(query: str, *, searches: int = 1, opened: int = 0, results: int = 0) -> SearchLogEntry:
    return SearchLogEntry.objects.create(
        query=query,
        searches=searches,
        opened=opened,
        result_count=results,
        last_searched=timezone.localdate(),
    )


def test_land_admin_adds_and_removes_a_synonym(client_as, land_admin):
    staff = client_as(land_admin)
    assert not service_search(q="Grillfest").exists()
    response = staff.post(SYNONYMS, {"synonym-word": "Grillfest", "synonym-meaning": "Straßenfest"})
    assert response.status_code == 302
    assert service_search(q="Grillfest")[0].leika_key == "99108012000000"
    synonym = SearchSynonym.objects.get(word="Grillfest")
    listing = staff.get(SYNONYMS, {"q": "grillf"}).content.decode()
    assert "Grillfest" in listing
    assert "Straßenfest" in listing
    delete = reverse("backoffice:search-synonym-delete", kwargs={"synonym_pk": synonym.pk})
    assert staff.post(delete).status_code == 302
    assert not SearchSynonym.objects.filter(word="Grillfest").exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="search_synonym.")
        .order_by("pk")
        .values_list("action", "actor_id")
    ) == [("search_synonym.add", land_admin.pk), ("search_synonym.remove", land_admin.pk)]


def test_a_bad_synonym_is_refused_next_to_the_field(client_as, land_admin):
    before = SearchSynonym.objects.count()
    response = client_as(land_admin).post(
        SYNONYMS, {"synonym-word": "zwei Wörter", "synonym-meaning": "Straßenfest"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["word"] == [
        "Geben Sie genau ein Wort mit 2 bis 60 Zeichen ein."
    ]
    assert 'href="#id_synonym-word"' in response.content.decode()
    assert SearchSynonym.objects.count() == before
    assert not AuditEntry.objects.filter(action__startswith="search_").exists()


def test_who_may_see_and_who_may_change_the_search(client_as, operator, erfurt_admin):
    synonym = SearchSynonym.objects.order_by("pk").first()
    entry = _log("kinderkrippenplatz")
    entry_url = reverse("backoffice:search-log-entry", kwargs={"log_pk": entry.pk})
    delete = reverse("backoffice:search-synonym-delete", kwargs={"synonym_pk": synonym.pk})
    dismiss = reverse("backoffice:search-log-dismiss", kwargs={"log_pk": entry.pk})
    synonyms = SearchSynonym.objects.count()
    # Staff of an authority do not see the Land's pages at all.
    authority = client_as(erfurt_admin)
    for url in [SYNONYMS, LOG, entry_url]:
        assert authority.get(url).status_code == 404, url
    # The operator reads, but cannot change.
    betrieb = client_as(operator)
    page = betrieb.get(SYNONYMS).content.decode()
    assert "Synonym hinzufügen" not in page
    assert "Entfernen" not in page
    assert "Von der Liste nehmen" not in betrieb.get(entry_url).content.decode()
    for url, data in [
        (SYNONYMS, {"synonym-word": "Grillfest", "synonym-meaning": "Straßenfest"}),
        (entry_url, {"synonym-word": "Grillfest", "synonym-meaning": "Straßenfest"}),
        (delete, {}),
        (dismiss, {}),
    ]:
        assert betrieb.post(url, data).status_code == 404, url
    assert SearchSynonym.objects.count() == synonyms
    assert SearchLogEntry.objects.filter(pk=entry.pk).exists()
    assert not AuditEntry.objects.filter(action__startswith="search_").exists()


def test_the_log_lists_what_found_nothing_and_what_led_nowhere(client_as, land_admin):
    _log("kinderkrippenplatz", searches=5)
    _log("quantenchromodynamik", searches=9)
    _log("hund anmelden", searches=7, results=12)  # found, never opened
    _log("ausweis", searches=30, opened=20, results=40)  # works: on no list
    staff = client_as(land_admin)
    nothing = staff.get(LOG).context["page"]
    assert [e.query for e in nothing] == ["quantenchromodynamik", "kinderkrippenplatz"]
    nowhere = staff.get(LOG, {"liste": "ohne-aufruf"}).context["page"]
    assert [e.query for e in nowhere] == ["hund anmelden"]


def test_the_log_list_is_paginated_and_query_bounded(
    client_as, land_admin, django_assert_max_num_queries
):
    SearchLogEntry.objects.bulk_create(
        SearchLogEntry(query=f"anfrage {i:03}", searches=i, last_searched=timezone.localdate())
        for i in range(60)
    )
    staff = client_as(land_admin)
    with django_assert_max_num_queries(8):
        response = staff.get(LOG, {"seite": "2"})
    page = response.context["page"]
    assert (page.paginator.count, page.number, len(page.object_list)) == (60, 2, 25)
    assert page.object_list[0].query == "anfrage 034"
    with django_assert_max_num_queries(8):
        assert len(staff.get(SYNONYMS).context["page"].object_list) == 25


def test_a_term_added_from_the_log_finds_the_service(client_as, land_admin):
    entry = _log("sperrmuelltermin", searches=4)
    url = reverse("backoffice:search-log-entry", kwargs={"log_pk": entry.pk})
    staff = client_as(land_admin)
    page = staff.get(url)
    assert not page.context["found"]
    assert page.context["term_form"]["term"].value() == "sperrmuelltermin"
    response = staff.post(
        url,
        {
            "begriff-leika_key": SPERRMUELL_ABHOLUNG,
            "begriff-term": "Sperrmülltermin",
            "begriff-kind": "keyword",
        },
    )
    assert response.status_code == 302
    assert ServiceTerm.objects.filter(
        service__leika_key=SPERRMUELL_ABHOLUNG, term="Sperrmülltermin"
    ).exists()
    assert [s.leika_key for s in staff.get(url).context["found"]][:1] == [SPERRMUELL_ABHOLUNG]
    assert AuditEntry.objects.filter(action="service_term.add").count() == 1
    dismiss = reverse("backoffice:search-log-dismiss", kwargs={"log_pk": entry.pk})
    assert staff.post(dismiss)["Location"] == LOG
    assert not SearchLogEntry.objects.filter(pk=entry.pk).exists()
    assert AuditEntry.objects.get(action="search_log.dismiss").changes == {
        "query": "sperrmuelltermin",
        "searches": 4,
        "opened": 0,
    }


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "begriff-leika_key": "99999999999999",
                "begriff-term": "x-y",
                "begriff-kind": "keyword",
            },
            "leika_key",
            "Diesen Leistungsschlüssel gibt es im Katalog nicht.",
        ),
        (
            {
                "begriff-leika_key": SPERRMUELL_ABHOLUNG,
                "begriff-term": "x",
                "begriff-kind": "keyword",
            },
            "term",
            "Ein Suchbegriff hat 2 bis 120 Zeichen.",
        ),
    ],
)
def test_a_bad_term_from_the_log_is_refused_next_to_the_field(
    client_as, land_admin, data, field, message
):
    entry = _log("sperrmuelltermin")
    terms = ServiceTerm.objects.count()
    url = reverse("backoffice:search-log-entry", kwargs={"log_pk": entry.pk})
    response = client_as(land_admin).post(url, data)
    assert response.status_code == 200
    assert response.context["term_form"].errors[field] == [message]
    assert ServiceTerm.objects.count() == terms
    assert not AuditEntry.objects.filter(action__startswith="service_term").exists()


def test_a_synonym_added_from_the_log_applies_to_all_services(client_as, land_admin):
    entry = _log("grillfest")
    url = reverse("backoffice:search-log-entry", kwargs={"log_pk": entry.pk})
    staff = client_as(land_admin)
    assert staff.get(url).context["synonym_form"]["word"].value() == "grillfest"
    response = staff.post(url, {"synonym-word": "Grillfest", "synonym-meaning": "Straßenfest"})
    assert response.status_code == 302
    assert [s.leika_key for s in staff.get(url).context["found"]][:1] == ["99108012000000"]

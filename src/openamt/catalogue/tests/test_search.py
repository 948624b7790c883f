"""German free-text search: colloquial, misspelled and compound queries (both databases)."""

import pytest

from openamt.catalogue.models import Service
from openamt.catalogue.selectors import service_search
from openamt.catalogue.services import service_term_add
from openamt.core.errors import PermissionDenied
from openamt.core.models import AuditEntry

# (what a person types, the Leistungsschlüssel they mean)
QUERIES = [
    ("Anmeldung Wohnung", "99115005104000"),
    ("Ummeldung", "99115005011000"),
    ("Hund anmelden", "99102013000000"),
    ("Auto zulassen", "99036010007000"),
    ("Gewerbeanmledung", "99050012104000"),  # typo
    ("Gewerbeanmeldung", "99050012104000"),  # compound of "Gewerbe Anmeldung"
    ("Personalausweiss", "99008001012000"),  # typo
    ("Perso verloren", "99008001012000"),  # colloquial, no service has both words
    ("Reisepas beantragen", "99085001012000"),  # typo
    ("Fuehrerschein verloren", "99023001000000"),  # ue for ü
    ("Bauantrag", "99012008000000"),
    ("Wohngeld beantragen", "99107023000000"),
    ("Heiraten", "99059001104000"),
    ("Geburt anzeigen", "99027006000000"),
    ("Hundesteur", "99102013000000"),  # typo
    ("Kfz Zulassung", "99036010007000"),
    ("Briefwahl", "99128001000000"),
    ("Jagtschein", "99067004000000"),  # typo
    ("Fundbüro", "99089017000000"),
    ("Baum fällen", "99093003000000"),
    ("Parkausweis Behinderung", "99108009000000"),
    ("Einbürgerrung", "99099002000000"),  # typo, also found in the catalogue itself
    ("Angelschein", "99042001000000"),
    ("wohnsitz anmelden", "99115005104000"),
]


@pytest.mark.parametrize(("query", "leika_key"), QUERIES)
def test_intended_service_is_in_the_top_three(register, query, leika_key):
    top = list(service_search(q=query).values_list("leika_key", flat=True)[:3])
    assert leika_key in top, f"{query!r}: {top}"


def test_exact_name_ranks_first(register):
    assert service_search(q="Wohngeld").first().leika_key == "99107023000000"


def test_unknown_words_find_nothing(register):
    assert not service_search(q="Quantenchromodynamik").exists()


def test_a_new_synonym_is_searchable_at_once(register, land_admin):
    service = Service.objects.get(leika_key="99102013000000")
    assert not service_search(q="Vierbeiner").exists()
    service_term_add(actor=land_admin, service=service, term="Vierbeiner")
    assert service_search(q="Vierbeiner").first() == service
    assert AuditEntry.objects.filter(action="service_term.add").count() == 1


def test_only_the_land_edits_search_terms(register, erfurt_admin):
    service = Service.objects.get(leika_key="99102013000000")
    with pytest.raises(PermissionDenied):
        service_term_add(actor=erfurt_admin, service=service, term="Vierbeiner")
    assert not service.terms.filter(term="Vierbeiner").exists()


def test_admin_refuses_a_synonym_twice(client, operator, register):
    from django.urls import reverse

    service = Service.objects.get(leika_key="99102013000000")
    existing = list(service.terms.all())
    client.force_login(operator)
    data = {
        "popularity": str(service.popularity),
        "terms-TOTAL_FORMS": str(len(existing) + 2),
        "terms-INITIAL_FORMS": str(len(existing)),
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for index, term in enumerate(existing):
        data.update(
            {
                f"terms-{index}-id": str(term.pk),
                f"terms-{index}-service": str(service.pk),
                f"terms-{index}-term": term.term,
                f"terms-{index}-kind": term.kind,
            }
        )
    for offset, word in enumerate(["Vierbeiner", "vierbeiner"]):
        index = len(existing) + offset
        data.update(
            {
                f"terms-{index}-service": str(service.pk),
                f"terms-{index}-term": word,
                f"terms-{index}-kind": "synonym",
            }
        )
    response = client.post(reverse("admin:catalogue_service_change", args=[service.pk]), data)
    assert response.status_code == 200
    assert "steht doppelt da" in response.content.decode()
    assert not service.terms.filter(term_folded="vierbeiner").exists()

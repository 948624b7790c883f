"""The anonymous search log: searches and opened results are counted, nothing
about the person is stored, and a result link counts once."""

import re
import time
from html import unescape
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from openamt.catalogue.models import SearchLogEntry
from openamt.catalogue.services import OPEN_MAX_AGE, search_log_query, search_result_token

SEARCH = "/leistungen/"
HUND = "99102013000000"


def _result_links(response) -> list[str]:
    return [
        unescape(href)
        for href in re.findall(r'href="(/leistungen/\d+/treffer/[^"]+)"', response.content.decode())
    ]


def _entry() -> dict:
    return SearchLogEntry.objects.values(
        "query", "searches", "opened", "result_count", "last_searched"
    ).get()


def test_the_log_has_no_field_for_a_person():
    assert {field.name for field in SearchLogEntry._meta.get_fields()} == {
        "id",
        "query",
        "searches",
        "opened",
        "result_count",
        "last_searched",
    }


def test_a_submitted_search_is_counted_without_the_person(client, register):
    sessions = Session.objects.count()
    response = client.get(SEARCH, {"q": "  Hund   ANMELDEN "}, REMOTE_ADDR="203.0.113.7")
    total = response.context["page"].paginator.count
    assert total > 0
    assert _entry() == {
        "query": "hund anmelden",
        "searches": 1,
        "opened": 0,
        "result_count": total,
        "last_searched": timezone.localdate(),
    }
    client.get(SEARCH, {"q": "hund anmelden"})
    assert SearchLogEntry.objects.get().searches == 2
    # Nothing in the log or elsewhere links the search to who made it.
    assert Session.objects.count() == sessions
    assert not response.cookies
    assert "203.0.113.7" not in str(SearchLogEntry.objects.values().get())


def test_a_search_that_finds_nothing_is_counted_with_zero_results(client, register):
    client.get(SEARCH, {"q": "Quantenchromodynamik"})
    assert _entry()["result_count"] == 0


def test_live_results_and_further_pages_are_not_counted_as_searches(client, register):
    client.get(SEARCH, {"q": "Hund"}, HTTP_HX_REQUEST="true")
    client.get(SEARCH, {"q": "Antrag", "seite": "2"})
    client.get(SEARCH, {"lebenslage": "Familie & Kind"})
    assert not SearchLogEntry.objects.exists()


@pytest.mark.parametrize(
    ("typed", "logged"),
    [
        ("Führerschein VERLOREN", "führerschein verloren"),
        ("Ausweis max.mustermann@example.org 0171 1234567", "ausweis"),
        ("Geburtsurkunde 12.03.1985", "geburtsurkunde"),
        ("99084", ""),
    ],
)
def test_the_logged_query_leaves_out_addresses_and_numbers(typed, logged):
    assert search_log_query(typed) == logged


def test_a_query_of_numbers_only_is_not_logged(client, register):
    client.get(SEARCH, {"q": "0171 1234567"})
    assert not SearchLogEntry.objects.exists()


def test_opening_a_result_is_counted_once_and_leads_to_the_service(client, register):
    response = client.get(SEARCH, {"q": "Hund anmelden"})
    links = _result_links(response)
    assert len(links) == len(response.context["results"])
    assert 'rel="nofollow"' in response.content.decode()
    hund = next(link for link in links if link.startswith(f"/leistungen/{HUND}/"))
    opened = client.get(hund)
    assert opened.status_code == 302
    assert opened["Location"] == f"/leistungen/{HUND}/"
    assert opened["X-Robots-Tag"] == "noindex, nofollow"
    assert not opened.cookies
    assert _entry()["opened"] == 1
    client.get(hund)  # the same link again: not counted
    assert (_entry()["searches"], _entry()["opened"]) == (1, 1)


def test_a_live_result_counts_the_search_when_it_is_opened(client, register):
    response = client.get(SEARCH, {"q": "Hund anmelden"}, HTTP_HX_REQUEST="true")
    assert not SearchLogEntry.objects.exists()
    client.get(_result_links(response)[0])
    entry = _entry()
    assert (entry["query"], entry["searches"], entry["opened"]) == ("hund anmelden", 1, 1)
    assert entry["result_count"] == response.context["page"].paginator.count


def test_a_forged_foreign_or_old_link_counts_nothing(client, register):
    client.get(SEARCH, {"q": "Hund anmelden"})
    token = search_result_token(query="Hund anmelden", leika_key=HUND, counted=True, result_count=3)
    with mock.patch("django.core.signing.time.time", return_value=time.time() - OPEN_MAX_AGE - 5):
        old = search_result_token(
            query="Hund anmelden", leika_key=HUND, counted=True, result_count=3
        )
    for url in [
        f"/leistungen/{HUND}/treffer/?t={token[:-2]}xx",  # signature broken
        f"/leistungen/99050012104000/treffer/?t={token}",  # signed for another service
        f"/leistungen/{HUND}/treffer/?t={old}",  # expired
        f"/leistungen/{HUND}/treffer/",  # no token
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].endswith("/")
        assert "treffer" not in response["Location"]
    assert _entry()["opened"] == 0
    assert client.post(f"/leistungen/{HUND}/treffer/?t={token}").status_code == 405
    assert _entry()["opened"] == 0

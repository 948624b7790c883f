import pytest

URL = "/api/v1/regions"


@pytest.mark.germany
def test_counts_all_german_municipalities(client, register):
    body = client.get(URL, {"level": "gemeinde", "limit": 1}).json()
    assert body["count"] == 10953
    assert set(body) == {"items", "count"}


def test_counts_thuringian_municipalities(client, register):
    assert client.get(URL, {"level": "gemeinde", "ars_prefix": "16"}).json()["count"] == 605
    assert client.get(URL, {"level": "kreis", "ars_prefix": "16"}).json()["count"] == 22
    assert client.get(URL, {"level": "verband", "ars_prefix": "16"}).json()["count"] == 189


@pytest.mark.parametrize(
    ("q", "name", "kreis_ars", "verband_ars"),
    [
        ("Erfurt", "Erfurt, Stadt", "16051", "160510000"),
        ("99084", "Erfurt, Stadt", "16051", "160510000"),
        ("Neustadt an der Orla", "Neustadt an der Orla, Stadt", "16075", "160755050"),
        ("Uder", "Uder", "16061", "160615051"),
        ("37318", "Uder", "16061", "160615051"),
    ],
)
def test_search_finds_the_municipality_with_kreis_and_verband(
    client, register, q, name, kreis_ars, verband_ars
):
    items = client.get(URL, {"q": q, "level": "gemeinde", "ars_prefix": "16", "limit": 50}).json()[
        "items"
    ]
    match = next(item for item in items if item["name"] == name)
    assert match["parent_ars"] == verband_ars
    detail = client.get(f"{URL}/{match['ars']}").json()
    ancestors = {a["level"]: a["ars"] for a in detail["ancestors"]}
    assert ancestors["kreis"] == kreis_ars
    assert ancestors["verband"] == verband_ars


def test_exact_name_ranks_first(client, register):
    items = client.get(URL, {"q": "erfurt", "level": "gemeinde"}).json()["items"]
    assert items[0]["ags"] == "16051000"


@pytest.mark.parametrize(
    ("q", "ags"),
    [
        ("Erfrut", "16051000"),
        ("Teistungn", "16061114"),
        ("Pösneck", "16075085"),
        ("Sömerda", "16068051"),
    ],
)
def test_misspelt_place_names_are_found(client, register, q, ags):
    items = client.get(URL, {"q": q, "level": "gemeinde"}).json()["items"]
    assert items[0]["ags"] == ags


def test_a_name_like_no_place_finds_nothing(client, register):
    assert client.get(URL, {"q": "Xqzvwyk"}).json() == {"items": [], "count": 0}


def test_detail_by_ags_and_padded_ars(client, register):
    assert client.get(f"{URL}/16061119").json()["name"] == "Uder"
    kreis = client.get(f"{URL}/160610000000").json()
    assert (kreis["level"], kreis["name"]) == ("kreis", "Eichsfeld")
    detail = client.get(f"{URL}/160615051119").json()
    assert detail["postcodes"] == ["37318"]
    assert "Birkenfelde" in detail["place_names"]


def test_unknown_region_is_a_problem_document(client, register):
    response = client.get(f"{URL}/99999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404


def test_invalid_filter_is_a_problem_document(client, register):
    response = client.get(URL, {"level": "dorf"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "level"


def test_list_is_paginated_and_query_bounded(client, register, django_assert_max_num_queries):
    # page, count, and whether anything contains the name (else: typo tolerance)
    with django_assert_max_num_queries(3):
        body = client.get(URL, {"q": "Neustadt", "limit": 5}).json()
    assert len(body["items"]) == 5
    assert body["count"] > 5


@pytest.mark.parametrize("url", [URL, "/api/v1/authorities"])
def test_control_characters_in_a_search_are_refused(client, register, url):
    response = client.get(url, {"q": "Erf\x00urt"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


def test_portal_search_ignores_control_characters(client, register):
    response = client.get("/orte/", {"q": "Erf\x00urt"})
    assert response.status_code == 200
    assert response.context["q"] == "Erfurt"
    assert response.context["page"][0].ags == "16051000"

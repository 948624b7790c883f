def test_lists_thuringian_authorities(client, register):
    body = client.get("/api/v1/authorities", {"limit": 1}).json()
    assert body["count"] == 206


def test_filters_by_kind_and_name(client, register):
    body = client.get("/api/v1/authorities", {"kind": "landratsamt", "q": "saale-orla"}).json()
    assert [item["name"] for item in body["items"]] == ["Landratsamt Saale-Orla-Kreis"]
    assert body["items"][0]["seat"] == "Schleiz"


def test_filters_by_region(client, register):
    body = client.get("/api/v1/authorities", {"region_ars": "160615001"}).json()
    assert sorted(item["name"] for item in body["items"]) == [
        "Landratsamt Eichsfeld",
        "Verwaltungsgemeinschaft Lindenberg/Eichsfeld",
    ]


def test_list_is_query_bounded(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        body = client.get("/api/v1/authorities", {"limit": 100}).json()
    assert len(body["items"]) == 100

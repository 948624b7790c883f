def test_service_search(client, register):
    body = client.get("/api/v1/services", {"q": "wohnsitz anmeldung"}).json()
    assert body["items"][0]["leika_key"] == "99115005104000"
    assert body["items"][0]["lebenslage"]


def test_service_filter_by_themenfeld(client, register):
    body = client.get("/api/v1/services", {"themenfeld": "Bauen & Wohnen", "limit": 1}).json()
    assert body["count"] > 0
    assert body["items"][0]["themenfeld"] == "Bauen & Wohnen"

def test_unknown_page_is_german_and_in_the_layout(client, db):
    response = client.get("/gibt-es-nicht/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="de"' in html
    assert 'href="#inhalt"' in html
    assert "Seite nicht gefunden" in html


def test_htmx_search_returns_the_results_and_the_announcement(client, register):
    response = client.get("/orte/", {"q": "Uder"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert html.lstrip().startswith('<section id="ergebnisse"')
    assert "<html" not in html
    assert 'id="suchstatus" class="kern-sr-only" role="status" hx-swap-oob="true">' in html
    assert response.context["page"][0].ags == "16061119"


def test_region_page_shows_hierarchy_and_authorities(client, register):
    response = client.get("/orte/160755050073/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Saale-Orla-Kreis (Landkreis)" in html
    assert "Neustadt an der Orla, Stadt (erfüllende Gemeinde)" in html
    assert "Stadtverwaltung Neustadt an der Orla" in html
    assert "Landratsamt Saale-Orla-Kreis" in html
    assert html.count("nicht hinterlegt") == 8


def test_region_page_of_an_unknown_key(client, register):
    assert client.get("/orte/999999999999/").status_code == 404


def test_every_page_names_the_sources_of_the_shipped_data(client, db):
    html = client.get("/").content.decode()
    assert "© Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV100AD" in html
    assert "Enthält Daten von © OpenStreetMap-Mitwirkende (ODbL 1.0)" in html
    assert "LeiKa / OZG-Umsetzungskatalog, via OZG-Datenbank NRW (KDN)" in html


def test_a_search_that_finds_nothing_says_so(client, register):
    services = client.get("/leistungen/", {"q": "Quantenchromodynamik"}).content.decode()
    assert "Keine Leistung gefunden" in services
    assert "Dazu haben wir nichts gefunden." in services
    live = client.get("/leistungen/", {"q": "Quantenchromodynamik"}, HTTP_HX_REQUEST="true")
    assert "0 Leistungen gefunden</p>" in live.content.decode()
    places = client.get("/orte/", {"q": "Quantenchromodynamik"}).content.decode()
    assert "Keine Gemeinde gefunden" in places

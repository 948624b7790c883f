import pytest

from openamt.catalogue.models import Service, ServiceText
from openamt.organisations.models import Authority


def test_service_search_page(client, register):
    response = client.get("/leistungen/", {"q": "Auto zulassen"})
    assert response.status_code == 200
    assert response.context["page"][0].leika_key == "99036010007000"


def test_browse_by_lebenslage(client, register):
    response = client.get("/leistungen/")
    names = [name for name, _count in response.context["lebenslagen"]]
    assert "Wohnen & Umzug" in names
    response = client.get("/leistungen/", {"lebenslage": "Wohnen & Umzug"})
    assert all(s.ozg_service.lebenslage == "Wohnen & Umzug" for s in response.context["page"])


def test_deep_link_names_the_responsible_authority(client, register):
    response = client.get("/leistungen/99115005104000/", {"ort": "16051000"})
    html = response.content.decode()
    assert response.context["answer"].finding.authority.name == "Stadtverwaltung Erfurt"
    assert "Stadtverwaltung Erfurt" in html
    assert "Zuständig für Erfurt, Stadt" in html


def test_ambiguous_postcode_asks_which_municipality(client, register):
    response = client.get("/leistungen/99115005104000/", {"ort": "07381"})
    html = response.content.decode()
    assert "Welche Gemeinde meinen Sie?" in html
    choices = response.context["answer"].choices
    assert len(choices) > 1
    assert f'href="?ort={choices[0].ags}"' in html


def test_unknown_place_is_explained_next_to_the_field(client, register):
    response = client.get("/leistungen/99115005104000/", {"ort": "Atlantis"})
    html = response.content.decode()
    assert 'id="ort-error"' in html
    assert "Zu „Atlantis“ kennen wir keinen Ort in Deutschland." in html


def test_authority_text_specialises_the_land_text(client, register):
    service = Service.objects.get(leika_key="99115005104000")
    erfurt = Authority.objects.get(name="Stadtverwaltung Erfurt")
    ServiceText.objects.create(service=service, description="Landestext", fees="kostenfrei")
    ServiceText.objects.create(service=service, authority=erfurt, fees="Erfurt: gebührenfrei")
    texts = client.get("/leistungen/99115005104000/", {"ort": "99084"}).context["texts"]
    assert texts["description"] == "Landestext"
    assert texts["fees"] == "Erfurt: gebührenfrei"
    texts = client.get("/leistungen/99115005104000/", {"ort": "Teistungen"}).context["texts"]
    assert texts["fees"] == "kostenfrei"


def test_online_service_button(client, register, erfurt, erfurt_admin):
    from openamt.responsibility.services import responsibility_create

    service = Service.objects.get(leika_key="99115005104000")
    responsibility_create(
        actor=erfurt_admin,
        authority=erfurt,
        data={
            "service": service,
            "area_ars": "16051",
            "online_service_url": "https://example.org/ummelden",
        },
    )
    html = client.get("/leistungen/99115005104000/", {"ort": "99084"}).content.decode()
    assert 'href="https://example.org/ummelden"' in html
    assert "Online beantragen" in html


def test_page_links_keep_the_filter(client, register):
    html = client.get("/leistungen/", {"lebenslage": "Wohnen & Umzug"}).content.decode()
    assert 'href="/leistungen/?lebenslage=Wohnen+%26+Umzug&amp;seite=2"' in html


def test_a_kreis_key_is_a_place_too(client, register):
    body = client.get(
        "/api/v1/responsibilities/find", {"service": "99036010007000", "place": "16075"}
    ).json()
    assert body["responsible"]["authority"]["name"] == "Landratsamt Saale-Orla-Kreis"


@pytest.fixture
def shipped_forms(register):
    from openamt.forms.services import forms_load
    from openamt.forms.tests.test_shipped import DATA_DIR

    forms_load(directory=DATA_DIR)


def _main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def test_service_page_tells_what_it_takes_before_the_start(client, shipped_forms):
    html = _main(client.get("/leistungen/99102013000000/").content.decode())
    # Citizens first: what it is about, what they need, then where to apply.
    order = [
        "Worum es geht",
        "Was Sie brauchen",
        "Wer ist für Sie zuständig?",
        "Rechtsgrundlagen",
        "Für Fachleute: Katalogdaten der Leistung",
    ]
    positions = [html.index(heading) for heading in order]
    assert positions == sorted(positions)
    assert "Wer in Thüringen einen Hund hält, zahlt in den meisten Gemeinden Hundesteuer." in html
    assert html.count('<p class="kern-preline">Online-Antrag</p>') == 2  # An- and Abmeldung
    assert "Servicekonto mit E-Mail-Adresse und Passwort (Vertrauensniveau „niedrig“)" in html
    assert "Erlaubnis zum Halten des gefährlichen Hundes (nur wenn es auf Sie zutrifft" in html
    assert "Den Steuerbescheid erhalten Sie in der Regel innerhalb einiger Wochen." in html
    assert "<li>§ 5 Thüringer Kommunalabgabengesetz (ThürKAG)</li>" in html
    # Catalogue data only in the section for professionals.
    details = html[html.index('<details class="professionals">') :]
    assert html.index("99102013000000") > html.index('<details class="professionals">')
    assert "Typisierung 4" in details
    assert "Regelung und Vollzug durch das Land" in details


def test_service_page_shows_level_fees_and_law_links(client, shipped_forms):
    html = _main(client.get("/leistungen/99050012104000/").content.decode())
    assert "(Vertrauensniveau „substanziell“)" in html
    assert (
        "Gebühr für die Gewerbeanmeldung: 30,00 € oder 45,00 €, je nach Ihren Angaben "
        "(Beispielwert; die zuständige Stelle setzt den Betrag fest)" in html
    )
    assert (
        '<a class="kern-link" href="https://www.gesetze-im-internet.de/gewo/__14.html">'
        "§ 14 Gewerbeordnung (GewO)</a>" in html
    )
    wahl = _main(client.get("/leistungen/99128009012000/").content.decode())
    assert "Kein Servicekonto nötig" in wahl
    assert "Schriftliche Vollmacht (nur wenn es auf Sie zutrifft oder freiwillig)" in wahl


def test_with_a_place_the_page_names_the_authority_and_starts_the_form(client, shipped_forms):
    response = client.get("/leistungen/99128009012000/", {"ort": "99084"})
    html = response.content.decode()
    assert response.context["answer"].finding.authority.name == "Stadtverwaltung Erfurt"
    assert 'href="/antrag/wahlschein/?ort=16051000"' in html
    assert "Kein Servicekonto nötig" in html


def test_a_service_without_texts_says_who_informs(client, register):
    html = _main(client.get("/leistungen/99036010007000/").content.decode())
    assert "Für diese Leistung ist noch keine Beschreibung hinterlegt." in html
    assert (
        "Welche Unterlagen Sie brauchen und was es kostet, sagt Ihnen die zuständige Stelle."
        in html
    )

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
    texts = dict(client.get("/leistungen/99115005104000/", {"ort": "99084"}).context["texts"])
    assert texts["Beschreibung"] == "Landestext"
    assert texts["Gebühren"] == "Erfurt: gebührenfrei"
    texts = dict(client.get("/leistungen/99115005104000/", {"ort": "Teistungen"}).context["texts"])
    assert texts["Gebühren"] == "kostenfrei"


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

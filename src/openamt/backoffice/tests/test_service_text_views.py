from django.urls import reverse

from openamt.catalogue.models import ServiceTerm, ServiceText
from openamt.catalogue.selectors import service_search
from openamt.core.models import AuditEntry

WOHNSITZ = "99115005104000"
LAND_URL = reverse("backoffice:service-edit", kwargs={"leika_key": WOHNSITZ})
EMPTY = {
    f"text-{name}": ""
    for name in (
        "description",
        "required_documents",
        "fees",
        "deadlines",
        "processing_time",
        "legal_basis",
        "forms",
    )
}


def _service_page(client, place):
    return client.get(f"/leistungen/{WOHNSITZ}/", {"ort": place}).content.decode()


def test_land_admin_writes_the_land_text_citizens_read(client_as, land_admin, client):
    staff = client_as(land_admin)
    listing = staff.get(reverse("backoffice:service-list"), {"q": "Wohnsitz An"}).content.decode()
    assert f'href="{LAND_URL}"' in listing
    data = {
        **EMPTY,
        "text-fees": "gebührenfrei",
        "text-required_documents": "Personalausweis\nWohnungsgeberbestätigung",
    }
    assert staff.post(LAND_URL, data).status_code == 302

    text = ServiceText.objects.get(service__leika_key=WOHNSITZ, authority__isnull=True)
    assert (text.fees, text.required_documents) == (
        "gebührenfrei",
        "Personalausweis\nWohnungsgeberbestätigung",
    )
    audit = AuditEntry.objects.get(action="service_text.update")
    assert audit.changes["fees"] == ["", "gebührenfrei"]
    staff.logout()
    assert "Personalausweis<br>Wohnungsgeberbestätigung" in _service_page(client, "99084")


def test_land_admin_adds_and_removes_a_search_term(client_as, land_admin):
    staff = client_as(land_admin)
    assert WOHNSITZ not in [s.leika_key for s in service_search(q="Ankommensmeldung")[:3]]
    assert (
        staff.post(
            LAND_URL, {"begriff-term": "Ankommensmeldung", "begriff-kind": "synonym"}
        ).status_code
        == 302
    )
    assert service_search(q="Ankommensmeldung")[0].leika_key == WOHNSITZ
    term = ServiceTerm.objects.get(term="Ankommensmeldung")
    remove = reverse(
        "backoffice:service-term-delete", kwargs={"leika_key": WOHNSITZ, "term_pk": term.pk}
    )
    assert staff.post(remove).status_code == 302
    assert not ServiceTerm.objects.filter(term="Ankommensmeldung").exists()
    assert WOHNSITZ not in [s.leika_key for s in service_search(q="Ankommensmeldung")[:3]]
    assert AuditEntry.objects.filter(action="service_term.remove").count() == 1


def test_an_authority_specialises_the_text_for_its_citizens_only(
    client_as, land_admin, erfurt_admin, erfurt, client
):
    client_as(land_admin).post(LAND_URL, {**EMPTY, "text-fees": "gebührenfrei"})
    staff = client_as(erfurt_admin)
    chooser = reverse("backoffice:specialisation-list", kwargs={"pk": erfurt.pk})
    url = reverse("backoffice:specialisation-edit", kwargs={"pk": erfurt.pk, "leika_key": WOHNSITZ})
    assert staff.get(chooser, {"leika_key": WOHNSITZ})["Location"] == url
    assert (
        staff.post(url, {**EMPTY, "text-fees": "In Erfurt: 0 Euro, Termin nötig"}).status_code
        == 302
    )
    staff.logout()
    assert "In Erfurt: 0 Euro, Termin nötig" in _service_page(client, "99084")
    teistungen = _service_page(client, "Teistungen")
    assert "gebührenfrei" in teistungen
    assert "In Erfurt" not in teistungen

    staff = client_as(erfurt_admin)
    assert staff.post(url, EMPTY).status_code == 302
    assert not ServiceText.objects.filter(authority=erfurt).exists()
    assert (
        AuditEntry.objects.filter(action="service_text.remove", authority_id=erfurt.pk).count() == 1
    )


def test_a_too_long_text_is_refused_next_to_the_field(client_as, erfurt_admin, erfurt):
    url = reverse("backoffice:specialisation-edit", kwargs={"pk": erfurt.pk, "leika_key": WOHNSITZ})
    response = client_as(erfurt_admin).post(url, {**EMPTY, "text-fees": "x" * 10_001})
    assert response.status_code == 200
    assert response.context["form"].errors["fees"] == ["Höchstens 10.000 Zeichen."]
    assert 'href="#id_text-fees"' in response.content.decode()
    assert not ServiceText.objects.filter(service__leika_key=WOHNSITZ).exists()


def test_who_may_read_and_who_may_write_texts(client_as, erfurt_caseworker, erfurt, operator):
    url = reverse("backoffice:specialisation-edit", kwargs={"pk": erfurt.pk, "leika_key": WOHNSITZ})
    caseworker = client_as(erfurt_caseworker)
    assert caseworker.get(url).status_code == 200
    assert caseworker.post(url, {**EMPTY, "text-fees": "x"}).status_code == 404
    assert caseworker.get(LAND_URL).status_code == 404
    assert caseworker.get(reverse("backoffice:service-list")).status_code == 404
    betrieb = client_as(operator)
    page = betrieb.get(LAND_URL)
    assert page.status_code == 200
    assert "Texte speichern" not in page.content.decode()
    assert betrieb.post(LAND_URL, {**EMPTY, "text-fees": "x"}).status_code == 404
    assert not ServiceText.objects.filter(service__leika_key=WOHNSITZ).exists()

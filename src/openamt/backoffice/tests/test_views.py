import pytest
from django.urls import reverse

from openamt.core.models import AuditEntry
from openamt.organisations.models import Authority
from openamt.testing.isolation import assert_isolated, staff_urls

EDIT_DATA = {
    "street": "Fischmarkt 1",
    "postcode": "99084",
    "city": "Erfurt",
    "phone": "",
    "email": "",
    "website": "",
    "leitweg_id": "",
    "iban": "",
    "bic": "",
    "account_holder": "",
    "zeiten-TOTAL_FORMS": "2",
    "zeiten-INITIAL_FORMS": "0",
    "zeiten-MIN_NUM_FORMS": "0",
    "zeiten-MAX_NUM_FORMS": "21",
    "zeiten-0-day": "0",
    "zeiten-0-opens": "08:00",
    "zeiten-0-closes": "12:00",
    "zeiten-0-note": "",
    "zeiten-1-day": "0",
    "zeiten-1-opens": "",
    "zeiten-1-closes": "",
    "zeiten-1-note": "",
    # would create a service text (Land or own) if a page let the wrong staff write
    "text-description": "Sollte nie gespeichert werden",
    # would replace a legal page of the portal
    "body": "Sollte nie gespeichert werden",
    # would add a synonym of the search if a page let the wrong staff write
    "synonym-word": "Grillfest",
    "synonym-meaning": "Straßenfest",
}


def test_staff_urls_require_login(client, erfurt):
    public = {reverse("backoffice:login"), reverse("backoffice:logout")}
    urls = [url for url, _ in staff_urls(erfurt) if url not in public]
    assert len(urls) == 64
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/verwaltung/anmelden/")


def test_staff_of_one_authority_cannot_reach_another(
    client_as, lindenberg_admin, erfurt_caseworker, erfurt, lindenberg
):
    from openamt.cases.models import Case, Decision, PostBatch
    from openamt.catalogue.models import SearchLogEntry, SearchSynonym, ServiceTerm
    from openamt.mailbox.models import Message, ReplyAttachment

    term = ServiceTerm.objects.order_by("pk").first()
    synonym = SearchSynonym.objects.order_by("pk").first()
    checked = assert_isolated(client_as(lindenberg_admin), foreign=erfurt, post_data=EDIT_DATA)
    message = Message.objects.get(sender=erfurt)
    attachment = ReplyAttachment.objects.get(reply__message=message)
    log = SearchLogEntry.objects.get()
    case = Case.objects.get(authority=erfurt)
    document = case.documents.get()
    decision = Decision.objects.get(case=case)
    batch = PostBatch.objects.get(authority=erfurt)
    assert checked == [
        "/verwaltung/",
        "/verwaltung/anmelden/",
        "/verwaltung/abmelden/",
        "/verwaltung/regeln/",
        "/verwaltung/zugaenge/",
        "/verwaltung/rechtstexte/",
        "/verwaltung/rechtstexte/impressum/",
        "/verwaltung/leistungen/",
        f"/verwaltung/leistungen/{term.service.leika_key}/",
        f"/verwaltung/leistungen/{term.service.leika_key}/begriffe/{term.pk}/loeschen/",
        "/verwaltung/suche/synonyme/",
        f"/verwaltung/suche/synonyme/{synonym.pk}/loeschen/",
        "/verwaltung/suche/anfragen/",
        f"/verwaltung/suche/anfragen/{log.pk}/",
        f"/verwaltung/suche/anfragen/{log.pk}/erledigt/",
        "/verwaltung/formulare/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/entwurf/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/entwurf/schritt/0/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/entwurf/feld/0.0/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/entwurf/veroeffentlichen/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/entwurf/import/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/vergleich/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/versionen/1/vorschau/",
        f"/verwaltung/formulare/formular-{erfurt.pk}/versionen/1/export.json",
        f"/verwaltung/behoerden/{erfurt.pk}/",
        f"/verwaltung/behoerden/{erfurt.pk}/bearbeiten/",
        f"/verwaltung/behoerden/{erfurt.pk}/zustaendigkeiten/",
        f"/verwaltung/behoerden/{erfurt.pk}/zustaendigkeiten/{erfurt.responsibilities.get().pk}/loeschen/",
        f"/verwaltung/behoerden/{erfurt.pk}/leistungstexte/",
        f"/verwaltung/behoerden/{erfurt.pk}/leistungstexte/{term.service.leika_key}/",
        f"/verwaltung/behoerden/{erfurt.pk}/eingang/",
        f"/verwaltung/behoerden/{erfurt.pk}/zustellpunkte/",
        f"/verwaltung/behoerden/{erfurt.pk}/teams/",
        f"/verwaltung/behoerden/{erfurt.pk}/aktenplan/",
        f"/verwaltung/behoerden/{erfurt.pk}/bescheidvorlagen/",
        f"/verwaltung/behoerden/{erfurt.pk}/fristen/",
        f"/verwaltung/behoerden/{erfurt.pk}/postausgang/",
        f"/verwaltung/behoerden/{erfurt.pk}/postausgang/{message.public_id}/",
        f"/verwaltung/behoerden/{erfurt.pk}/postausgang/{message.public_id}/anhaenge/{attachment.pk}/",
        f"/verwaltung/vorgaenge/{case.public_id}/nachrichten/",
        f"/verwaltung/vorgaenge/{case.public_id}/nachrichten/senden/",
        f"/verwaltung/vorgaenge/{case.public_id}/nachforderungen/",
        f"/verwaltung/vorgaenge/{case.public_id}/nachrichten/anhaenge/{attachment.pk}/",
        f"/verwaltung/vorgaenge/{case.public_id}/nachrichten/antwortanhaenge/{attachment.pk}/",
        f"/verwaltung/vorgaenge/{case.public_id}/bescheide/",
        f"/verwaltung/vorgaenge/{case.public_id}/bescheide/{decision.public_id}/",
        f"/verwaltung/vorgaenge/{case.public_id}/bescheide/{decision.public_id}/schritt/",
        f"/verwaltung/vorgaenge/{case.public_id}/bescheide/{decision.public_id}/vorschau.pdf",
        f"/verwaltung/vorgaenge/{case.public_id}/bescheide/{decision.public_id}/bescheid.pdf",
        f"/verwaltung/behoerden/{erfurt.pk}/briefversand/",
        f"/verwaltung/behoerden/{erfurt.pk}/briefversand/{batch.pk}/",
        f"/verwaltung/vorgaenge/{case.public_id}/",
        f"/verwaltung/vorgaenge/{case.public_id}/mir-zuweisen/",
        f"/verwaltung/vorgaenge/{case.public_id}/zuweisen/",
        f"/verwaltung/vorgaenge/{case.public_id}/status/",
        f"/verwaltung/vorgaenge/{case.public_id}/merkmale/",
        f"/verwaltung/vorgaenge/{case.public_id}/vermerk/",
        f"/verwaltung/vorgaenge/{case.public_id}/dokumente/",
        f"/verwaltung/vorgaenge/{case.public_id}/dokumente/{document.public_id}/",
        f"/verwaltung/vorgaenge/{case.public_id}/dokumente/{document.public_id}/herunterladen/",
        f"/verwaltung/behoerden/{erfurt.pk}/vorgaenge/neu/",
        f"/verwaltung/behoerden/{erfurt.pk}/statistik/",
        f"/verwaltung/behoerden/{erfurt.pk}/statistik/csv/",
        "/verwaltung/statistik/",
        "/verwaltung/statistik/csv/",
        f"/admin/organisations/authority/{erfurt.pk}/change/",
        f"/admin/organisations/authority/{erfurt.pk}/history/",
    ]
    assert_isolated(client_as(erfurt_caseworker), foreign=lindenberg, post_data=EDIT_DATA)


def test_home_lists_only_own_authorities(client_as, erfurt_caseworker):
    response = client_as(erfurt_caseworker).get(reverse("backoffice:home"))
    assert [a.name for a in response.context["page"]] == ["Stadtverwaltung Erfurt"]


def test_caseworker_sees_but_cannot_edit(client_as, erfurt_caseworker, erfurt):
    client = client_as(erfurt_caseworker)
    assert (
        client.get(reverse("backoffice:authority-detail", kwargs={"pk": erfurt.pk})).status_code
        == 200
    )
    response = client.post(
        reverse("backoffice:authority-edit", kwargs={"pk": erfurt.pk}), EDIT_DATA
    )
    assert response.status_code == 404
    assert Authority.objects.get(pk=erfurt.pk).street == ""


def test_the_authority_page_links_case_work_for_its_case_staff_only(
    client_as, erfurt_caseworker, land_admin, erfurt
):
    page = reverse("backoffice:authority-detail", kwargs={"pk": erfurt.pk})
    case_work = {
        name: reverse(f"backoffice:{name}", kwargs={"pk": erfurt.pk})
        for name in ("inbox", "post-batches", "authority-statistics")
    }
    html = client_as(erfurt_caseworker).get(page).content.decode()
    assert {name: f'href="{url}"' in html for name, url in case_work.items()} == dict.fromkeys(
        case_work, True
    )
    html = client_as(land_admin).get(page).content.decode()
    assert {name: f'href="{url}"' in html for name, url in case_work.items()} == dict.fromkeys(
        case_work, False
    )


def test_admin_edits_contact_and_opening_hours(client_as, erfurt_admin, erfurt):
    response = client_as(erfurt_admin).post(
        reverse("backoffice:authority-edit", kwargs={"pk": erfurt.pk}), EDIT_DATA
    )
    assert response.status_code == 302
    erfurt.refresh_from_db()
    assert erfurt.street == "Fischmarkt 1"
    assert erfurt.opening_hours == [{"day": 0, "opens": "08:00", "closes": "12:00", "note": ""}]
    assert (
        AuditEntry.objects.filter(action="authority.update", object_id=str(erfurt.pk)).count() == 1
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("leitweg_id", "991-03730-18", "Die Prüfziffer der Leitweg-ID stimmt nicht."),
        ("iban", "DE88370400440532013000", "Die Prüfziffer der IBAN stimmt nicht."),
        ("postcode", "9908", "Die Postleitzahl hat fünf Ziffern."),
        ("email", "keine-adresse", "Bitte geben Sie eine gültige E-Mail-Adresse ein."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client_as, erfurt_admin, erfurt, field, value, message
):
    audit_before = AuditEntry.objects.count()
    response = client_as(erfurt_admin).post(
        reverse("backoffice:authority-edit", kwargs={"pk": erfurt.pk}), {**EDIT_DATA, field: value}
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert f'href="#id_{field}"' in html
    erfurt.refresh_from_db()
    assert erfurt.street == ""
    assert AuditEntry.objects.count() == audit_before


def test_login_and_throttling(client, erfurt_admin):
    url = reverse("backoffice:login")
    for _ in range(5):
        response = client.post(url, {"username": "erfurt.admin", "password": "falsch"})
    assert response.status_code in (200, 429)
    response = client.post(
        url, {"username": "erfurt.admin", "password": "ein-langes-test-passwort"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_login_succeeds_with_the_right_password(client, erfurt_admin):
    response = client.post(
        reverse("backoffice:login"),
        {"username": "erfurt.admin", "password": "ein-langes-test-passwort"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(erfurt_admin.pk)


def test_opening_hours_errors_are_linked_from_the_summary(client_as, erfurt_admin, erfurt):
    data = {**EDIT_DATA, "zeiten-0-day": "", "zeiten-1-day": "2", "zeiten-1-opens": "14:00"}
    response = client_as(erfurt_admin).post(
        reverse("backoffice:authority-edit", kwargs={"pk": erfurt.pk}), data
    )
    assert response.status_code == 200
    assert response.context["extra_errors"] == [
        ("id_zeiten-0-day", "Zeitraum 1, Wochentag: Bitte einen Wochentag wählen."),
        (
            "id_zeiten-1-day",
            "Zeitraum 2: Bitte Beginn und Ende angeben oder beide Felder leer lassen.",
        ),
    ]
    assert 'href="#id_zeiten-0-day"' in response.content.decode()
    erfurt.refresh_from_db()
    assert erfurt.opening_hours == []


def test_authority_admin_maintains_own_responsibility_entries(client_as, erfurt_admin, erfurt):
    from openamt.responsibility.models import Responsibility

    client = client_as(erfurt_admin)
    url = reverse("backoffice:responsibility-list", kwargs={"pk": erfurt.pk})
    data = {
        "leika_key": "99115005104000",
        "area_ars": "16051",
        "role": "zustaendig",
        "online_service_url": "https://example.org/x",
        "valid_from": "",
        "valid_until": "",
    }
    assert client.post(url, data).status_code == 302
    entry = Responsibility.objects.get(authority=erfurt)
    assert (entry.service.leika_key, entry.area_ars) == ("99115005104000", "16051")
    assert AuditEntry.objects.filter(action="responsibility.create").count() == 1
    response = client.post(url, {**data, "leika_key": "99999999999999"})
    assert response.context["form"].errors["leika_key"] == [
        "Diesen Leistungsschlüssel gibt es im Katalog nicht."
    ]
    assert Responsibility.objects.filter(authority=erfurt).count() == 1
    remove = reverse(
        "backoffice:responsibility-remove", kwargs={"pk": erfurt.pk, "entry_pk": entry.pk}
    )
    assert client.post(remove).status_code == 302
    assert not Responsibility.objects.filter(authority=erfurt).exists()
    assert AuditEntry.objects.filter(action="responsibility.delete").count() == 1


def test_caseworker_sees_entries_but_cannot_add(client_as, erfurt_caseworker, erfurt):
    from openamt.responsibility.models import Responsibility

    client = client_as(erfurt_caseworker)
    url = reverse("backoffice:responsibility-list", kwargs={"pk": erfurt.pk})
    assert client.get(url).status_code == 200
    data = {"leika_key": "99115005104000", "area_ars": "16051", "role": "zustaendig"}
    assert client.post(url, data).status_code == 404
    assert not Responsibility.objects.exists()


def test_land_staff_search_the_authority_list(client_as, land_admin, django_assert_max_num_queries):
    client = client_as(land_admin)
    response = client.get(reverse("backoffice:home"))
    assert response.context["page"].paginator.count == Authority.objects.count() > 200
    with django_assert_max_num_queries(8):
        response = client.get(reverse("backoffice:home"), {"q": "saale landratsamt"})
    names = [a.name for a in response.context["page"]]
    assert names == ["Landratsamt Saale-Holzland-Kreis", "Landratsamt Saale-Orla-Kreis"]
    html = response.content.decode()
    assert 'value="saale landratsamt"' in html
    accents = client.get(reverse("backoffice:home"), {"q": "possneck stadt"})
    assert [a.name for a in accents.context["page"]] == ["Stadtverwaltung Pößneck"]
    nothing = client.get(reverse("backoffice:home"), {"q": "Atlantis"})
    assert nothing.context["page"].paginator.count == 0
    assert "Keine Ihrer Behörden passt zu „Atlantis“." in nothing.content.decode()


def test_authority_search_stays_within_own_authorities(client_as, erfurt_caseworker):
    response = client_as(erfurt_caseworker).get(reverse("backoffice:home"), {"q": "Lindenberg"})
    assert response.context["page"].paginator.count == 0


def test_the_staff_login_refuses_a_servicekonto(client, erfurt):
    from openamt.accounts.models import AccountSession
    from openamt.testing.accounts import HOLDER_PASSWORD, make_holder

    make_holder("buergerin@example.org")
    response = client.post(
        reverse("backoffice:login"),
        {"username": "buergerin@example.org", "password": HOLDER_PASSWORD},
    )
    assert response.status_code == 200
    assert (
        "Mit einem Servicekonto melden Sie sich unter „Servicekonto“ an, nicht hier."
        in response.content.decode()
    )
    assert "_auth_user_id" not in client.session
    assert not AccountSession.objects.exists()


def test_a_servicekonto_session_reaches_no_staff_page(erfurt):
    from openamt.testing.accounts import holder_client, make_holder

    citizen = holder_client(make_holder("buergerin@example.org"))
    public = {reverse("backoffice:login"), reverse("backoffice:logout")}
    for url, _ in staff_urls(erfurt):
        if url in public:
            continue
        response = citizen.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/verwaltung/anmelden/"), url

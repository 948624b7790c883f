from datetime import date

import pytest

from openamt.catalogue.models import Service
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.core.models import AuditEntry
from openamt.organisations.models import Authority
from openamt.regions.models import Region
from openamt.responsibility.models import Responsibility, ResponsibilityRule
from openamt.responsibility.selectors import responsibility_answer, responsibility_find
from openamt.responsibility.services import responsibility_create, rules_load

WOHNSITZ = "99115005104000"
ZULASSUNG = "99036010007000"


def _answer(service, place):
    return responsibility_answer(service_query=service, place_query=place)


def test_the_rule_table_is_seeded_with_reasons(register):
    assert ResponsibilityRule.objects.count() >= 40
    assert not ResponsibilityRule.objects.filter(reason="").exists()
    assert rules_load() == {"unchanged": ResponsibilityRule.objects.count()}


def test_wohnsitz_in_erfurt_is_the_stadtverwaltung(register):
    answer = _answer(WOHNSITZ, "99084")
    assert answer.finding.authority.name == "Stadtverwaltung Erfurt"
    assert answer.place.ags == "16051000"
    assert answer.finding.source == "rule"


def test_vehicle_registration_in_a_saale_orla_village_is_the_landratsamt(register):
    answer = _answer(ZULASSUNG, "Moxa")
    assert answer.finding.authority.name == "Landratsamt Saale-Orla-Kreis"


def test_wohnsitz_in_uder_is_the_erfuellende_gemeinde(register):
    choice = _answer(WOHNSITZ, "37318")
    assert choice.finding is None
    assert "16061119" in [place.ags for place in choice.choices]
    answer = _answer(WOHNSITZ, "16061119")
    assert answer.finding.authority.name == "Gemeindeverwaltung Uder"


def test_wohnsitz_in_a_member_of_a_vg_is_the_vg(register):
    answer = _answer(WOHNSITZ, "Teistungen")
    assert answer.finding.authority.name == "Verwaltungsgemeinschaft Lindenberg/Eichsfeld"


def test_a_plz_within_one_kreis_needs_no_choice_for_a_kreis_service(register):
    answer = _answer(ZULASSUNG, "07381")
    assert answer.choices == []
    assert answer.place is None
    assert answer.finding.authority.name == "Landratsamt Saale-Orla-Kreis"
    wohnsitz = _answer(WOHNSITZ, "07381")
    assert wohnsitz.finding is None
    assert len(wohnsitz.choices) > 1
    assert {place.ars[:5] for place in wohnsitz.choices} == {"16075"}


def test_variants_of_a_service_inherit_its_rule(register):
    answer = _answer("99115005104001", "Erfurt")  # Anmeldung als Hauptwohnsitz
    assert answer.finding.authority.name == "Stadtverwaltung Erfurt"


def test_an_explicit_entry_beats_the_rule(register, erfurt, land_admin):
    service = Service.objects.get(leika_key=ZULASSUNG)
    landratsamt = Authority.objects.get(name="Landratsamt Saale-Orla-Kreis")
    moxa = Region.objects.active().get(name="Moxa")
    responsibility_create(
        actor=land_admin,
        authority=erfurt,
        data={
            "service": service,
            "area_ars": moxa.ars,
            "online_service_url": "https://example.org/zulassung",
        },
    )
    finding = responsibility_find(service=service, region=moxa)
    assert (finding.authority, finding.source) == (erfurt, "entry")
    assert finding.online_service_url == "https://example.org/zulassung"
    neighbour = Region.objects.active().get(name="Nimritz")
    assert responsibility_find(service=service, region=neighbour).authority == landratsamt
    # Expired entries no longer count.
    Responsibility.objects.update(valid_until=date(2020, 1, 1))
    assert responsibility_find(service=service, region=moxa).authority == landratsamt


def test_staff_cannot_create_entries_for_another_authority(register, erfurt, lindenberg_admin):
    service = Service.objects.get(leika_key=WOHNSITZ)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        responsibility_create(
            actor=lindenberg_admin, authority=erfurt, data={"service": service, "area_ars": "16051"}
        )
    assert not Responsibility.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_find_api(client, register):
    body = client.get(
        "/api/v1/responsibilities/find", {"service": ZULASSUNG, "place": "07381"}
    ).json()
    assert body["responsible"]["authority"]["name"] == "Landratsamt Saale-Orla-Kreis"
    assert body["choices"] == []
    body = client.get(
        "/api/v1/responsibilities/find", {"service": WOHNSITZ, "place": "07381"}
    ).json()
    assert body["responsible"] is None
    assert len(body["choices"]) > 1


def test_find_api_unknown_place_is_a_problem(client, register):
    response = client.get(
        "/api/v1/responsibilities/find", {"service": WOHNSITZ, "place": "Atlantis"}
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_find_api_is_query_bounded(client, register, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/api/v1/responsibilities/find", {"service": WOHNSITZ, "place": "99084"})


def test_rules_are_edited_in_the_admin_with_an_audit_entry(client, operator, register):
    from django.urls import reverse

    rule = ResponsibilityRule.objects.get(service__leika_key=ZULASSUNG)
    client.force_login(operator)
    url = reverse("admin:responsibility_responsibilityrule_change", args=[rule.pk])
    response = client.post(
        url, {"service": rule.service_id, "level": "gemeinde", "authority": "", "reason": "Probe"}
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.level, rule.reason) == ("gemeinde", "Probe")
    entry = AuditEntry.objects.filter(action="responsibilityrule.admin_change").get()
    assert entry.changes == {"level": "gemeinde", "reason": "Probe"}


def test_find_answers_are_cached_for_the_configured_time(
    client, register, settings, erfurt, land_admin
):
    from django.core.cache import cache

    settings.OPENAMT_ANSWER_CACHE_SECONDS = 60
    cache.clear()
    params = {"service": ZULASSUNG, "place": "Moxa"}
    first = client.get("/api/v1/responsibilities/find", params).json()
    service = Service.objects.get(leika_key=ZULASSUNG)
    moxa = Region.objects.active().get(name="Moxa")
    responsibility_create(
        actor=land_admin, authority=erfurt, data={"service": service, "area_ars": moxa.ars}
    )
    assert (
        client.get("/api/v1/responsibilities/find", params).json() == first
    )  # within the cache time
    cache.clear()
    assert (
        client.get("/api/v1/responsibilities/find", params).json()["responsible"]["authority"][
            "name"
        ]
        == "Stadtverwaltung Erfurt"
    )


def test_the_intake_asks_the_finder_at_most_once_per_cache_time(
    register, settings, erfurt, land_admin, django_assert_num_queries
):
    from django.core.cache import cache

    from openamt.responsibility.selectors import responsibility_find_recent

    settings.OPENAMT_ANSWER_CACHE_SECONDS = 60
    cache.clear()
    service = Service.objects.get(leika_key=ZULASSUNG)
    moxa = Region.objects.active().get(name="Moxa")
    first = responsibility_find_recent(service=service, region=moxa)
    responsibility_create(
        actor=land_admin, authority=erfurt, data={"service": service, "area_ars": moxa.ars}
    )
    with django_assert_num_queries(0):
        assert responsibility_find_recent(service=service, region=moxa) == first
    cache.clear()
    assert responsibility_find_recent(service=service, region=moxa).authority == erfurt
    settings.OPENAMT_ANSWER_CACHE_SECONDS = 0  # tests elsewhere see every change at once
    cache.clear()


def test_authority_staff_cannot_claim_areas_outside_their_own(register, erfurt, erfurt_admin):
    service = Service.objects.get(leika_key=WOHNSITZ)
    for area in ("16", "160615051119"):  # all of Thuringia; Uder
        with pytest.raises(InvalidInput, match="Zuständigkeitsgebiet"):
            responsibility_create(
                actor=erfurt_admin, authority=erfurt, data={"service": service, "area_ars": area}
            )
    assert not Responsibility.objects.exists()
    uder = Region.objects.active().get(ags="16061119")
    assert (
        responsibility_find(service=service, region=uder).authority.name
        == "Gemeindeverwaltung Uder"
    )
    responsibility_create(
        actor=erfurt_admin, authority=erfurt, data={"service": service, "area_ars": "16051"}
    )
    assert Responsibility.objects.get().area_ars == "16051"


def test_a_name_shared_by_many_gemeinden_asks_which(register):
    answer = _answer(WOHNSITZ, "Neustadt")
    names = [place.name for place in answer.choices]
    assert answer.finding is None
    assert "Neustadt an der Orla, Stadt" in names
    assert len(names) > 10


def test_every_gemeinde_of_a_large_area_counts_before_the_answer_is_the_same(register, erfurt):
    # Ziegenrück comes last of the Saale-Orla-Kreis's 59 Gemeinden by name.
    assert _answer(ZULASSUNG, "16075").finding.authority.name == "Landratsamt Saale-Orla-Kreis"
    Responsibility.objects.create(
        service=Service.objects.get(leika_key=ZULASSUNG), authority=erfurt, area_ars="160755013127"
    )
    answer = _answer(ZULASSUNG, "16075")
    assert answer.finding is None
    assert len(answer.choices) == 50
    assert answer.more_choices == 9
    assert _answer(ZULASSUNG, "Ziegenrück").finding.authority == erfurt


def test_a_misspelt_place_still_finds_the_authority(register):
    assert _answer(WOHNSITZ, "Teistungn").finding.authority.name == (
        "Verwaltungsgemeinschaft Lindenberg/Eichsfeld"
    )
    assert _answer(ZULASSUNG, "Pösneck").finding.authority.name == "Landratsamt Saale-Orla-Kreis"

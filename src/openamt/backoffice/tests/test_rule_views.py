from django.urls import reverse

from openamt.core.models import AuditEntry
from openamt.responsibility.models import ResponsibilityRule
from openamt.responsibility.selectors import responsibility_answer

URL = reverse("backoffice:rule-list")
HUNDESTEUER = "99102013000000"


def _rule_data(**overrides):
    return {
        "leika_key": "99115005104000",
        "level": "kreis",
        "reason": "Nur zur Probe: Meldebehörde wäre der Landkreis",
        "authority": "",
        **overrides,
    }


def test_land_admin_finds_and_changes_a_rule_and_the_answer_follows(client_as, land_admin):
    client = client_as(land_admin)
    page = client.get(URL, {"q": "Wohnsitz Anm"}).content.decode()
    assert "Wohnsitz Anmeldung (99115005104000)" in page
    assert "Meldebehörden sind die Gemeinden" in page
    kreis = client.get(URL, {"ebene": "kreis"}).context["page"]
    assert {rule.level for rule in kreis} == {"kreis"}

    assert client.post(URL, _rule_data()).status_code == 302

    rule = ResponsibilityRule.objects.get(service__leika_key="99115005104000")
    assert (rule.level, rule.reason) == ("kreis", "Nur zur Probe: Meldebehörde wäre der Landkreis")
    audit = AuditEntry.objects.get(action="rule.update")
    assert audit.changes["level"] == ["gemeinde", "kreis"]
    answer = responsibility_answer(service_query="99115005104000", place_query="Moxa")
    assert answer.finding.authority.name == "Landratsamt Saale-Orla-Kreis"


def test_a_new_rule_is_created_for_a_service_without_one(client_as, land_admin):
    ResponsibilityRule.objects.filter(service__leika_key=HUNDESTEUER).delete()
    created_before = AuditEntry.objects.filter(action="rule.create").count()
    data = _rule_data(
        leika_key=HUNDESTEUER, level="gemeinde", reason="Steuer der Gemeinde (ThürKAG)"
    )
    assert client_as(land_admin).post(URL, data).status_code == 302
    assert ResponsibilityRule.objects.get(service__leika_key=HUNDESTEUER).level == "gemeinde"
    assert AuditEntry.objects.filter(action="rule.create").count() == created_before + 1


def test_bad_rule_input_is_shown_next_to_the_field_and_nothing_changes(client_as, land_admin):
    client = client_as(land_admin)
    before = list(ResponsibilityRule.objects.values_list("service_id", "level", "reason"))
    audited = AuditEntry.objects.count()
    for data, field, message in [
        (
            _rule_data(leika_key="99999999999999"),
            "leika_key",
            "Diesen Leistungsschlüssel gibt es im Katalog nicht.",
        ),
        (
            _rule_data(reason="kurz"),
            "reason",
            "Die Begründung (z. B. die Rechtsgrundlage) hat 5 bis 300 Zeichen.",
        ),
        (
            _rule_data(level="land"),
            "authority",
            "Für eine Landesaufgabe bitte die Landesbehörde wählen.",
        ),
    ]:
        response = client.post(URL, data)
        assert response.status_code == 200
        assert response.context["form"].errors[field] == [message]
        assert f'href="#id_{field}"' in response.content.decode()
    assert list(ResponsibilityRule.objects.values_list("service_id", "level", "reason")) == before
    assert AuditEntry.objects.count() == audited


def test_only_land_staff_see_rules_and_only_land_admins_change_them(
    client_as, erfurt_admin, operator
):
    before = list(ResponsibilityRule.objects.values_list("service_id", "level", "reason"))
    client = client_as(erfurt_admin)
    assert client.get(URL).status_code == 404
    assert client.post(URL, _rule_data()).status_code == 404
    client = client_as(operator)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Regel eintragen oder ändern" not in response.content.decode()
    assert client.post(URL, _rule_data()).status_code == 404
    assert list(ResponsibilityRule.objects.values_list("service_id", "level", "reason")) == before

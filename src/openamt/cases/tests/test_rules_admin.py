from datetime import date

from django.urls import reverse

from openamt.cases.models import BekanntgabeRule
from openamt.core.models import AuditEntry


def _new_post_rule(valid_from: str) -> dict[str, str]:
    return {
        "channel": "post",
        "jurisdiction": "land",
        "days_after_event": "5",
        "valid_from": valid_from,
        "valid_to": "",
        "legal_basis": "hypothetische Neufassung",
        "legal_basis_url": "",
        "note": "",
        "retrieval_period_days": "",
    }


def test_an_overlapping_rule_is_refused_in_the_admin(client, operator):
    client.force_login(operator)
    response = client.post(reverse("admin:cases_bekanntgaberule_add"), _new_post_rule("2030-01-01"))
    assert response.status_code == 200
    assert "valid_from" in response.context["adminform"].form.errors
    assert not BekanntgabeRule.objects.filter(days_after_event=5).exists()
    assert not AuditEntry.objects.filter(action="bekanntgaberule.admin_create").exists()


def test_a_successor_rule_is_added_in_the_admin_and_audited(client, operator):
    client.force_login(operator)
    BekanntgabeRule.objects.filter(channel="post", jurisdiction="land", valid_to=None).update(
        valid_to=date(2029, 12, 31)
    )
    response = client.post(reverse("admin:cases_bekanntgaberule_add"), _new_post_rule("2030-01-01"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    rule = BekanntgabeRule.objects.get(days_after_event=5)
    assert (rule.valid_from, rule.valid_to) == (date(2030, 1, 1), None)
    entry = AuditEntry.objects.filter(action="bekanntgaberule.admin_create").get()
    assert entry.actor_id == operator.pk

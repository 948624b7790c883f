"""A processing deadline created, corrected or removed by an authority's
admin moves the dates of its open cases of that service, each by the rule in
force on its day of receipt; closed cases and other authorities' cases keep
theirs. Dates hand-computed over Thuringia's working days (November 2026 has
no public holiday there)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from openamt.cases import settings as case_settings
from openamt.cases.constants import CaseStatus, Channel
from openamt.cases.models import Case, ServiceDeadline
from openamt.cases.services import case_open
from openamt.catalogue.models import Service
from openamt.core.models import AuditEntry

RECEIVED = timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 0))  # a Monday


@pytest.fixture
def service(register) -> Service:
    found = Service.objects.filter(deadlines__isnull=True).order_by("pk").first()
    assert found is not None
    return found


def _case(actor, authority, service, status=CaseStatus.NEW) -> Case:
    case = case_open(
        actor=actor,
        authority=authority,
        service=service,
        channel=Channel.PAPER,
        applicant_name="Erika Mustermann",
        applicant_address={"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"},
        received_at=RECEIVED,
    )
    Case.objects.filter(pk=case.pk).update(status=status)
    return case


def _dates(case: Case) -> tuple:
    case.refresh_from_db()
    return case.due_on, case.warn_on, case.fiction_on


def _save(actor, authority, service, days: int, deadline=None):
    return case_settings.service_deadline_save(
        actor=actor,
        authority=authority,
        deadline=deadline,
        service=service,
        processing_working_days=days,
        warning_working_days=3,
        legal_basis="§ 3 Satzung über die Bearbeitungsfristen",
        valid_from=datetime.date(2026, 1, 1),
    )


def test_open_cases_follow_the_rule_in_force_on_their_day_of_receipt(
    erfurt, lindenberg, erfurt_admin, lindenberg_admin, service
):
    waiting = _case(erfurt_admin, erfurt, service, CaseStatus.WAITING_APPLICANT)
    closed = _case(erfurt_admin, erfurt, service, CaseStatus.CLOSED)
    elsewhere = _case(lindenberg_admin, lindenberg, service)
    assert _dates(waiting) == (None, None, None)  # no statutory period yet

    rule = _save(erfurt_admin, erfurt, service, 10)
    # Ten working days after Monday 2 November: Monday 16 November; the
    # warning three working days before it: Wednesday 11 November.
    november = datetime.date(2026, 11, 1).replace
    assert _dates(waiting) == (november(day=16), november(day=11), None)
    assert _dates(closed) == (None, None, None)
    assert _dates(elsewhere) == (None, None, None)

    _save(erfurt_admin, erfurt, service, 20, deadline=rule)  # a correction
    assert _dates(waiting) == (november(day=30), november(day=25), None)

    case_settings.service_deadline_delete(actor=erfurt_admin, deadline=rule)
    assert _dates(waiting) == (None, None, None)
    assert [
        (entry.action, entry.changes["cases_recomputed"])
        for entry in AuditEntry.objects.filter(action__startswith="service_deadline.").order_by(
            "pk"
        )
    ] == [
        ("service_deadline.create", 1),
        ("service_deadline.update", 1),
        ("service_deadline.delete", 1),
    ]


def test_a_rule_valid_from_a_later_day_leaves_earlier_cases_alone(erfurt, erfurt_admin, service):
    case = _case(erfurt_admin, erfurt, service)
    before = Case.objects.values_list("updated_at", flat=True).get(pk=case.pk)
    case_settings.service_deadline_save(
        actor=erfurt_admin,
        authority=erfurt,
        service=service,
        processing_working_days=10,
        warning_working_days=3,
        legal_basis="§ 3 Satzung über die Bearbeitungsfristen",
        valid_from=datetime.date(2026, 12, 1),
    )
    assert _dates(case) == (None, None, None)
    assert Case.objects.values_list("updated_at", flat=True).get(pk=case.pk) == before
    entry = AuditEntry.objects.get(action="service_deadline.create")
    assert entry.changes["cases_recomputed"] == 0


def test_a_land_wide_default_set_and_removed_in_the_admin_moves_the_dates(
    client, operator, erfurt, erfurt_admin, service
):
    """The Land-wide rows live only in the operator's admin: there too."""
    case = _case(erfurt_admin, erfurt, service)
    client.force_login(operator)
    response = client.post(
        reverse("admin:cases_servicedeadline_add"),
        {
            "service": str(service.pk),
            "authority": "",
            "processing_working_days": "10",
            "warning_working_days": "3",
            "fiction_months": "3",
            "fiction_legal_basis": "",
            "legal_basis": "§ 3 Landesverordnung über Bearbeitungsfristen",
            "legal_basis_url": "",
            "note": "",
            "valid_from": "2026-01-01",
            "valid_to": "",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    november = datetime.date(2026, 11, 1).replace
    assert _dates(case) == (november(day=16), november(day=11), None)
    rule = ServiceDeadline.objects.get(service=service, authority=None)
    response = client.post(
        reverse("admin:cases_servicedeadline_delete", args=[rule.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert _dates(case) == (None, None, None)

"""The services behind the case-work settings refuse everyone but the
authority's administrators and the Land's, whatever calls them."""

from datetime import date

import pytest

from openamt.cases import settings as case_settings
from openamt.cases.models import DecisionTemplate, FilingPlanEntry, ServiceDeadline, Team
from openamt.catalogue.models import Service
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.core.models import AuditEntry


@pytest.fixture
def service(register) -> Service:
    service = Service.objects.order_by("pk").first()
    assert service is not None
    return service


def _calls(authority, service):
    team = Team.objects.create(authority=authority, name="T")
    entry = FilingPlanEntry.objects.create(authority=authority, code="1", title="E")
    template = DecisionTemplate.objects.create(
        authority=authority, title="V", subject="S", operative="O", legal_remedy="R"
    )
    deadline = ServiceDeadline.objects.create(
        authority=authority,
        service=service,
        processing_working_days=20,
        legal_basis="B",
        valid_from=date(2025, 1, 1),
    )
    return [
        lambda actor: case_settings.team_create(actor=actor, authority=authority, name="Neu"),
        lambda actor: case_settings.team_update(actor=actor, team=team, name="X", members=[]),
        lambda actor: case_settings.team_delete(actor=actor, team=team),
        lambda actor: case_settings.filing_plan_entry_save(
            actor=actor,
            authority=authority,
            code="2",
            title="E",
            retention_years=1,
            appraisal="A",
            services=[],
        ),
        lambda actor: case_settings.filing_plan_entry_delete(actor=actor, entry=entry),
        lambda actor: case_settings.decision_template_save(
            actor=actor,
            authority=authority,
            service=None,
            title="V2",
            subject="S",
            operative="O",
            legal_remedy="R",
        ),
        lambda actor: case_settings.decision_template_delete(actor=actor, template=template),
        lambda actor: case_settings.service_deadline_save(
            actor=actor,
            authority=authority,
            service=service,
            processing_working_days=20,
            warning_working_days=5,
            legal_basis="B",
            valid_from=date(2020, 1, 1),
            valid_to=date(2020, 12, 31),
        ),
        lambda actor: case_settings.service_deadline_delete(actor=actor, deadline=deadline),
    ]


def test_only_the_authoritys_admins_change_its_settings(
    erfurt, erfurt_caseworker, lindenberg_admin, service
):
    calls = _calls(erfurt, service)
    snapshot = [
        list(model.objects.order_by("pk").values())
        for model in (Team, FilingPlanEntry, DecisionTemplate, ServiceDeadline)
    ]
    audited = AuditEntry.objects.count()
    for actor in (None, erfurt_caseworker, lindenberg_admin):
        for call in calls:
            with pytest.raises(PermissionDenied):
                call(actor)
    assert snapshot == [
        list(model.objects.order_by("pk").values())
        for model in (Team, FilingPlanEntry, DecisionTemplate, ServiceDeadline)
    ]
    assert AuditEntry.objects.count() == audited


def test_the_land_admin_may_change_them(erfurt, land_admin, service):
    for call in _calls(erfurt, service):
        call(land_admin)
    assert AuditEntry.objects.filter(actor_id=land_admin.pk, authority_id=erfurt.pk).count() == 9


def test_a_row_of_another_authority_is_refused(erfurt, lindenberg, erfurt_admin, service):
    theirs = FilingPlanEntry.objects.create(authority=lindenberg, code="1", title="E")
    with pytest.raises(PermissionDenied):
        case_settings.filing_plan_entry_save(
            actor=erfurt_admin,
            authority=erfurt,
            entry=theirs,
            code="1",
            title="Übernommen",
            retention_years=1,
            appraisal="A",
            services=[],
        )
    land = ServiceDeadline.objects.create(
        service=service, processing_working_days=20, legal_basis="B", valid_from=date(2025, 1, 1)
    )
    with pytest.raises(PermissionDenied):
        case_settings.service_deadline_delete(actor=erfurt_admin, deadline=land)
    theirs.refresh_from_db()
    assert theirs.title == "E"
    assert ServiceDeadline.objects.filter(pk=land.pk).exists()


def test_a_placeholder_in_any_text_is_checked(erfurt, erfurt_admin):
    for field in ("subject", "operative", "reasons", "legal_remedy", "fee_legal_basis"):
        values = {
            "title": "V",
            "subject": "S",
            "operative": "O",
            "reasons": "",
            "fee_cents": 100,
            "fee_legal_basis": "G",
            "legal_remedy": "R",
        }
        values[field] = "{{ unbekannt }}"
        with pytest.raises(InvalidInput) as raised:
            case_settings.decision_template_save(
                actor=erfurt_admin, authority=erfurt, service=None, **values
            )
        assert raised.value.field == field
    assert not DecisionTemplate.objects.exists()

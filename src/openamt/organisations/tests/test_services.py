from datetime import date

import pytest

from openamt.core.audit import audit_verify
from openamt.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from openamt.core.models import AuditEntry
from openamt.organisations.constants import TenantStatus
from openamt.organisations.models import Authority, Tenant
from openamt.organisations.selectors import authority_get_for_user, authority_list_for_user
from openamt.organisations.services import (
    authority_update,
    tenant_activate,
    tenant_apply,
    tenant_terminate,
)
from openamt.organisations.validators import (
    validate_iban,
    validate_leitweg_id,
    validate_opening_hours,
)

VALID_LEITWEG = "991-03730-19"


@pytest.mark.parametrize("value", ["991-03730-19", "04011000-1234512345-06"])
def test_valid_leitweg_ids(value):
    assert validate_leitweg_id(value) == value


@pytest.mark.parametrize(
    ("value", "message"),
    [("991-03730-18", "Prüfziffer"), ("1-03730-19", "Format"), ("16051000", "Format")],
)
def test_invalid_leitweg_ids(value, message):
    with pytest.raises(InvalidInput, match=message) as error:
        validate_leitweg_id(value)
    assert error.value.field == "leitweg_id"


def test_iban_is_validated_and_compacted():
    assert validate_iban("DE89 3704 0044 0532 0130 00") == "DE89370400440532013000"
    with pytest.raises(InvalidInput, match="Prüfziffer"):
        validate_iban("DE88 3704 0044 0532 0130 00")


def test_opening_hours_are_structured_and_sorted():
    hours = validate_opening_hours(
        [
            {"day": 3, "opens": "14:00", "closes": "18:00"},
            {"day": 0, "opens": "08:00", "closes": "12:00"},
        ]
    )
    assert hours == [
        {"day": 0, "opens": "08:00", "closes": "12:00", "note": ""},
        {"day": 3, "opens": "14:00", "closes": "18:00", "note": ""},
    ]
    with pytest.raises(InvalidInput):
        validate_opening_hours([{"day": 7, "opens": "08:00", "closes": "12:00"}])
    with pytest.raises(InvalidInput):
        validate_opening_hours([{"day": 1, "opens": "12:00", "closes": "08:00"}])


def test_authority_admin_updates_contact_data_and_it_is_audited(erfurt, erfurt_admin):
    authority_update(
        actor=erfurt_admin,
        authority=erfurt,
        data={
            "street": "Fischmarkt 1",
            "postcode": "99084",
            "city": "Erfurt",
            "leitweg_id": VALID_LEITWEG,
        },
    )
    erfurt.refresh_from_db()
    assert erfurt.address_lines == ["Fischmarkt 1", "99084 Erfurt"]
    entry = AuditEntry.objects.filter(action="authority.update", object_id=str(erfurt.pk)).get()
    assert entry.actor_id == erfurt_admin.pk
    assert entry.changes["street"] == ["", "Fischmarkt 1"]
    assert audit_verify() is None


def test_invalid_input_changes_nothing(erfurt, erfurt_admin):
    audit_before = AuditEntry.objects.count()
    with pytest.raises(InvalidInput) as error:
        authority_update(
            actor=erfurt_admin, authority=erfurt, data={"street": "Fischmarkt 1", "iban": "DE00123"}
        )
    assert error.value.field == "iban"
    erfurt.refresh_from_db()
    assert erfurt.street == ""
    assert AuditEntry.objects.count() == audit_before


def test_caseworker_and_other_authorities_cannot_change(
    erfurt, erfurt_caseworker, lindenberg_admin
):
    for actor in (erfurt_caseworker, lindenberg_admin):
        with pytest.raises(PermissionDenied):
            authority_update(actor=actor, authority=erfurt, data={"phone": "0361 123"})
    erfurt.refresh_from_db()
    assert erfurt.phone == ""


def test_land_admin_may_change_every_authority(lindenberg, land_admin):
    authority_update(actor=land_admin, authority=lindenberg, data={"phone": "036071 123"})
    lindenberg.refresh_from_db()
    assert lindenberg.phone == "036071 123"


def test_staff_see_only_their_authorities(erfurt, erfurt_caseworker, lindenberg, land_admin):
    assert list(authority_list_for_user(user=erfurt_caseworker)) == [erfurt]
    assert authority_list_for_user(user=land_admin).count() == 206
    with pytest.raises(Exception, match="keinen Zugriff"):
        authority_get_for_user(user=erfurt_caseworker, pk=lindenberg.pk)


def test_tenant_lifecycle(erfurt, erfurt_admin, land_admin):
    tenant = tenant_apply(actor=erfurt_admin, authority=erfurt, on=date(2026, 1, 5))
    assert (tenant.status, tenant.applied_on) == (TenantStatus.APPLIED, date(2026, 1, 5))
    tenant = tenant_activate(actor=land_admin, tenant=tenant, on=date(2026, 2, 1))
    assert (tenant.status, tenant.activated_on) == (TenantStatus.ACTIVE, date(2026, 2, 1))
    tenant = tenant_terminate(actor=land_admin, tenant=tenant, on=date(2026, 12, 31))
    assert (tenant.status, tenant.terminated_on) == (TenantStatus.TERMINATED, date(2026, 12, 31))
    actions = list(
        AuditEntry.objects.filter(object_type="organisations.tenant").values_list(
            "action", flat=True
        )
    )
    assert actions == ["tenant.apply", "tenant.aktiv", "tenant.gekuendigt"]
    assert audit_verify() is None


def test_illegal_tenant_transition_is_refused_and_not_audited(erfurt, erfurt_admin, land_admin):
    tenant = tenant_apply(actor=erfurt_admin, authority=erfurt)
    tenant_terminate(actor=land_admin, tenant=tenant)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(InvalidTransition):
        tenant_activate(actor=land_admin, tenant=tenant)
    assert Tenant.objects.get(pk=tenant.pk).status == TenantStatus.TERMINATED
    assert AuditEntry.objects.count() == audit_before


def test_only_the_land_activates_tenants(erfurt, erfurt_admin):
    tenant = tenant_apply(actor=erfurt_admin, authority=erfurt)
    with pytest.raises(PermissionDenied):
        tenant_activate(actor=erfurt_admin, tenant=tenant)
    assert Tenant.objects.get(pk=tenant.pk).status == TenantStatus.APPLIED


def test_staff_of_another_authority_cannot_apply_for_it(erfurt, lindenberg_admin):
    with pytest.raises(PermissionDenied):
        tenant_apply(actor=lindenberg_admin, authority=erfurt)
    assert not Tenant.objects.filter(authority=erfurt).exists()
    assert Authority.objects.get(pk=erfurt.pk).updated_at == erfurt.updated_at

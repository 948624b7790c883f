from django.urls import reverse

from openamt.core.audit import audit_verify
from openamt.core.models import AuditEntry
from openamt.organisations.constants import TenantStatus
from openamt.organisations.models import Tenant
from openamt.organisations.services import tenant_apply


def test_operator_activates_a_tenant_in_the_admin_and_it_is_audited(
    client, operator, erfurt, erfurt_admin
):
    tenant = tenant_apply(actor=erfurt_admin, authority=erfurt)
    client.force_login(operator)
    response = client.post(
        reverse("admin:organisations_tenant_changelist"),
        {"action": "activate", "_selected_action": [tenant.pk]},
    )
    assert response.status_code == 302
    assert Tenant.objects.get(pk=tenant.pk).status == TenantStatus.ACTIVE
    entry = AuditEntry.objects.filter(action="tenant.aktiv").get()
    assert (entry.actor_id, entry.authority_id) == (operator.pk, erfurt.pk)
    assert audit_verify() is None


def test_admin_change_of_an_authority_is_audited(client, operator, erfurt):
    client.force_login(operator)
    url = reverse("admin:organisations_authority_change", args=[erfurt.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        {
            "phone": "0361 6550",
            "regions": [r.pk for r in erfurt.regions.all()],
            "opening_hours": "[]",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.filter(action="authority.admin_change").get()
    assert entry.changes["phone"] == "0361 6550"


def test_region_register_is_read_only_in_the_admin(client, operator, register):
    client.force_login(operator)
    assert client.get(reverse("admin:regions_region_add")).status_code == 403


def test_revoking_a_role_in_the_admin_is_audited(client, operator, erfurt, erfurt_caseworker):
    client.force_login(operator)
    role = erfurt_caseworker.authority_roles.get()
    response = client.post(
        reverse("admin:organisations_authorityrole_delete", args=[role.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not erfurt_caseworker.authority_roles.exists()
    entry = AuditEntry.objects.filter(action="authority_role.revoke").get()
    assert entry.changes == {"user_id": erfurt_caseworker.pk, "role": "caseworker"}
    assert (entry.actor_id, entry.authority_id) == (operator.pk, erfurt.pk)


def test_authorities_and_tenants_cannot_be_deleted_in_the_admin(
    client, operator, erfurt, erfurt_admin
):
    client.force_login(operator)
    tenant = tenant_apply(actor=erfurt_admin, authority=erfurt)
    assert (
        client.post(
            reverse("admin:organisations_authority_delete", args=[erfurt.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("admin:organisations_tenant_delete", args=[tenant.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Tenant.objects.filter(pk=tenant.pk).exists()

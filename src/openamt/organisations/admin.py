"""Django admin for the operator. Writes go through services, so they are audited."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from openamt.core.admin import AuditedAdmin
from openamt.core.audit import audit_record
from openamt.core.errors import DomainError
from openamt.core.text import fold
from openamt.organisations import services
from openamt.organisations.models import Authority, AuthorityRole, LandRole, Tenant


@admin.register(Authority)
class AuthorityAdmin(AuditedAdmin):
    list_display = ["name", "kind", "leitweg_id"]
    list_filter = ["kind"]
    search_fields = ["name", "leitweg_id"]
    raw_id_fields = ["register_region"]
    filter_horizontal = ["regions"]
    readonly_fields = ["created_at", "updated_at"]
    exclude = ["name_folded"]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Authorities are referenced by everything else; they are never deleted.
        return False

    def save_model(
        self, request: HttpRequest, obj: Authority, form: ModelForm, change: bool
    ) -> None:
        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)

    def audit_authority_id(self, obj: Any) -> int | None:
        return int(obj.pk)


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["authority", "status", "applied_on", "activated_on", "terminated_on"]
    list_filter = ["status"]
    search_fields = ["authority__name"]
    raw_id_fields = ["authority"]
    readonly_fields = ["status", "applied_on", "activated_on", "terminated_on"]
    actions = ["activate", "terminate"]

    def get_readonly_fields(self, request: HttpRequest, obj: Tenant | None = None) -> list[str]:
        # Status changes only through the actions (the service's transition table).
        return [*self.readonly_fields, "authority"] if obj else list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # "gekündigt" ends a membership; the record stays.

    def save_model(self, request: HttpRequest, obj: Tenant, form: ModelForm, change: bool) -> None:
        if not change:
            services.tenant_apply(actor=request.user, authority=obj.authority)  # type: ignore[arg-type]

    def _run(self, request: HttpRequest, queryset: QuerySet[Tenant], action: Any) -> None:
        for tenant in queryset:
            try:
                action(actor=request.user, tenant=tenant)
            except DomainError as error:
                self.message_user(request, f"{tenant}: {error.message}", messages.ERROR)

    @admin.action(description="Ausgewählte Mandanten aktivieren")
    def activate(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._run(request, queryset, services.tenant_activate)

    @admin.action(description="Ausgewählte Mandanten kündigen")
    def terminate(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._run(request, queryset, services.tenant_terminate)


class RoleAdmin(admin.ModelAdmin):
    """Roles are granted and revoked, never edited in place; both are audited."""

    audit_name = ""

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def _audit(self, request: HttpRequest, obj: AuthorityRole | LandRole, action: str) -> None:
        authority_id = obj.authority_id if isinstance(obj, AuthorityRole) else None
        audit_record(
            actor=request.user,
            action=f"{self.audit_name}.{action}",
            target=obj,
            authority_id=authority_id,
            changes={"user_id": obj.user_id, "role": obj.role},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        super().save_model(request, obj, form, change)
        self._audit(request, obj, "grant")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, "revoke")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            self._audit(request, obj, "revoke")
        super().delete_queryset(request, queryset)


@admin.register(AuthorityRole)
class AuthorityRoleAdmin(RoleAdmin):
    audit_name = "authority_role"
    list_display = ["user", "authority", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "authority"]


@admin.register(LandRole)
class LandRoleAdmin(RoleAdmin):
    audit_name = "land_role"
    list_display = ["user", "role"]
    raw_id_fields = ["user"]

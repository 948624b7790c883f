"""Django admin for the operator. Writes go through services, so they are audited."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from openamt.core.audit import audit_record
from openamt.core.errors import DomainError
from openamt.core.text import fold
from openamt.organisations import services
from openamt.organisations.models import Authority, AuthorityRole, LandRole, Tenant


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "leitweg_id"]
    list_filter = ["kind"]
    search_fields = ["name", "leitweg_id"]
    raw_id_fields = ["register_region"]
    filter_horizontal = ["regions"]
    readonly_fields = ["created_at", "updated_at"]
    exclude = ["name_folded"]

    def save_model(
        self, request: HttpRequest, obj: Authority, form: ModelForm, change: bool
    ) -> None:
        obj.name_folded = fold(obj.name)
        super().save_model(request, obj, form, change)
        changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        audit_record(
            actor=request.user,
            action="authority.admin_change" if change else "authority.admin_create",
            target=obj,
            authority_id=obj.pk,
            changes=changes,
        )


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["authority", "status", "applied_on", "activated_on", "terminated_on"]
    list_filter = ["status"]
    search_fields = ["authority__name"]
    raw_id_fields = ["authority"]
    readonly_fields = ["status", "applied_on", "activated_on", "terminated_on"]
    actions = ["activate", "terminate"]

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


@admin.register(AuthorityRole)
class AuthorityRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "authority", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "authority"]

    def save_model(
        self, request: HttpRequest, obj: AuthorityRole, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="authority_role.admin_change",
            target=obj,
            authority_id=obj.authority_id,
            changes={"user_id": obj.user_id, "role": obj.role},
        )


@admin.register(LandRole)
class LandRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    raw_id_fields = ["user"]

    def save_model(
        self, request: HttpRequest, obj: LandRole, form: ModelForm, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action="land_role.admin_change",
            target=obj,
            changes={"user_id": obj.user_id, "role": obj.role},
        )

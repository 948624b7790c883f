from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openamt.core.models import AuditEntry, OutboxMail

admin.site.site_header = "OpenAmt – Betrieb"
admin.site.site_title = "OpenAmt"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Official register data changes only through its importers."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "action", "object_type", "object_id", "actor_id", "authority_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "action"]

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_superuser


class AuditedAdmin(admin.ModelAdmin):
    """Admin whose saves and deletions are written to the audit log."""

    def _audit(self, request: HttpRequest, obj: Any, action: str, changes: dict[str, Any]) -> None:
        from openamt.core.audit import audit_record

        audit_record(
            actor=request.user,
            action=f"{obj._meta.model_name}.admin_{action}",
            target=obj,
            authority_id=self.audit_authority_id(obj),
            changes=changes,
        )

    def audit_authority_id(self, obj: Any) -> int | None:
        """The authority (tenant) an entry belongs to, for scoping the audit log."""
        return getattr(obj, "authority_id", None)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        self._audit(request, obj, "change" if change else "create", changes)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._audit(request, obj, "delete", {"repr": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self._audit(request, obj, "delete", {"repr": str(obj)})
        super().delete_queryset(request, queryset)


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdmin):
    """Mails the platform owes (alerts, Postfach notices): a parked one
    (gescheitert) is for the operator to look into, not resent automatically."""

    list_display = ["key", "status", "attempts", "next_attempt_at", "last_error", "done_at"]
    list_filter = ["status"]
    search_fields = ["key"]

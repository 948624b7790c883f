from django.contrib import admin
from django.http import HttpRequest

from openamt.core.models import AuditEntry

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

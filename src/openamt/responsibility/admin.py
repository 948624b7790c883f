from django.contrib import admin

from openamt.core.admin import AuditedAdmin
from openamt.responsibility.models import Responsibility, ResponsibilityRule


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(AuditedAdmin):
    list_display = ["service", "level", "reason"]
    list_filter = ["level"]
    search_fields = ["service__name", "service__leika_key"]
    raw_id_fields = ["service", "authority"]
    list_select_related = ["service"]


@admin.register(Responsibility)
class ResponsibilityAdmin(AuditedAdmin):
    list_display = ["service", "authority", "area_ars", "role", "valid_from", "valid_until"]
    list_filter = ["role"]
    search_fields = ["service__name", "service__leika_key", "authority__name"]
    raw_id_fields = ["service", "authority"]
    list_select_related = ["service", "authority"]

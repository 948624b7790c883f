from django.contrib import admin

from openamt.cases.models import BekanntgabeRule, ObjectionPeriod, ServiceDeadline
from openamt.core.admin import AuditedAdmin

# Legal rules (GUIDE §8): operators keep them current with the law. A change
# is a new row from the day it takes effect, the old row ending the day
# before (docs/legal-rules.md); every save is audited.


@admin.register(BekanntgabeRule)
class BekanntgabeRuleAdmin(AuditedAdmin):
    list_display = [
        "channel",
        "jurisdiction",
        "days_after_event",
        "retrieval_period_days",
        "valid_from",
        "valid_to",
        "legal_basis",
    ]
    list_filter = ["channel", "jurisdiction"]
    search_fields = ["legal_basis", "note"]


@admin.register(ObjectionPeriod)
class ObjectionPeriodAdmin(AuditedAdmin):
    list_display = ["remedy", "months", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["remedy"]


@admin.register(ServiceDeadline)
class ServiceDeadlineAdmin(AuditedAdmin):
    list_display = [
        "service",
        "authority",
        "processing_working_days",
        "warning_working_days",
        "approval_fiction",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["approval_fiction"]
    search_fields = ["service__name", "service__leika_key", "authority__name"]
    raw_id_fields = ["service", "authority"]
    list_select_related = ["service", "authority"]

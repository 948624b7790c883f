from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from openamt.cases.models import BekanntgabeRule, ObjectionPeriod, ServiceDeadline
from openamt.cases.services import cases_deadlines_recompute
from openamt.catalogue.models import Service
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

    # A row changed here (the Land-wide defaults live only here) moves the
    # dates of the open cases it governs, as in the authority's settings.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        cases_deadlines_recompute(service=obj.service, authority_id=obj.authority_id)
        before = form.initial.get("service") if change else None
        if before and before != obj.service_id:
            old = Service.objects.get(pk=before)
            cases_deadlines_recompute(service=old, authority_id=obj.authority_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        service, authority_id = obj.service, obj.authority_id
        super().delete_model(request, obj)
        cases_deadlines_recompute(service=service, authority_id=authority_id)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        governed = {(row.service, row.authority_id) for row in queryset.select_related("service")}
        super().delete_queryset(request, queryset)
        for service, authority_id in governed:
            cases_deadlines_recompute(service=service, authority_id=authority_id)

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from openamt.catalogue import search
from openamt.catalogue.models import OzgService, Service, ServiceTerm, ServiceText
from openamt.core.admin import AuditedAdmin, ReadOnlyAdmin
from openamt.core.text import fold


@admin.register(OzgService)
class OzgServiceAdmin(ReadOnlyAdmin):
    list_display = ["ozg_id", "name", "lebenslage", "themenfeld"]
    search_fields = ["name"]
    list_filter = ["themenfeld"]


class ServiceTermFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data or data.get("DELETE") or not data.get("term"):
                continue
            folded = fold(data["term"])
            if folded in seen:
                raise ValidationError(f"Der Suchbegriff „{data['term']}“ steht doppelt da.")
            seen.add(folded)


class ServiceTermInline(admin.TabularInline):
    model = ServiceTerm
    formset = ServiceTermFormSet
    fields = ["term", "kind"]
    extra = 1


@admin.register(Service)
class ServiceAdmin(AuditedAdmin):
    """Names and keys come from the LeiKa import; the Land maintains terms and popularity."""

    list_display = ["leika_key", "name", "typisierung", "popularity"]
    search_fields = ["leika_key", "name"]
    readonly_fields = [
        "leika_key",
        "in_leika",
        "name",
        "typisierung",
        "ozg_service",
        "legal_basis",
        "laws",
    ]
    fields = [*readonly_fields, "popularity"]
    inlines = [ServiceTermInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for term in formset.save(commit=False):
            term.term_folded = fold(term.term)
            term.save()
        for term in formset.deleted_objects:
            term.delete()
        self._audit(
            request, form.instance, "terms", {"terms": [t.term for t in form.instance.terms.all()]}
        )
        search.index_rebuild()


@admin.register(ServiceText)
class ServiceTextAdmin(AuditedAdmin):
    list_display = ["service", "authority", "updated_at"]
    search_fields = ["service__name", "service__leika_key"]
    raw_id_fields = ["service", "authority"]

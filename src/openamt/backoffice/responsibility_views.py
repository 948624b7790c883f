"""Staff pages: an authority maintains its own Zuständigkeit entries."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.models import User
from openamt.backoffice.views import authority_or_404
from openamt.catalogue.models import Service
from openamt.core.errors import DomainError, PermissionDenied
from openamt.organisations import permissions
from openamt.responsibility.constants import ResponsibilityRole
from openamt.responsibility.models import Responsibility
from openamt.responsibility.services import responsibility_create, responsibility_delete

PAGE_SIZE = 25


class ResponsibilityForm(forms.Form):
    leika_key = forms.CharField(
        label="Leistungsschlüssel", max_length=14, help_text="14 Ziffern, z. B. 99115005104000"
    )
    area_ars = forms.CharField(
        label="Gebiet (Regionalschlüssel)",
        max_length=12,
        help_text="z. B. 16051 für ganz Erfurt oder 12 Ziffern für eine Gemeinde",
    )
    role = forms.ChoiceField(label="Rolle", choices=ResponsibilityRole.choices)
    online_service_url = forms.URLField(
        label="Onlinedienst",
        required=False,
        assume_scheme="https",
        max_length=200,
        error_messages={"invalid": "Bitte geben Sie eine gültige Internetadresse ein."},
    )
    valid_from = forms.DateField(
        label="gültig ab", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label="gültig bis", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_leika_key(self) -> Service:
        key = self.cleaned_data["leika_key"].strip()
        service = Service.objects.filter(leika_key=key).first()
        if service is None:
            raise forms.ValidationError("Diesen Leistungsschlüssel gibt es im Katalog nicht.")
        return service


@login_required
def responsibility_list(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    can_change = permissions.can_change_authority(request.user, authority.pk)
    form = ResponsibilityForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise Http404("Diese Behörde gibt es nicht oder Sie haben keinen Zugriff.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["service"] = data.pop("leika_key")
            try:
                responsibility_create(
                    actor=cast(User, request.user), authority=authority, data=data
                )
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, "Die Zuständigkeit wurde eingetragen.")
                return redirect("backoffice:responsibility-list", pk=authority.pk)
    entries = (
        Responsibility.objects.filter(authority=authority)
        .select_related("service")
        .order_by("service__name", "area_ars", "pk")
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/responsibility_list.html",
        {"authority": authority, "page": page, "form": form, "can_change": can_change},
    )


@login_required
@require_POST
def responsibility_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    entry = (
        Responsibility.objects.filter(pk=entry_pk, authority=authority)
        .select_related("service", "authority")
        .first()
    )
    if entry is None:
        raise Http404("Diese Zuständigkeit gibt es nicht.")
    try:
        responsibility_delete(actor=cast(User, request.user), entry=entry)
    except PermissionDenied as error:
        raise Http404(error.message) from error
    messages.success(request, "Die Zuständigkeit wurde gelöscht.")
    return redirect("backoffice:responsibility-list", pk=authority.pk)

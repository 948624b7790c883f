"""Staff page: the Land's rule table (which level carries out which service)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.models import User
from openamt.catalogue.models import Service
from openamt.core.errors import DomainError, NotFound, PermissionDenied
from openamt.core.text import clean_query
from openamt.organisations import permissions
from openamt.organisations.constants import AuthorityKind
from openamt.organisations.models import Authority
from openamt.responsibility.constants import AdministrativeLevel
from openamt.responsibility.selectors import rule_list_for_user
from openamt.responsibility.services import rule_save

PAGE_SIZE = 25


class RuleForm(forms.Form):
    leika_key = forms.CharField(
        label="Leistungsschlüssel", max_length=14, help_text="14 Ziffern, z. B. 99115005104000"
    )
    level = forms.ChoiceField(label="Verwaltungsebene", choices=AdministrativeLevel.choices)
    reason = forms.CharField(
        label="Begründung",
        max_length=300,
        help_text="eine Zeile, z. B. „Meldebehörden sind die Gemeinden (ThürMeldeG)“",
    )
    authority = forms.ModelChoiceField(
        label="Landesbehörde",
        queryset=Authority.objects.filter(kind=AuthorityKind.LANDESBEHOERDE).order_by("name"),
        required=False,
        empty_label="– nur bei Landesaufgaben –",
    )

    def clean_leika_key(self) -> Service:
        service = Service.objects.filter(leika_key=self.cleaned_data["leika_key"].strip()).first()
        if service is None:
            raise forms.ValidationError("Diesen Leistungsschlüssel gibt es im Katalog nicht.")
        return service


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    q, level = clean_query(request.GET.get("q", "")), request.GET.get("ebene", "")
    try:
        rules = rule_list_for_user(user=request.user, q=q, level=level)
    except NotFound as error:
        raise Http404(error.message) from error
    can_change = permissions.is_land_admin(request.user)
    form = RuleForm(request.POST or None)
    if request.method == "POST":
        if not can_change:
            raise Http404("Diese Seite gibt es nicht oder Sie haben keinen Zugriff.")
        if form.is_valid():
            try:
                rule = rule_save(
                    actor=cast(User, request.user),
                    service=form.cleaned_data["leika_key"],
                    level=form.cleaned_data["level"],
                    reason=form.cleaned_data["reason"],
                    authority=form.cleaned_data["authority"],
                )
            except PermissionDenied as error:
                raise Http404(error.message) from error
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, f"Die Regel für „{rule.service.name}“ wurde gespeichert.")
                return redirect("backoffice:rule-list")
    page = Paginator(rules, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/rule_list.html",
        {
            "page": page,
            "form": form,
            "can_change": can_change,
            "q": q,
            "level": level,
            "levels": AdministrativeLevel.choices,
        },
    )

"""Staff pages: the Land's service texts and search terms, and each authority's
specialisation of a text (which wins field by field where it is filled in)."""

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.models import User
from openamt.backoffice.views import authority_or_404
from openamt.catalogue.constants import TEXT_FIELDS, TermKind
from openamt.catalogue.models import Service, ServiceTerm, ServiceText
from openamt.catalogue.services import (
    MAX_TEXT,
    service_term_add,
    service_term_remove,
    service_text_save,
)
from openamt.core.blocks import FORMAT_HINT
from openamt.core.errors import DomainError, PermissionDenied
from openamt.core.text import clean_query, fold
from openamt.organisations import permissions
from openamt.organisations.models import Authority

PAGE_SIZE = 25
# The service page shows these two as they are: a list of links and a line of text.
TEXT_HINTS = {
    "legal_basis": (
        "Eine Rechtsgrundlage je Zeile, ein Link in eckigen Klammern dahinter, z. B. "
        "„§ 14 Gewerbeordnung (GewO) [https://www.gesetze-im-internet.de/gewo/__14.html]“. "
        "Ohne Link werden Paragrafen bekannter Bundesgesetze auf gesetze-im-internet.de verlinkt."
    ),
    "forms": "Erscheint im Abschnitt für Fachleute; Web-Adressen werden zu Links.",
}
NOT_FOUND = "Diese Seite gibt es nicht oder Sie haben keinen Zugriff."


class ServiceTextForm(forms.Form):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name, label in TEXT_FIELDS:
            self.fields[name] = forms.CharField(
                label=label,
                help_text=TEXT_HINTS.get(name, FORMAT_HINT),
                required=False,
                max_length=MAX_TEXT,
                widget=forms.Textarea(attrs={"rows": 4}),
                error_messages={"max_length": f"Höchstens {MAX_TEXT:,} Zeichen.".replace(",", ".")},
            )


class TermForm(forms.Form):
    term = forms.CharField(label="Suchbegriff", max_length=120, help_text="z. B. „Ummeldung“")
    kind = forms.ChoiceField(label="Art", choices=TermKind.choices)


class ServiceKeyForm(forms.Form):
    leika_key = forms.CharField(label="Leistungsschlüssel", max_length=14, help_text="14 Ziffern")

    def clean_leika_key(self) -> Service:
        service = Service.objects.filter(leika_key=self.cleaned_data["leika_key"].strip()).first()
        if service is None:
            raise forms.ValidationError("Diesen Leistungsschlüssel gibt es im Katalog nicht.")
        return service


def land_staff_or_404(request: HttpRequest) -> bool:
    """Whether the user may change Land texts; 404 for anyone without a Land role."""
    roles = permissions.land_roles(request.user)
    if not roles & permissions.LAND_WIDE_READ:
        raise Http404(NOT_FOUND)
    return bool(roles & permissions.LAND_WIDE_WRITE)


def _service_or_404(leika_key: str) -> Service:
    service = Service.objects.filter(leika_key=leika_key).first()
    if service is None:
        raise Http404("Diese Leistung gibt es nicht.")
    return service


def _save_text(
    request: HttpRequest, form: ServiceTextForm, service: Service, authority: Authority | None
) -> bool:
    if not form.is_valid():
        return False
    try:
        service_text_save(
            actor=cast(User, request.user),
            service=service,
            authority=authority,
            data=form.cleaned_data,
        )
    except PermissionDenied as error:
        raise Http404(error.message) from error
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    messages.success(request, f"Die Beschreibung von „{service.name}“ wurde gespeichert.")
    return True


def _initial(text: ServiceText | None) -> dict[str, str]:
    return {name: getattr(text, name) for name, _ in TEXT_FIELDS} if text else {}


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    land_staff_or_404(request)
    q = clean_query(request.GET.get("q", ""))
    services = Service.objects.order_by("leika_key")
    if q.isdigit():
        services = services.filter(leika_key__startswith=q)
    elif q:
        services = services.filter(Q(name_folded__contains=fold(q)))
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "backoffice/service_list.html", {"page": page, "q": q})


@login_required
def service_edit(request: HttpRequest, leika_key: str) -> HttpResponse:
    can_change = land_staff_or_404(request)
    service = _service_or_404(leika_key)
    text = ServiceText.objects.filter(service=service, authority__isnull=True).first()
    form = ServiceTextForm(request.POST or None, initial=_initial(text), prefix="text")
    term_form = TermForm(prefix="begriff")
    if request.method == "POST":
        if not can_change:
            raise Http404(NOT_FOUND)
        if "begriff-term" in request.POST:
            term_form = TermForm(request.POST, prefix="begriff")
            form = ServiceTextForm(initial=_initial(text), prefix="text")
            if term_form.is_valid():
                try:
                    service_term_add(
                        actor=cast(User, request.user), service=service, **term_form.cleaned_data
                    )
                except DomainError as error:
                    term_form.add_error("term", error.message)
                else:
                    messages.success(request, "Der Suchbegriff wurde hinzugefügt.")
                    return redirect("backoffice:service-edit", leika_key=service.leika_key)
        elif _save_text(request, form, service, None):
            return redirect("backoffice:service-edit", leika_key=service.leika_key)
    return render(
        request,
        "backoffice/service_edit.html",
        {
            "service": service,
            "form": form,
            "term_form": term_form,
            "terms": service.terms.order_by("term_folded"),
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def service_term_delete(request: HttpRequest, leika_key: str, term_pk: int) -> HttpResponse:
    land_staff_or_404(request)
    term = (
        ServiceTerm.objects.filter(pk=term_pk, service__leika_key=leika_key)
        .select_related("service")
        .first()
    )
    if term is None:
        raise Http404("Diesen Suchbegriff gibt es nicht.")
    try:
        service_term_remove(actor=cast(User, request.user), term=term)
    except PermissionDenied as error:
        raise Http404(error.message) from error
    messages.success(request, f"Der Suchbegriff „{term.term}“ wurde entfernt.")
    return redirect("backoffice:service-edit", leika_key=leika_key)


@login_required
def specialisation_list(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    form = ServiceKeyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect(
            "backoffice:specialisation-edit",
            pk=authority.pk,
            leika_key=form.cleaned_data["leika_key"].leika_key,
        )
    texts = (
        ServiceText.objects.filter(authority=authority)
        .select_related("service")
        .order_by("service__name", "pk")
    )
    page = Paginator(texts, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/specialisation_list.html",
        {
            "authority": authority,
            "page": page,
            "form": form,
            "can_change": permissions.can_change_authority(request.user, authority.pk),
        },
    )


@login_required
def specialisation_edit(request: HttpRequest, pk: int, leika_key: str) -> HttpResponse:
    authority = authority_or_404(request, pk)
    can_change = permissions.can_change_authority(request.user, authority.pk)
    service = _service_or_404(leika_key)
    texts = {
        t.authority_id: t
        for t in ServiceText.objects.filter(service=service).filter(
            Q(authority__isnull=True) | Q(authority=authority)
        )
    }
    form = ServiceTextForm(
        request.POST or None, initial=_initial(texts.get(authority.pk)), prefix="text"
    )
    if request.method == "POST":
        if not can_change:
            raise Http404(NOT_FOUND)
        if _save_text(request, form, service, authority):
            return redirect("backoffice:specialisation-list", pk=authority.pk)
    land = texts.get(None)
    return render(
        request,
        "backoffice/specialisation_edit.html",
        {
            "authority": authority,
            "service": service,
            "form": form,
            "land_texts": [
                (label, getattr(land, name))
                for name, label in TEXT_FIELDS
                if land and getattr(land, name)
            ],
            "can_change": can_change,
        },
    )

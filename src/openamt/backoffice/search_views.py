"""Staff pages of the Land for the portal's search: synonyms, and the queries
of the anonymous search log that found nothing or led nowhere, from which an
editor adds a search term or a synonym."""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openamt.accounts.models import User
from openamt.backoffice.service_text_views import (
    NOT_FOUND,
    PAGE_SIZE,
    ServiceKeyForm,
    TermForm,
    land_staff_or_404,
)
from openamt.catalogue.constants import SearchMiss
from openamt.catalogue.models import SearchSynonym
from openamt.catalogue.selectors import (
    search_log_entry_get,
    search_log_misses,
    search_synonym_list,
    service_search,
)
from openamt.catalogue.services import (
    search_log_dismiss,
    search_synonym_add,
    search_synonym_remove,
    service_term_add,
)
from openamt.core.errors import DomainError, NotFound
from openamt.core.text import clean_query


class SynonymForm(forms.Form):
    word = forms.CharField(
        label="Wort",
        max_length=60,
        help_text="ein Wort, wie Bürgerinnen und Bürger es schreiben, z. B. „Hochzeit“",
    )
    meaning = forms.CharField(
        label="Bedeutung im Leistungskatalog",
        max_length=120,
        help_text="1 bis 4 Wörter, wie sie in Namen von Leistungen stehen, z. B. „Eheschließung“",
    )


class LogTermForm(ServiceKeyForm, TermForm):
    """A search term for one service, from a logged query."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "leika_key" in data:
            data["service"] = data.pop("leika_key")
        return data


def _submit(
    form: forms.Form, action: Callable[..., object], request: HttpRequest, done: str
) -> bool:
    """Run a service with the form's data; its DomainError goes next to the field."""
    if not form.is_valid():
        return False
    try:
        action(actor=cast(User, request.user), **form.cleaned_data)
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return False
    messages.success(request, done)
    return True


@login_required
def synonym_list(request: HttpRequest) -> HttpResponse:
    can_change = land_staff_or_404(request)
    q = clean_query(request.GET.get("q", ""))
    initial = {"word": clean_query(request.GET.get("wort", ""), 60)}
    form = SynonymForm(request.POST or None, initial=initial, prefix="synonym")
    if request.method == "POST":
        if not can_change:
            raise Http404(NOT_FOUND)
        if _submit(form, search_synonym_add, request, "Das Synonym gilt ab sofort."):
            return redirect("backoffice:search-synonyms")
    synonyms = search_synonym_list(actor=request.user, q=q)
    page = Paginator(synonyms, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/search_synonyms.html",
        {"page": page, "q": q, "form": form, "can_change": can_change},
    )


@login_required
@require_POST
def synonym_delete(request: HttpRequest, synonym_pk: int) -> HttpResponse:
    if not land_staff_or_404(request):
        raise Http404(NOT_FOUND)
    synonym = SearchSynonym.objects.filter(pk=synonym_pk).first()
    if synonym is None:
        raise Http404("Dieses Synonym gibt es nicht.")
    search_synonym_remove(actor=cast(User, request.user), synonym=synonym)
    messages.success(request, f"Das Synonym „{synonym}“ wurde entfernt.")
    return redirect("backoffice:search-synonyms")


@login_required
def search_log(request: HttpRequest) -> HttpResponse:
    can_change = land_staff_or_404(request)
    miss = request.GET.get("liste", SearchMiss.NOTHING_FOUND)
    if miss not in SearchMiss.values:
        miss = SearchMiss.NOTHING_FOUND
    entries = search_log_misses(actor=request.user, miss=miss)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "backoffice/search_log.html",
        {"page": page, "miss": miss, "lists": SearchMiss.choices, "can_change": can_change},
    )


@login_required
def search_log_entry(request: HttpRequest, log_pk: int) -> HttpResponse:
    can_change = land_staff_or_404(request)
    try:
        entry = search_log_entry_get(actor=request.user, pk=log_pk)
    except NotFound as error:
        raise Http404(error.message) from error
    first_word = entry.query.split()[0] if entry.query else ""
    term_form = LogTermForm(prefix="begriff", initial={"term": entry.query})
    synonym_form = SynonymForm(prefix="synonym", initial={"word": first_word})
    if request.method == "POST":
        if not can_change:
            raise Http404(NOT_FOUND)
        if "begriff-term" in request.POST:
            term_form = LogTermForm(request.POST, prefix="begriff")
            if _submit(term_form, service_term_add, request, "Der Suchbegriff gilt ab sofort."):
                return redirect("backoffice:search-log-entry", log_pk=entry.pk)
        else:
            synonym_form = SynonymForm(request.POST, prefix="synonym")
            if _submit(synonym_form, search_synonym_add, request, "Das Synonym gilt ab sofort."):
                return redirect("backoffice:search-log-entry", log_pk=entry.pk)
    return render(
        request,
        "backoffice/search_log_entry.html",
        {
            "entry": entry,
            "found": service_search(q=entry.query)[:5],
            "term_form": term_form,
            "synonym_form": synonym_form,
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def search_log_entry_dismiss(request: HttpRequest, log_pk: int) -> HttpResponse:
    if not land_staff_or_404(request):
        raise Http404(NOT_FOUND)
    try:
        entry = search_log_entry_get(actor=request.user, pk=log_pk)
    except NotFound as error:
        raise Http404(error.message) from error
    search_log_dismiss(actor=cast(User, request.user), entry=entry)
    messages.success(request, f"„{entry.query}“ steht nicht mehr auf der Liste.")
    return redirect("backoffice:search-log")

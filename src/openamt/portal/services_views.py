"""Portal pages of the Zuständigkeitsfinder: find a service, then who is responsible where."""

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from openamt.catalogue import selectors as catalogue
from openamt.catalogue.legal import legal_references
from openamt.catalogue.models import Service
from openamt.catalogue.services import (
    search_log_record,
    search_result_open,
    search_result_token,
)
from openamt.core.errors import NotFound
from openamt.core.text import clean_query
from openamt.forms.requirements import form_requirements
from openamt.forms.selectors import published_forms
from openamt.organisations.selectors import authority_for_region
from openamt.responsibility.selectors import responsibility_answer_for

PAGE_SIZE = 20


def service_search(request: HttpRequest) -> HttpResponse:
    q = clean_query(request.GET.get("q", ""))
    lebenslage = clean_query(request.GET.get("lebenslage", ""))
    themenfeld = clean_query(request.GET.get("themenfeld", ""))
    context: dict = {"q": q, "lebenslage": lebenslage, "themenfeld": themenfeld}
    if "q" in request.GET and not q and not (lebenslage or themenfeld):
        context["error"] = (
            "Bitte geben Sie ein, was Sie erledigen möchten, zum Beispiel „Wohnsitz anmelden“."
        )
    htmx = bool(request.headers.get("HX-Request"))
    if q or lebenslage or themenfeld:
        results = catalogue.service_search(
            q=q, lebenslage=lebenslage or None, themenfeld=themenfeld or None
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("seite"))
        context["page"] = page
        context["results"] = _results(page, q, htmx=htmx)
    else:
        context["lebenslagen"] = catalogue.lebenslagen()
        context["themenfelder"] = catalogue.themenfelder()
    template = "portal/_service_results.html" if htmx else "portal/service_search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _results(page: Page, q: str, *, htmx: bool) -> list[tuple[Service, str]]:
    """(service, link) of a page of results. For a text search the search is
    counted (a submitted first page; live results while typing are counted when
    one is opened) and each link counts its opening."""
    if not q:
        return [(s, reverse("portal:service-detail", args=[s.leika_key])) for s in page]
    counted = not htmx and page.number == 1
    total = page.paginator.count
    if counted:
        search_log_record(query=q, result_count=total)
    links = []
    for service in page:
        token = search_result_token(
            query=q, leika_key=service.leika_key, counted=counted, result_count=total
        )
        url = reverse("portal:service-result", args=[service.leika_key])
        links.append((service, f"{url}?{urlencode({'t': token})}"))
    return links


@require_GET
def service_result(request: HttpRequest, leika_key: str) -> HttpResponse:
    """A search result opened: counted in the search log (once per link, see
    search_result_open), then on to the service page. Nothing about the person
    is stored; the link only carries the query and the service."""
    search_result_open(token=request.GET.get("t", ""), leika_key=leika_key)
    response = redirect("portal:service-detail", leika_key=leika_key)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def service_detail(request: HttpRequest, leika_key: str) -> HttpResponse:
    try:
        service = catalogue.service_get(leika_key=leika_key)
    except NotFound as error:
        raise Http404(error.message) from error
    place_query = clean_query(request.GET.get("ort", ""))
    context: dict = {"service": service, "ort": place_query}
    owners: tuple[int | None, ...] = (None,)  # before a place is known: the Land's forms
    authority_id = None
    if "ort" in request.GET:
        if not place_query:
            context["error"] = "Bitte geben Sie Ihren Wohnort, Ortsteil oder Ihre Postleitzahl ein."
        else:
            _answer(context, service, place_query)
            finding = context.get("answer") and context["answer"].finding
            if finding:
                authority_id = finding.authority.pk
                owners = (None, authority_id)
    texts = catalogue.service_texts(service=service, authority_id=authority_id)
    context["texts"] = texts
    context["references"] = legal_references(texts.get("legal_basis", ""))
    # What each online form asks before the start (account level, uploads, fees).
    context["online_forms"] = [
        (version, form_requirements(version.definition))
        for version in published_forms(leika_key=service.leika_key)[:10]
        if version.form.owner_id in owners
    ]
    return render(request, "portal/service_detail.html", context)


def _answer(context: dict, service: Service, place_query: str) -> None:
    try:
        answer = responsibility_answer_for(service=service, place_query=place_query)
    except NotFound:
        context["error"] = (
            f"Zu „{place_query}“ kennen wir keinen Ort in Deutschland. Prüfen Sie die "
            "Schreibweise oder geben Sie die Postleitzahl ein."
        )
        return
    context["answer"] = answer
    if answer.finding:
        # The Gemeinden to apply for (a postcode may cover several with the same authority).
        context["apply_places"] = [answer.place] if answer.place else answer.places[:10]
    elif answer.place is not None:
        context["administering"] = authority_for_region(region=answer.place)

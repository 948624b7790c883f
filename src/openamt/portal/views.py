from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from openamt.core.errors import NotFound
from openamt.core.text import clean_query
from openamt.organisations.selectors import authority_for_region
from openamt.regions import selectors
from openamt.regions.constants import Level

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def region_search(request: HttpRequest) -> HttpResponse:
    q = clean_query(request.GET.get("q", ""))
    page = None
    error = ""
    if "q" in request.GET and not q:
        error = "Bitte geben Sie einen Ort, einen Ortsteil oder eine Postleitzahl ein."
    elif q:
        results = selectors.region_search(q=q, level=Level.GEMEINDE).select_related(
            "parent__parent"
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("seite"))
    template = (
        "portal/_region_results.html"
        if request.headers.get("HX-Request")
        else "portal/region_search.html"
    )
    response = render(request, template, {"q": q, "page": page, "error": error})
    # The same URL answers htmx with a fragment: caches must keep them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def region_detail(request: HttpRequest, ars: str) -> HttpResponse:
    if not ars.isdigit():
        raise Http404
    try:
        region = selectors.region_get(key=ars)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request,
        "portal/region_detail.html",
        {
            "region": region,
            "ancestors": selectors.region_ancestors(region=region),
            "authorities": authority_for_region(region=region),
            "postcodes": selectors.region_postcodes(region=region),
            "place_names": selectors.region_place_names(region=region),
        },
    )

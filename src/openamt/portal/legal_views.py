"""The portal's legal pages: Impressum, Datenschutzerklärung, Erklärung zur
Barrierefreiheit, Kontakt (texts kept by the Land in the staff area)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openamt.portal.constants import LegalPageKind
from openamt.portal.selectors import legal_page_get


def legal_page(request: HttpRequest, kind: str) -> HttpResponse:
    text = legal_page_get(kind=LegalPageKind(kind))
    return render(request, "portal/legal_page.html", {"text": text})

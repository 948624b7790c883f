"""Staff page: the applications an authority received (its Eingang)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openamt.backoffice.views import authority_or_404
from openamt.submissions.models import Submission

PAGE_SIZE = 25


@login_required
def inbox(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    submissions = (
        Submission.objects.filter(authority=authority)
        .select_related("version__form", "place")
        .only("reference", "status", "submitted_at", "version__form__title", "place__name")
        .order_by("-submitted_at", "-pk")
    )
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "backoffice/inbox.html", {"authority": authority, "page": page})

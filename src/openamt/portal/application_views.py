""" "Meine Anträge": the holder's drafts and applications, each application
with its status in plain words and what the authority expects of them
(see `portal.applications` for why this page lives in the portal)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from openamt.accounts.auth import account_required, holder
from openamt.portal.applications import application_rows
from openamt.submissions.selectors import drafts_of_holder, submissions_of_holder

PAGE_SIZE = 20


@account_required
def my_applications(request: HttpRequest) -> HttpResponse:
    user = holder(request)
    if user is None:  # account_required lets only holders in
        raise Http404
    draft_page = Paginator(drafts_of_holder(user=user), PAGE_SIZE).get_page(
        request.GET.get("entwuerfe")
    )
    for draft in draft_page:
        # The step last worked on; the step page itself sends an unknown one to the first.
        draft.continue_url = reverse(  # type: ignore[attr-defined]
            "submissions:step",
            kwargs={"public_id": draft.public_id, "step": draft.step or "start"},
        )
    page = Paginator(submissions_of_holder(user=user).select_related("case"), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "portal/my_applications.html",
        {
            "drafts": draft_page,
            "submissions": page,
            "rows": application_rows(page.object_list),
            "retention_days": settings.OPENAMT_DRAFT_RETENTION_DAYS,
        },
    )

"""Staff pages of a case's decisions (Bescheide): the panel for the case page,
drafting from a template, editing, the PDF preview, sign-off, issuing, the
sealed PDF, and the authority's post batches (Briefversand).

Every case page addresses its case through `cases.selectors.case_get`
(another authority's or team's case: 404; an auditor may read, not act: 403);
every step is a service of `cases.decisions`, which enforces the rules again.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from openamt.accounts.models import User
from openamt.backoffice.decision_forms import DecisionForm, DraftForm, PostBatchForm
from openamt.cases.constants import CaseStatus
from openamt.cases.decisions import (
    PLACEHOLDERS,
    decision_bekanntgabe,
    decision_cosign,
    decision_draft,
    decision_issue,
    decision_pdf,
    decision_submit,
    decision_to_post,
    decision_update,
    post_batch_create,
    post_pending,
)
from openamt.cases.models import Case, Decision, PostBatch
from openamt.cases.selectors import WRITERS, case_get, case_require_writer, case_roles
from openamt.core.errors import DomainError, NotFound, PermissionDenied
from openamt.core.money import euros_display
from openamt.mailbox.documents import download
from openamt.organisations.models import Authority

S = Decision.Status
PAGE_SIZE = 20
# Form field of each service field (the service speaks of cents, the form of euros).
FORM_FIELD = {"fee_cents": "fee"}
ACTIONS = ("submit", "cosign", "return", "issue", "post")
DONE = {
    "submit": "Der Bescheid ist abgeschlossen.",
    "cosign": "Sie haben den Bescheid mitgezeichnet; er ist freigegeben.",
    "return": "Der Bescheid ist zur Überarbeitung zurückgegeben.",
    "issue": "Der Bescheid ist erlassen, gesiegelt und in der Akte.",
    "post": "Der Bescheid geht mit dem nächsten Briefversand per Post.",
}


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _case(request: HttpRequest, case_id: uuid.UUID, *, change: bool = False) -> Case:
    try:
        return case_get(user=request.user, public_id=case_id, change=change)
    except NotFound as error:
        raise Http404(error.message) from error
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error


def _decision(case: Case, decision_id: uuid.UUID) -> Decision:
    decision = (
        Decision.objects.select_related(
            "case__authority", "case__service", "author", "cosigner", "document__document"
        )
        .filter(case=case, public_id=decision_id)
        .first()
    )
    if decision is None:
        raise Http404("Diesen Bescheid gibt es nicht.")
    return decision


def _retrieved_at(decision: Decision) -> datetime.datetime | None:
    if decision.retrieved_at is not None:
        return decision.retrieved_at
    return decision.message.first_opened_at if decision.message is not None else None


def _annotate(decision: Decision, today: datetime.date) -> Decision:
    """Attach what the panel shows of the Bekanntgabe: as of today, from the
    stored dates once made known (`decisions_watch`, the post batch)."""
    bekanntgabe = decision_bekanntgabe(decision, today=today)
    extra: Any = decision
    extra.bekanntgabe = bekanntgabe
    extra.retrieved = _retrieved_at(decision)
    extra.made_known = decision.made_known_on or (bekanntgabe and bekanntgabe.made_known_on)
    extra.remedy_ends = decision.remedy_ends_on or (
        bekanntgabe and bekanntgabe.objection_period_ends_on
    )
    extra.lapsed = bool(
        bekanntgabe is not None
        and decision.route == Decision.Route.MAILBOX
        and bekanntgabe.retrieval_lapsed
    )
    extra.may_go_by_post = (
        decision.status == S.ISSUED
        and decision.post_batch_id is None
        and extra.retrieved is None
        and (decision.route != Decision.Route.POST)
        and (extra.lapsed or decision.message_id is None)
    )
    extra.waits_for_post = (
        decision.status == S.ISSUED
        and decision.route == Decision.Route.POST
        and decision.post_batch_id is None
    )
    return decision


def panel_context(*, case: Case, user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """What `backoffice/case_decisions.html` shows of a case (also for the case page)."""
    today = today or timezone.localdate()
    decisions = (
        Decision.objects.filter(case=case)
        .select_related("author", "cosigner", "message", "post_batch", "document__document")
        .order_by("-created_at", "-pk")
    )
    can_write = bool(case_roles(user=user, authority_id=case.authority_id) & WRITERS)
    return {
        "case": case,
        "decisions": [_annotate(decision, today) for decision in decisions],
        "can_write": can_write,
        "can_draft": can_write and case.status == CaseStatus.IN_PROGRESS,
    }


def _case_page(
    request: HttpRequest, case: Case, *, draft_form: DraftForm | None = None, status: int = 200
) -> HttpResponse:
    # The page's panel (the template tag) reads the form with its errors from here.
    context = {"case": case, "draft_form": draft_form or DraftForm(case=case)}
    return render(request, "backoffice/decisions_of_case.html", context, status=status)


@login_required
def case_decisions(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The case's decisions with "Bescheid entwerfen"; POST drafts one."""
    if request.method != "POST":
        return _case_page(request, _case(request, case_id))
    case = _case(request, case_id, change=True)
    form = DraftForm(request.POST, case=case)
    if form.is_valid():
        try:
            decision = decision_draft(
                actor=_user(request), case=case, template=form.cleaned_data["template"]
            )
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except DomainError as error:
            form.add_error("template", error.message)
        else:
            flash.success(request, "Der Entwurf ist angelegt.")
            return redirect(
                "backoffice:case-decision", case_id=case.public_id, decision_id=decision.public_id
            )
    return _case_page(request, case, draft_form=form, status=422)


def _decision_page(
    request: HttpRequest,
    decision: Decision,
    *,
    form: DecisionForm | None = None,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    case = decision.case
    can_write = bool(case_roles(user=request.user, authority_id=case.authority_id) & WRITERS)
    if form is None and decision.status == S.DRAFT:
        form = DecisionForm(initial=DecisionForm.initial_of(decision))
    context = {
        "case": case,
        "decision": _annotate(decision, timezone.localdate()),
        "form": form,
        "extra_errors": errors or [],
        "can_write": can_write,
        "is_author": decision.author_id == request.user.pk,
        "fee": euros_display(decision.fee_cents),
        "placeholders": [(f"{{{{ {name} }}}}", text) for name, text in PLACEHOLDERS.items()],
    }
    return render(request, "backoffice/decision_detail.html", context, status=status)


@login_required
def decision_detail(
    request: HttpRequest, case_id: uuid.UUID, decision_id: uuid.UUID
) -> HttpResponse:
    """The decision; POST saves the draft's texts and fee."""
    if request.method != "POST":
        case = _case(request, case_id)
        return _decision_page(request, _decision(case, decision_id))
    case = _case(request, case_id, change=True)
    decision = _decision(case, decision_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decision_update(actor=_user(request), decision=decision, data=form.data_for_service())
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except DomainError as error:
            field = FORM_FIELD.get(error.field or "", error.field)
            form.add_error(field if field in form.fields else None, error.message)
        else:
            flash.success(request, "Der Entwurf ist gespeichert.")
            return redirect(
                "backoffice:case-decision", case_id=case.public_id, decision_id=decision.public_id
            )
    return _decision_page(request, decision, form=form, status=422)


def _act(actor: User, decision: Decision, action: str) -> Decision:
    if action == "submit":
        return decision_submit(actor=actor, decision=decision)
    if action in ("cosign", "return"):
        return decision_cosign(actor=actor, decision=decision, approve=action == "cosign")
    if action == "issue":
        return decision_issue(actor=actor, decision=decision)
    return decision_to_post(actor=actor, decision=decision)


@login_required
@require_POST
def decision_action(
    request: HttpRequest, case_id: uuid.UUID, decision_id: uuid.UUID
) -> HttpResponse:
    """One step of the decision (`action`): submit, cosign, return, issue, post.
    A refusal of the service is shown on the decision page, nothing changed."""
    case = _case(request, case_id, change=True)
    decision = _decision(case, decision_id)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        return _decision_page(
            request, decision, errors=[("", "Dieser Schritt ist unbekannt.")], status=400
        )
    try:
        decision = _act(_user(request), decision, action)
    except DomainError as error:
        decision.refresh_from_db()
        anchor = f"id_{FORM_FIELD.get(error.field or '', error.field)}" if error.field else ""
        if decision.status != S.DRAFT:
            anchor = ""  # the fields are shown only while a draft is edited
        return _decision_page(
            request, decision, errors=[(anchor, error.message)], status=error.status
        )
    message = DONE[action]
    if action == "submit" and decision.status == S.COSIGN:
        message = "Der Bescheid liegt zur Mitzeichnung vor."
    elif action == "submit":
        message = "Der Bescheid ist freigegeben und kann erlassen werden."
    elif action == "issue" and decision.route == Decision.Route.POST:
        message += " Der Antragsteller hat kein Postfach: er geht mit dem nächsten Briefversand."
    elif action == "issue":
        message += " Er ist im Postfach des Antragstellers zum Abruf bereitgestellt."
    flash.success(request, message)
    return redirect(
        "backoffice:case-decision", case_id=case.public_id, decision_id=decision.public_id
    )


@login_required
@require_GET
def decision_preview(
    request: HttpRequest, case_id: uuid.UUID, decision_id: uuid.UUID
) -> HttpResponse:
    """The decision rendered as it would be issued today, unsealed, shown in the browser."""
    decision = _decision(_case(request, case_id), decision_id)
    response = HttpResponse(decision_pdf(decision, draft=True), content_type="application/pdf")
    name = f"Vorschau Bescheid {decision.case.file_number}.pdf".replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def decision_file(request: HttpRequest, case_id: uuid.UUID, decision_id: uuid.UUID) -> FileResponse:
    """The sealed PDF of an issued decision, as filed in the case."""
    decision = _decision(_case(request, case_id), decision_id)
    if decision.document is None:
        raise Http404("Dieser Bescheid ist noch nicht erlassen.")
    return download(decision.document.document, f"Bescheid {decision.case.file_number}.pdf")


def _authority(request: HttpRequest, pk: int) -> Authority:
    """The authority, for its own case staff only (everyone else: 404)."""
    authority = Authority.objects.filter(pk=pk).first()
    if authority is None or not case_roles(user=request.user, authority_id=authority.pk):
        raise Http404("Diese Behörde gibt es nicht oder Sie haben keinen Zugriff.")
    return authority


def _post_page(
    request: HttpRequest, authority: Authority, *, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    batches = (
        PostBatch.objects.filter(authority=authority)
        .select_related("created_by")
        .annotate(letters=Count("decisions"))
        .order_by("-posted_on", "-pk")
    )
    pending = post_pending(authority_id=authority.pk)
    context = {
        "authority": authority,
        "pending": pending,
        "page": Paginator(batches, PAGE_SIZE).get_page(request.GET.get("seite")),
        "form": form or PostBatchForm(initial={"posted_on": timezone.localdate()}),
        "can_write": bool(case_roles(user=request.user, authority_id=authority.pk) & WRITERS),
    }
    return render(request, "backoffice/decision_post.html", context, status=status)


@login_required
def post_batches(request: HttpRequest, pk: int) -> HttpResponse:
    """Decisions waiting for the post and the batches so far; POST makes the batch."""
    authority = _authority(request, pk)
    if request.method != "POST":
        return _post_page(request, authority)
    try:
        case_require_writer(user=request.user, authority_id=authority.pk)
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error
    form = PostBatchForm(request.POST)
    if form.is_valid():
        try:
            batch = post_batch_create(
                actor=_user(request),
                authority_id=authority.pk,
                posted_on=form.cleaned_data["posted_on"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if batch is None:
                flash.info(request, "Kein Bescheid wartet auf den Briefversand.")
            else:
                flash.success(
                    request,
                    f"Der Briefversand vom {batch.posted_on:%d.%m.%Y} ist erstellt; "
                    "bitte laden Sie das PDF herunter, drucken und versenden Sie es.",
                )
            return redirect("backoffice:post-batches", pk=authority.pk)
    return _post_page(request, authority, form=form, status=422)


@login_required
@require_GET
def post_batch_file(request: HttpRequest, pk: int, batch_pk: int) -> FileResponse:
    """The PDF of one batch: every letter, to print and post."""
    authority = _authority(request, pk)
    batch = PostBatch.objects.select_related("document").filter(authority=authority, pk=batch_pk)
    found = batch.first()
    if found is None:
        raise Http404("Diesen Briefversand gibt es nicht.")
    return download(found.document, f"Briefversand {found.posted_on:%Y-%m-%d}.pdf")

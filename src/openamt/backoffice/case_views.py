"""Staff pages of one case (Vorgang): everything about it on one page, the
actions of case work as plain forms (no scripting needed), the documents of
its electronic file, and the case opened by hand for paper, phone, counter and
e-mail applications.

A case is loaded through `cases.selectors.case_get`: another authority's or
another team's case is "not found" (404), and an auditor who sends a form is
refused (403) before anything changes. Errors of case work are the services'
(`cases.services`, `cases.files`), shown in German next to their field and in
the error summary.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from openamt.accounts.models import User
from openamt.backoffice import case_forms
from openamt.backoffice.views import authority_or_404
from openamt.cases import files, services
from openamt.cases.constants import Channel, DocumentKind
from openamt.cases.history import case_history
from openamt.cases.models import Case, CaseDocument, Team
from openamt.cases.selectors import (
    WRITERS,
    assignable_users,
    case_get,
    case_require_writer,
    case_roles,
)
from openamt.catalogue.models import Service
from openamt.catalogue.selectors import service_search
from openamt.core.errors import DomainError
from openamt.core.files import files_removed_on_failure
from openamt.core.models import OutboxStatus
from openamt.core.text import clean_query
from openamt.forms.display import answer_rows
from openamt.mailbox.documents import PDF, download
from openamt.submissions.models import DeliveryJob, ReceiptJob
from openamt.submissions.registry import delivery_targets

# What the page shows of a case besides its own row.
CASE_RELATED = (
    "service",
    "assignee",
    "team",
    "filing_plan_entry",
    "submission__version__form",
)
# Types a browser shows itself; anything else is only offered for download.
INLINE_TYPES = frozenset({PDF, "image/png", "image/jpeg"})
# A document opened in the browser may not run anything or load anything from
# elsewhere, whatever it contains (a PDF may carry scripts).
DOCUMENT_POLICY = "; ".join(
    [
        "default-src 'none'",
        "img-src 'self'",
        "object-src 'self'",
        "style-src 'unsafe-inline'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
)
# Forms of the page by their prefix (ids on the page: "id_<prefix>-<field>").
PREFIXES = {
    "assign": "zuweisung",
    "transition": "status",
    "update": "merkmale",
    "note": "vermerk",
    "document": "dokument",
}
SERVICE_CHOICES = 50


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required


def _writable_case(request: HttpRequest, case_id: uuid.UUID) -> Case:
    """The case a caseworker may work on; NotFound (404) or PermissionDenied
    (403) go to the error middleware, which shows them in German."""
    return case_get(user=request.user, public_id=case_id, change=True)


def _current(documents: list[CaseDocument]) -> list[CaseDocument]:
    """The newest version of each document (those no other version replaces)."""
    replaced = {document.replaces_id for document in documents if document.replaces_id}
    return [document for document in documents if document.pk not in replaced]


def _target_label(channel: str) -> str:
    try:
        return delivery_targets.get(channel).label
    except DomainError:  # a target no longer installed: its id is all there is
        return channel


def _deliveries(case: Case) -> tuple[list[dict[str, Any]], ReceiptJob | None]:
    """The submission's delivery jobs (target label, status, attempts, last
    error) and its receipt job; none for a case opened by hand."""
    if case.submission_id is None:
        return [], None
    jobs = [
        {
            "target": _target_label(job.channel),
            "status": job.get_status_display(),
            "attempts": job.attempts,
            "error": job.last_error,
            "done_at": job.done_at,
            # A parked job keeps the time of the attempt it no longer makes.
            "next_attempt_at": job.next_attempt_at if job.status == OutboxStatus.PENDING else None,
        }
        for job in DeliveryJob.objects.filter(submission_id=case.submission_id).order_by("pk")
    ]
    receipt = ReceiptJob.objects.filter(submission_id=case.submission_id).first()
    return jobs, receipt


def _forms(
    case: Case, current: list[CaseDocument], users: list[User], teams: list[Team]
) -> dict[str, Form]:
    return {
        "assign": case_forms.AssignForm(
            prefix=PREFIXES["assign"],
            users=users,
            teams=teams,
            initial={"assignee": case.assignee_id, "team": case.team_id},
        ),
        "transition": case_forms.TransitionForm(prefix=PREFIXES["transition"], case=case),
        "update": case_forms.CaseUpdateForm(
            prefix=PREFIXES["update"],
            initial={
                "priority": case.priority,
                "tags": ", ".join(case.tags),
                "resubmission_on": case.resubmission_on,
            },
        ),
        "note": case_forms.NoteForm(prefix=PREFIXES["note"]),
        "document": case_forms.DocumentForm(prefix=PREFIXES["document"], current=current),
    }


def _page(
    request: HttpRequest,
    case: Case,
    *,
    failed: tuple[str, Form] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The case page; `failed` is the form (by name) whose errors it shows,
    `extra` more context for the template's sections (its messages)."""
    user = request.user
    can_change = bool(case_roles(user=user, authority_id=case.authority_id) & WRITERS)
    documents = list(case.documents.select_related("document"))
    current = _current(documents)
    submission = case.submission
    answers = answer_rows(submission.version.definition, submission.answers) if submission else []
    deliveries, receipt = _deliveries(case)
    context: dict[str, Any] = {
        "case": case,
        "authority_id": case.authority_id,
        "can_change": can_change,
        "answers": answers,
        "documents": documents,
        "current_ids": {document.pk for document in current},
        "application": next((d for d in documents if d.kind == DocumentKind.APPLICATION), None),
        "deliveries": deliveries,
        "receipt": receipt,
        "history": case_history(case=case),
        "today": timezone.localdate(),
        **(extra or {}),
    }
    if can_change:
        users = list(assignable_users(authority_id=case.authority_id))
        teams = list(Team.objects.filter(authority_id=case.authority_id).order_by("name"))
        forms = _forms(case, current, users, teams)
        if failed is not None:
            forms[failed[0]] = failed[1]
            context["form"] = failed[1]  # the error summary's
        context["forms"] = forms
        context["is_assignee"] = case.assignee_id == user.pk
    return render(request, "backoffice/case.html", context, status=422 if failed else 200)


def _field(form: Form, error: DomainError) -> str | None:
    return error.field if error.field in form.fields else None


def _act(
    request: HttpRequest,
    case_id: uuid.UUID,
    name: str,
    make: Callable[[Case], Form],
    act: Callable[[Case, Form], str],
) -> HttpResponse:
    """One action of the page: the form `name` made by `make`; if it is valid,
    `act` runs the service and returns the confirmation. A DomainError goes
    to its field and the page is shown again with nothing changed."""
    case = _writable_case(request, case_id)
    form = make(case)
    if form.is_valid():
        try:
            # All or nothing: a document stored for a version the file then refuses goes again.
            with files_removed_on_failure(), transaction.atomic():
                confirmation = act(case, form)
        except DomainError as error:
            form.add_error(_field(form, error), error.message)
        else:
            messages.success(request, confirmation)
            return redirect("backoffice:case", case_id=case.public_id)
    case = case_get(user=request.user, public_id=case_id, related=CASE_RELATED)
    return _page(request, case, failed=(name, form))


@login_required
@require_safe
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _page(request, case_get(user=request.user, public_id=case_id, related=CASE_RELATED))


@login_required
@require_POST
def case_assign_self(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _writable_case(request, case_id)
    services.cases_assign(actor=_user(request), cases=[case], assignee=_user(request))
    messages.success(request, "Der Vorgang ist Ihnen zugewiesen.")
    return redirect("backoffice:case", case_id=case.public_id)


@login_required
@require_POST
def case_assign(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    def make(case: Case) -> Form:
        return case_forms.AssignForm(
            request.POST,
            prefix=PREFIXES["assign"],
            users=list(assignable_users(authority_id=case.authority_id)),
            teams=list(Team.objects.filter(authority_id=case.authority_id)),
        )

    def act(case: Case, form: Form) -> str:
        data = form.cleaned_data
        assignee = form.users.get(data["assignee"]) if data["assignee"] else None  # type: ignore[attr-defined]
        team = data.get("team", services.Keep.TEAM)  # no field: the authority has no teams
        services.cases_assign(actor=_user(request), cases=[case], assignee=assignee, team=team)
        return "Die Zuständigkeit ist gespeichert."

    return _act(request, case_id, "assign", make, act)


@login_required
@require_POST
def case_transition(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    def make(case: Case) -> Form:
        return case_forms.TransitionForm(request.POST, prefix=PREFIXES["transition"], case=case)

    def act(case: Case, form: Form) -> str:
        moved = services.case_transition(
            actor=_user(request),
            case=case,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"].strip(),
        )
        return f"Der Vorgang ist jetzt „{moved.get_status_display()}“."

    return _act(request, case_id, "transition", make, _field_error(act, "to"))


def _field_error(act: Callable[[Case, Form], str], field: str) -> Callable[[Case, Form], str]:
    """`act`, with a field-less DomainError put at `field` (the transition
    table's refusal names no field; the page shows it at the status choice)."""

    def wrapped(case: Case, form: Form) -> str:
        try:
            return act(case, form)
        except DomainError as error:
            if error.field is None:
                error.field = field
            raise

    return wrapped


@login_required
@require_POST
def case_update(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    def make(case: Case) -> Form:
        return case_forms.CaseUpdateForm(request.POST, prefix=PREFIXES["update"])

    def act(case: Case, form: Form) -> str:
        data = form.cleaned_data
        services.case_update(
            actor=_user(request),
            case=case,
            priority=data["priority"],
            tags=form.tag_list(),  # type: ignore[attr-defined]
            resubmission_on=data["resubmission_on"],
        )
        return "Priorität, Schlagworte und Wiedervorlage sind gespeichert."

    return _act(request, case_id, "update", make, act)


@login_required
@require_POST
def case_note(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    def make(case: Case) -> Form:
        return case_forms.NoteForm(request.POST, prefix=PREFIXES["note"])

    def act(case: Case, form: Form) -> str:
        services.case_note_add(actor=_user(request), case=case, text=form.cleaned_data["text"])
        return "Der Vermerk ist in der Akte."

    return _act(request, case_id, "note", make, act)


@login_required
@require_POST
def case_document_add(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    def make(case: Case) -> Form:
        current = _current(list(case.documents.all()))
        return case_forms.DocumentForm(
            request.POST, request.FILES, prefix=PREFIXES["document"], current=current
        )

    def act(case: Case, form: Form) -> str:
        data = form.cleaned_data
        upload: UploadedFile = data["datei"]
        replaces = form.current.get(data["replaces"]) if data["replaces"] else None  # type: ignore[attr-defined]
        name = upload.name or "dokument"
        added = files.file_document_add(
            case=case,
            kind=data["kind"],
            title=data["title"].strip() or name,
            data=upload.read(),
            name=name,
            author=_user(request),
            author_name=files.display_name(_user(request)),
            replaces=replaces,
        )
        return f"„{added.title}“ ist als Version {added.version} in der Akte."

    return _act(request, case_id, "document", make, _field_error(act, "replaces"))


def _document(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> CaseDocument:
    case = case_get(user=request.user, public_id=case_id)
    entry = (
        CaseDocument.objects.select_related("document")
        .filter(case=case, public_id=document_id)
        .first()
    )
    if entry is None:
        raise Http404("Dieses Dokument gibt es in dieser Akte nicht.")
    return entry


@login_required
@require_safe
def case_document(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> FileResponse:
    """A document shown in the browser (PDF, image) under the strict policy
    above; any other type is offered as a download."""
    entry = _document(request, case_id, document_id)
    if entry.document.content_type not in INLINE_TYPES:
        return download(entry.document, entry.filename)
    response = FileResponse(
        entry.document.file.open("rb"),
        content_type=entry.document.content_type,
        as_attachment=False,
        filename=entry.filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOCUMENT_POLICY
    return response


@login_required
@require_safe
def case_document_download(
    request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID
) -> FileResponse:
    entry = _document(request, case_id, document_id)
    return download(entry.document, entry.filename)


def _services_offered(authority_id: int, q: str, chosen: Any) -> list[Service]:
    """The services the select offers: the catalogue's matches for `q`, else
    the services the authority already has cases or Zuständigkeiten for; the
    one already chosen is always among them."""
    if q:
        offered = list(service_search(q=q)[:SERVICE_CHOICES])
    else:
        known = set(
            Case.objects.filter(authority_id=authority_id)
            .order_by()
            .values_list("service_id", flat=True)
            .distinct()[:500]
        )
        known |= set(
            Service.objects.filter(responsibilities__authority_id=authority_id).values_list(
                "pk", flat=True
            )[:500]
        )
        offered = list(Service.objects.filter(pk__in=known).order_by("name")[:SERVICE_CHOICES])
    if chosen and str(chosen).isdigit() and all(s.pk != int(chosen) for s in offered):
        offered += list(Service.objects.filter(pk=int(chosen)))
    return offered


@login_required
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    """A case by hand: the catalogue's service (searched on the same page),
    the channel, the applicant with postal address, the day it came in and
    the scanned documents. Auditors are refused (403)."""
    authority = authority_or_404(request, pk)
    case_require_writer(user=request.user, authority_id=authority.pk)
    q = clean_query(request.GET.get("q", "") or request.POST.get("q", ""))
    chosen = request.POST.get("service") if request.method == "POST" else None
    offered = _services_offered(authority.pk, q, chosen)
    if request.method == "POST":
        form = case_forms.ManualCaseForm(request.POST, request.FILES, services=offered)
        if form.is_valid():
            data = form.cleaned_data
            received = datetime.datetime.combine(
                data["received_on"], datetime.time(12), tzinfo=timezone.get_current_timezone()
            )
            if data["received_on"] == timezone.localdate():
                received = timezone.now()
            try:
                with files_removed_on_failure():
                    case = services.case_open(
                        actor=_user(request),
                        authority=authority,
                        service=data["service"],
                        channel=data["channel"],
                        applicant_name=data["name"],
                        applicant_address={k: data[k] for k in ("street", "postcode", "city")},
                        received_at=received,
                        scans=[
                            services.Upload(name=upload.name or "scan", data=upload.read())
                            for upload in data["scans"]
                        ],
                    )
            except DomainError as error:
                form.add_error(_field(form, error), error.message)
            else:
                messages.success(request, f"Der Vorgang {case.file_number} ist angelegt.")
                return redirect("backoffice:case", case_id=case.public_id)
    else:
        form = case_forms.ManualCaseForm(
            services=offered,
            initial={"received_on": timezone.localdate(), "channel": Channel.PAPER},
        )
    return render(
        request,
        "backoffice/case_new.html",
        {"authority": authority, "form": form, "q": q, "offered": offered},
        status=422 if form.errors else 200,
    )

"""Staff pages of a case's Postfach communication: its messages and the
applicant's replies with their files, "Nachricht senden" and "Nachforderung
stellen". Every page addresses a case through `cases.selectors.case_get`
(another authority's or team's case: 404; an auditor may read, not send: 403)."""

from __future__ import annotations

import datetime
import uuid
from typing import Any, cast

from django import forms
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from openamt.accounts.models import User
from openamt.cases.messages import case_message_send, case_messages_of, has_postfach
from openamt.cases.models import Case
from openamt.cases.requests import (
    MAX_ITEMS,
    RequestItem,
    information_request_create,
    information_requests_of_case,
    is_overdue,
)
from openamt.cases.selectors import WRITERS, case_get, case_roles
from openamt.core.errors import DomainError, NotFound, PermissionDenied
from openamt.mailbox.documents import MAX_DOCUMENT_BYTES, download
from openamt.mailbox.models import Attachment, ReplyAttachment
from openamt.mailbox.services import MAX_BODY, Upload
from openamt.mailbox.views import MultipleFileField, MultipleFileInput

ITEM_ROWS = 5  # item rows the form offers without JavaScript


class MessageForm(forms.Form):
    subject = forms.CharField(
        label="Betreff",
        max_length=200,
        error_messages={"required": "Bitte geben Sie einen Betreff an."},
    )
    body = forms.CharField(
        label="Text",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Bitte schreiben Sie die Nachricht."},
    )
    documents = MultipleFileField(
        label="Dokumente",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf"}),
        help_text=f"PDF, je höchstens {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB",
    )


class RequestForm(forms.Form):
    deadline = forms.DateField(
        label="Frist (letzter Tag)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Bitte geben Sie die Frist an.",
            "invalid": "Bitte geben Sie die Frist als Datum an, z. B. 2026-12-31.",
        },
    )
    note = forms.CharField(
        label="Hinweis an den Antragsteller",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{number}"] = forms.CharField(
                label=f"Unterlage oder Angabe {number}", required=False, max_length=200
            )
            self.fields[f"file_{number}"] = forms.BooleanField(
                label="Datei erwartet", required=False
            )

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"item_{n}"], self[f"file_{n}"]) for n in range(1, ITEM_ROWS + 1)]

    def items(self) -> list[RequestItem]:
        data = self.cleaned_data
        return [
            RequestItem(label=data[f"item_{n}"], file=data[f"file_{n}"])
            for n in range(1, min(ITEM_ROWS, MAX_ITEMS) + 1)
            if data.get(f"item_{n}", "").strip()
        ]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _case(request: HttpRequest, case_id: uuid.UUID, *, change: bool = False) -> Case:
    try:
        return case_get(user=request.user, public_id=case_id, change=change)
    except NotFound as error:
        raise Http404(error.message) from error
    except PermissionDenied as error:
        raise DjangoPermissionDenied(error.message) from error


def panel_context(*, case: Case, user: Any, today: datetime.date | None = None) -> dict[str, Any]:
    """What `backoffice/case_messages.html` shows of a case (also for the case page)."""
    today = today or timezone.localdate()
    requests = list(information_requests_of_case(case=case))
    for request in requests:
        request.overdue = is_overdue(request, today=today)  # type: ignore[attr-defined]
    return {
        "case": case,
        "case_messages": case_messages_of(case=case),
        "information_requests": requests,
        "can_send": bool(case_roles(user=user, authority_id=case.authority_id) & WRITERS),
        "has_postfach": has_postfach(case),
        "item_rows": ITEM_ROWS,
    }


def _page(
    request: HttpRequest,
    case: Case,
    *,
    message_form: MessageForm | None = None,
    request_form: RequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = panel_context(case=case, user=request.user)
    context["message_form"] = message_form or MessageForm()
    context["request_form"] = request_form or RequestForm()
    return render(request, "backoffice/messages_of_case.html", context, status=status)


@login_required
@require_GET
def case_messages(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _page(request, _case(request, case_id))


def _add_error(form: forms.Form, error: DomainError, default: str) -> None:
    form.add_error(error.field if error.field in form.fields else default, error.message)


@login_required
@require_POST
def case_message_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, change=True)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        uploads = [
            Upload(name=f.name or "", data=f.read(MAX_DOCUMENT_BYTES + 1))
            for f in request.FILES.getlist("documents")
        ]
        try:
            case_message_send(
                actor=_user(request),
                case=case,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=uploads,
            )
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except DomainError as error:
            _add_error(form, error, "body")
        else:
            flash.success(request, "Die Nachricht wurde in das Postfach zugestellt.")
            return redirect("backoffice:case-messages", case_id=case.public_id)
    return _page(request, case, message_form=form, status=422)


@login_required
@require_POST
def case_request_create(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, change=True)
    form = RequestForm(request.POST)
    if form.is_valid():
        try:
            information_request_create(
                actor=_user(request),
                case=case,
                items=form.items(),
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as error:
            raise DjangoPermissionDenied(error.message) from error
        except DomainError as error:
            _add_error(form, error, "item_1")
        else:
            flash.success(
                request,
                "Die Nachforderung wurde in das Postfach zugestellt; "
                "der Vorgang wartet auf den Antragsteller.",
            )
            return redirect("backoffice:case-messages", case_id=case.public_id)
    return _page(request, case, request_form=form, status=422)


@login_required
def case_message_attachment(
    request: HttpRequest, case_id: uuid.UUID, attachment_pk: int
) -> FileResponse:
    """A document the authority sent with a message of this case."""
    case = _case(request, case_id)
    attachment = (
        Attachment.objects.select_related("document")
        .filter(pk=attachment_pk, message__case_link__case=case)
        .first()
    )
    if attachment is None:
        raise Http404("Diesen Anhang gibt es nicht.")
    return download(attachment.document, attachment.filename)


@login_required
def case_reply_attachment(
    request: HttpRequest, case_id: uuid.UUID, attachment_pk: int
) -> FileResponse:
    """A file the applicant uploaded with a reply to a message of this case."""
    case = _case(request, case_id)
    attachment = (
        ReplyAttachment.objects.select_related("document")
        .filter(pk=attachment_pk, reply__message__case_link__case=case)
        .first()
    )
    if attachment is None:
        raise Http404("Diesen Anhang gibt es nicht.")
    return download(attachment.document, attachment.filename)

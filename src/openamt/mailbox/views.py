"""The holder's Postfach: list, message (first opening recorded), documents, reply."""

from __future__ import annotations

import uuid
from typing import cast

from django import forms
from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openamt.accounts.auth import account_required
from openamt.accounts.models import User
from openamt.core.errors import DomainError, NotFound
from openamt.mailbox.documents import MAX_DOCUMENT_BYTES, download
from openamt.mailbox.models import Attachment, ReplyAttachment
from openamt.mailbox.selectors import messages_of
from openamt.mailbox.services import MAX_BODY, Upload, accessible, message_open, reply_create

PAGE_SIZE = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def clean(self, data: object, initial: object = None) -> list:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Ihre Antwort",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Bitte schreiben Sie Ihre Antwort."},
    )
    attachments = MultipleFileField(
        label="Anhänge",
        required=False,
        widget=MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
        help_text=f"PDF, PNG oder JPEG, je höchstens {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB",
    )


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@account_required
def message_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(messages_of(user=_user(request)), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "mailbox/list.html", {"page": page})


@account_required
def message_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        message = message_open(user=_user(request), public_id=public_id)
    except NotFound as error:
        raise Http404(error.message) from error
    form = ReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploads = [
            Upload(name=f.name or "", data=f.read(MAX_DOCUMENT_BYTES + 1))
            for f in request.FILES.getlist("attachments")
        ]
        try:
            reply_create(
                user=_user(request), message=message, body=form.cleaned_data["body"], files=uploads
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            flash.success(request, "Ihre Antwort wurde an die Behörde übermittelt.")
            return redirect("mailbox:detail", public_id=message.public_id)
    return render(
        request,
        "mailbox/detail.html",
        {
            "message": message,
            "attachments": message.attachments.select_related("document"),
            "replies": message.replies.prefetch_related("attachments"),
            "form": form,
        },
    )


@account_required
def document(request: HttpRequest, public_id: uuid.UUID, pk: int) -> FileResponse:
    user = _user(request)
    attachment = (
        Attachment.objects.select_related("document")
        .filter(accessible(user, "message__mailbox"), pk=pk, message__public_id=public_id)
        .first()
    )
    if attachment is None:
        raise Http404("Dieses Dokument gibt es nicht.")
    return download(attachment.document, attachment.filename)


@account_required
def reply_document(request: HttpRequest, public_id: uuid.UUID, pk: int) -> FileResponse:
    attachment = (
        ReplyAttachment.objects.select_related("document")
        .filter(
            accessible(_user(request), "reply__message__mailbox"),
            pk=pk,
            reply__message__public_id=public_id,
        )
        .first()
    )
    if attachment is None:
        raise Http404("Dieses Dokument gibt es nicht.")
    return download(attachment.document, attachment.filename)

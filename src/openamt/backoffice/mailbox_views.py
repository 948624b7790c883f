"""Staff pages: what an authority delivered to Postfächer, when it was first
opened (Zugangsnachweis), and the holders' replies."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from openamt.backoffice.views import authority_or_404
from openamt.mailbox.documents import download
from openamt.mailbox.models import Message, ReplyAttachment
from openamt.mailbox.selectors import sent_by

PAGE_SIZE = 25


@login_required
def sent_list(request: HttpRequest, pk: int) -> HttpResponse:
    authority = authority_or_404(request, pk)
    page = Paginator(sent_by(authority=authority), PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(request, "backoffice/sent_list.html", {"authority": authority, "page": page})


@login_required
def sent_detail(request: HttpRequest, pk: int, public_id: uuid.UUID) -> HttpResponse:
    authority = authority_or_404(request, pk)
    message = Message.objects.filter(sender=authority, public_id=public_id).first()
    if message is None:
        raise Http404("Diese Nachricht gibt es nicht.")
    return render(
        request,
        "backoffice/sent_detail.html",
        {
            "authority": authority,
            "message": message,
            "attachments": message.attachments.select_related("document"),
            "replies": message.replies.prefetch_related("attachments__document"),
        },
    )


@login_required
def reply_attachment(
    request: HttpRequest, pk: int, public_id: uuid.UUID, attachment_pk: int
) -> FileResponse:
    authority = authority_or_404(request, pk)
    attachment = (
        ReplyAttachment.objects.select_related("document")
        .filter(
            pk=attachment_pk, reply__message__public_id=public_id, reply__message__sender=authority
        )
        .first()
    )
    if attachment is None:
        raise Http404("Diesen Anhang gibt es nicht.")
    return download(attachment.document, attachment.filename)

"""Messages between a case and its applicant's Postfach.

Outgoing: `case_message_send` delivers through `mailbox.services.message_deliver`
(with the case's reference as the message's Bezug) and files the message as a
PDF document (kind MESSAGE) with its attachments in the case file.

Incoming: the Postfach must not import the case work (GUIDE §2), so the
applicant's reply is passed the other way. The mailbox offers a small registry
of reply receivers (`mailbox.services.reply_receiver_register`); the cases app
registers `case_reply_receive` in its `ready()`. `reply_create` calls it inside
the reply's own transaction: the reply, its documents in the case file, the
answered Nachforderung and the case's return to "in Bearbeitung" commit
together, and an upload the checks refuse (`document_store`: size, type,
virus scanner) refuses the whole reply before anything reaches the file.
Replies to messages that belong to no case pass by unchanged.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from openamt.accounts.models import Account, User
from openamt.cases import files
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import Case, CaseMessage, InformationRequest
from openamt.cases.selectors import case_require_writer
from openamt.cases.services import case_transition
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput
from openamt.mailbox.models import Message, Reply
from openamt.mailbox.services import Upload, business_mailbox_open, mailbox_for, message_deliver

NO_POSTFACH = (
    "Dieser Antragsteller hat kein Servicekonto und damit kein Postfach. "
    "Nachrichten an ihn gehen per Post."
)
APPLICANT = "Antragsteller"


@dataclass(frozen=True)
class SentMessage:
    """What `case_message_send` made: the Postfach message and its link to the case."""

    message: Message
    link: CaseMessage


def postfach_address_of(case: Case) -> uuid.UUID | None:
    """The Postfach address of the case's applicant (a Servicekonto's or a
    business account's), None for an applicant known only by post."""
    if case.applicant_business_id is not None and case.applicant_business is not None:
        return business_mailbox_open(business=case.applicant_business).address
    if case.applicant_user_id is None:
        return None
    account = Account.objects.filter(user_id=case.applicant_user_id).first()
    if account is None or not account.user.is_active:
        return None
    return mailbox_for(account).address


def has_postfach(case: Case) -> bool:
    """Whether messages can reach the applicant through the Postfach."""
    return case.applicant_business_id is not None or (
        case.applicant_user_id is not None
        and Account.objects.filter(user_id=case.applicant_user_id, user__is_active=True).exists()
    )


def case_message_deliver(
    *,
    actor: User | None,
    case: Case,
    subject: str,
    body: str,
    files_: Sequence[Upload],
    request: InformationRequest | None = None,
    idempotency_key: str = "",
    title: str = "Nachricht",
) -> SentMessage:
    """Deliver one message to the applicant's Postfach and file it (see
    `case_message_send`, which checks the actor first); `actor=None` is the
    platform itself (a reminder). `request` links the message to a
    Nachforderung, so that a reply to it answers that request."""
    address = postfach_address_of(case)
    if address is None:
        raise InvalidInput(NO_POSTFACH, field="body")
    message, _ = message_deliver(
        sender=case.authority,
        address=address,
        subject=subject,
        body=body,
        files=files_,
        reference=case.reference,
        idempotency_key=idempotency_key,
    )
    link = CaseMessage.objects.create(case=case, message=message, request=request, sent_by=actor)
    author_name = files.display_name(actor)
    names = [attachment.filename for attachment in message.attachments.all()]
    files.file_pdf_add(
        case=case,
        kind=DocumentKind.MESSAGE,
        title=f"{title}: {message.subject}",
        template="cases/message.html",
        context={
            "title": title,
            "direction": "Von",
            "party": f"{case.authority.name} ({author_name})",
            "moment": message.delivered_at,
            "subject": message.subject,
            "text": message.body,
            "files": names,
        },
        author=actor,
        author_name=author_name,
        text=message.body,
    )
    for attachment in message.attachments.select_related("document"):
        files.file_document_link(
            case=case,
            kind=DocumentKind.MESSAGE,
            title=f"Anlage zur Nachricht: {attachment.filename}",
            document=attachment.document,
            filename=attachment.filename,
            author=actor,
            author_name=author_name,
        )
    audit_record(
        actor=actor,
        action="case.message_send",
        target=case,
        authority_id=case.authority_id,
        changes={
            "message": str(message.public_id),
            "documents": len(names),
            **({"request": str(request.public_id)} if request else {}),
        },
    )
    return SentMessage(message=message, link=link)


@transaction.atomic
def case_message_send(
    *, actor: User, case: Case, subject: str, body: str, files: Sequence[Upload] = ()
) -> SentMessage:
    """A message from the case to the applicant's Postfach (with PDFs, at
    most ten), filed in the case file as a PDF (kind MESSAGE) with its
    attachments. PermissionDenied unless the actor works on the authority's
    cases; InvalidInput (at `subject`, `body`, `documents`) for a missing
    text, a refused file, or an applicant without a Servicekonto (then
    nothing is sent or filed). Audited (`case.message_send`)."""
    case_require_writer(user=actor, authority_id=case.authority_id)
    return case_message_deliver(actor=actor, case=case, subject=subject, body=body, files_=files)


def case_reply_receive(reply: Reply) -> None:
    """A reply in the Postfach to a message of a case (a reply receiver, see
    `mailbox.services.reply_receiver_register`): the reply text goes into the
    case file as a PDF (kind REPLY), each upload as a document (kind
    ATTACHMENT, its SHA-256 kept). If the message belongs to an open
    Nachforderung, that is marked answered, and a case waiting for the
    applicant with no other open Nachforderung returns to "in Bearbeitung"
    (by the platform, `actor=None`). Replies to other messages: no change.
    Runs inside the reply's transaction."""
    link = (
        CaseMessage.objects.select_related("case__authority", "request")
        .filter(message_id=reply.message_id)
        .first()
    )
    if link is None:
        return
    case = link.case
    author_name = f"{APPLICANT} ({case.applicant_name})"
    attachments = list(reply.attachments.select_related("document"))
    files.file_pdf_add(
        case=case,
        kind=DocumentKind.REPLY,
        title=f"Antwort: {reply.message.subject}",
        template="cases/message.html",
        context={
            "title": "Antwort des Antragstellers",
            "direction": "Von",
            "party": author_name,
            "moment": reply.created_at,
            "subject": reply.message.subject,
            "text": reply.body,
            "files": [attachment.filename for attachment in attachments],
        },
        author=reply.author,
        author_name=author_name,
        text=reply.body,
    )
    for attachment in attachments:
        files.file_document_link(
            case=case,
            kind=DocumentKind.ATTACHMENT,
            title=attachment.filename,
            document=attachment.document,
            filename=attachment.filename,
            author=reply.author,
            author_name=author_name,
        )
    request = link.request
    if request is None:
        return
    answered = InformationRequest.objects.filter(
        pk=request.pk, status=InformationRequest.Status.OPEN
    ).update(status=InformationRequest.Status.ANSWERED, answered_at=timezone.now())
    if not answered:  # a second reply to an answered request only adds to the file
        return
    audit_record(
        actor=reply.author,
        action="case.request_answer",
        target=case,
        authority_id=case.authority_id,
        changes={"request": str(request.public_id), "reply": str(reply.public_id)},
    )
    still_open = InformationRequest.objects.filter(
        case=case, status=InformationRequest.Status.OPEN
    ).exists()
    current = Case.objects.filter(pk=case.pk).values_list("status", flat=True).get()
    if current == CaseStatus.WAITING_APPLICANT and not still_open:
        case_transition(
            actor=None,
            case=case,
            to=CaseStatus.IN_PROGRESS,
            reason="Antwort des Antragstellers auf die Nachforderung",
        )


def case_messages_of(*, case: Case) -> list[CaseMessage]:
    """The case's Postfach messages, oldest first, each with its attachments,
    the applicant's replies and their files (four queries in all)."""
    return list(
        CaseMessage.objects.filter(case=case)
        .select_related("message", "request", "sent_by")
        .prefetch_related(
            "message__attachments__document", "message__replies__attachments__document"
        )
        .order_by("message__delivered_at", "id")
    )

"""Delivering to and answering from the Postfach. Other modules (Bescheide,
Eingangsbestätigungen) deliver through `message_deliver` too."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openamt.accounts.models import Account, BusinessAccount, User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, NotFound
from openamt.core.files import files_removed_on_failure
from openamt.core.idempotency import idempotent_create, request_digest
from openamt.core.links import public_url
from openamt.core.lookups import unique_or_none
from openamt.core.mail import mail_enqueue
from openamt.mailbox.documents import EXTENSIONS, PDF, document_store
from openamt.mailbox.models import Attachment, Mailbox, Message, Reply, ReplyAttachment
from openamt.organisations.models import Authority

MAX_BODY = 20_000
MAX_FILES = 10
REPLY_TYPES = frozenset(EXTENSIONS)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def mailbox_for(account: Account) -> Mailbox:
    return Mailbox.objects.get_or_create(account=account)[0]


def mailbox_open(*, account: Account) -> Mailbox:
    """The Servicekonto's Postfach, opened if it has none yet. Called by the
    account service when an account becomes usable; idempotent."""
    return mailbox_for(account)


def business_mailbox_open(*, business: BusinessAccount) -> Mailbox:
    """The Unternehmenskonto's Postfach, opened if it has none yet; idempotent."""
    return Mailbox.objects.get_or_create(business=business)[0]


def accessible(user: User, path: str = "mailbox") -> Q:
    """Messages (or anything below a mailbox) the user may read: their own
    Postfach and those of the businesses they belong to."""
    return Q(**{f"{path}__account__user": user}) | Q(
        **{f"{path}__business__memberships__user": user}
    )


def _recipients(mailbox: Mailbox) -> list[User]:
    if mailbox.account is not None:
        return [mailbox.account.user] if mailbox.account.user.is_active else []
    business = mailbox.business
    assert business is not None  # a Postfach has exactly one owner (check constraint)
    return [m.user for m in business.memberships.select_related("user") if m.user.is_active]


def _digest(
    address: uuid.UUID,
    subject: str,
    body: str,
    files: Sequence[Upload],
    is_decision: bool,
    reference: str,
) -> str:
    return request_digest(
        [
            str(address),
            subject,
            body,
            [hashlib.sha256(f.data).hexdigest() for f in files],
            is_decision,
            reference,
        ]
    )


def _check_text(subject: str, body: str, reference: str) -> None:
    if not 1 <= len(subject.strip()) <= 200:
        raise InvalidInput("Der Betreff hat 1 bis 200 Zeichen.", field="subject")
    if not 1 <= len(body.strip()) <= MAX_BODY:
        raise InvalidInput(
            f"Der Text hat 1 bis {MAX_BODY:,} Zeichen.".replace(",", "."), field="body"
        )
    if len(reference) > 100:
        raise InvalidInput("Der Bezug hat höchstens 100 Zeichen.", field="reference")


def _notify(message: Message, user: User) -> None:
    """The "new message" notice, stored in the message's transaction (outbox):
    a crash right after the commit cannot lose it."""
    mail_enqueue(
        key=f"postfach.{message.public_id}.{user.pk}",
        to=[user.email],
        subject="Neue Nachricht in Ihrem Postfach",
        body=(
            "Sie haben eine neue Nachricht im Postfach Ihres Servicekontos. "
            "Melden Sie sich an, um sie zu lesen:\n\n"
            f"{public_url(reverse('mailbox:list'))}\n"
        ),
    )


def message_deliver(
    *,
    sender: Authority,
    address: uuid.UUID,
    subject: str,
    body: str,
    files: Sequence[Upload] = (),
    is_decision: bool = False,
    reference: str = "",
    idempotency_key: str = "",
    client_id: str = "",
) -> tuple[Message, bool]:
    """Deliver a message (and PDFs) to a Postfach; (message, created).

    A repeated delivery with the same idempotency key returns the first
    message; the same key with different content is a conflict.
    """
    files = list(files)
    _check_text(subject, body, reference)
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Höchstens {MAX_FILES} Dokumente je Nachricht.", field="documents")
    digest = _digest(address, subject, body, files, is_decision, reference)
    mailbox = (
        Mailbox.objects.select_related("account__user", "business").filter(address=address).first()
    )
    recipients = _recipients(mailbox) if mailbox is not None else []

    def create() -> Message:
        if mailbox is None or not recipients:
            raise NotFound("Dieses Postfach gibt es nicht.")
        stored = [document_store(data=f.data, name=f.name, allowed=frozenset({PDF})) for f in files]
        message = Message.objects.create(
            mailbox=mailbox,
            sender=sender,
            subject=subject.strip(),
            body=body.strip(),
            is_decision=is_decision,
            reference=reference.strip(),
            client_id=client_id,
            idempotency_key=idempotency_key,
            request_digest=digest,
        )
        Attachment.objects.bulk_create(
            Attachment(message=message, document=document, filename=filename)
            for document, filename in stored
        )
        audit_record(
            actor=None,
            action="message.deliver",
            target=message,
            authority_id=sender.pk,
            changes={"documents": len(stored), "is_decision": is_decision, "client": client_id},
        )
        for user in recipients:
            _notify(message, user)
        return message

    # A file stored for a message that is then refused or rolled back is removed.
    with files_removed_on_failure():
        return idempotent_create(
            find=lambda: (
                unique_or_none(
                    Message.objects.filter(sender=sender, idempotency_key=idempotency_key)
                )
                if idempotency_key
                else None
            ),
            create=create,
            digest=digest,
            conflict="Dieser Idempotency-Key wurde schon für eine andere Nachricht verwendet.",
        )


def message_open(*, user: User, public_id: uuid.UUID) -> Message:
    """The holder's message; the first opening is recorded once (Zugangsnachweis)
    and audited (`message.open`): for a Bescheid it starts the Bekanntgabe
    (§ 41 Abs. 2a VwVfG), so who opened it and when must be provable."""
    message = (
        Message.objects.select_related("sender", "mailbox__business")
        .filter(accessible(user), public_id=public_id)
        .first()
    )
    if message is None:
        raise NotFound("Diese Nachricht gibt es nicht.")
    if message.first_opened_at is None:
        with transaction.atomic():
            # The conditional update decides who was first: two tabs opening
            # the message at once record (and audit) one opening.
            first = Message.objects.filter(pk=message.pk, first_opened_at__isnull=True).update(
                first_opened_at=timezone.now()
            )
            message.refresh_from_db(fields=["first_opened_at"])
            if first:
                audit_record(
                    actor=user,
                    action="message.open",
                    target=message,
                    authority_id=message.sender_id,
                    changes={"is_decision": message.is_decision},
                )
                for receiver in _open_receivers:
                    receiver(message)
    return message


OpenReceiver = Callable[[Message], None]
_open_receivers: list[OpenReceiver] = []


def open_receiver_register(receiver: OpenReceiver) -> OpenReceiver:
    """Register a module that wants to know when a message is first opened,
    e.g. the case work (`cases.decisions.decision_retrieved`), which records
    the retrieval of a Bescheid and its Bekanntgabe at once. Called in the
    transaction that records the opening, with the message (its
    `first_opened_at` set); a receiver must not refuse the opening (the
    citizen reads the message whatever happens elsewhere), so it handles its
    own errors. Registering twice is a no-op; see `reply_receiver_register`
    for why a registry."""
    if receiver not in _open_receivers:
        _open_receivers.append(receiver)
    return receiver


ReplyReceiver = Callable[[Reply], None]
_reply_receivers: list[ReplyReceiver] = []


def reply_receiver_register(receiver: ReplyReceiver) -> ReplyReceiver:
    """Register a module that wants to know of every reply, e.g. the case
    work (`cases.messages.case_reply_receive`, registered in the cases app's
    `ready()`), which files replies to a case's messages in its file.

    Why a registry and not an import or a signal: the Postfach is used by
    many apps and must not import them (GUIDE §2), and domain flow must be
    explicit (no Django signals): `reply_create` calls each receiver itself,
    in order, inside the reply's transaction, so that a reply and what it
    causes elsewhere commit together or not at all. A receiver is given the
    stored reply (with its checked attachments) and may raise a DomainError,
    which refuses the reply as a whole. Registering twice is a no-op."""
    if receiver not in _reply_receivers:
        _reply_receivers.append(receiver)
    return receiver


def reply_create(*, user: User, message: Message, body: str, files: Sequence[Upload]) -> Reply:
    """The holder's answer to a message, with uploads (PDF, PNG, JPEG; each
    checked by size, type and the virus scanner, `document_store`).
    NotFound unless the user may read the message; InvalidInput at `body` or
    `attachments`: then nothing is stored, no row and no file. Audited; the
    registered reply receivers run in the same transaction."""
    # A file stored before a later one is refused is removed with the rollback.
    with files_removed_on_failure(), transaction.atomic():
        return _reply_create(user=user, message=message, body=body, files=files)


def _reply_create(*, user: User, message: Message, body: str, files: Sequence[Upload]) -> Reply:
    if not Message.objects.filter(accessible(user), pk=message.pk).exists():
        raise NotFound("Diese Nachricht gibt es nicht.")
    if not 1 <= len(body.strip()) <= MAX_BODY:
        raise InvalidInput(
            f"Die Antwort hat 1 bis {MAX_BODY:,} Zeichen.".replace(",", "."), field="body"
        )
    if len(files) > MAX_FILES:
        raise InvalidInput(f"Höchstens {MAX_FILES} Anhänge.", field="attachments")
    stored = [
        document_store(data=f.data, name=f.name, allowed=REPLY_TYPES, field="attachments")
        for f in files
    ]
    reply = Reply.objects.create(message=message, author=user, body=body.strip())
    ReplyAttachment.objects.bulk_create(
        ReplyAttachment(reply=reply, document=document, filename=filename)
        for document, filename in stored
    )
    audit_record(
        actor=user,
        action="message.reply",
        target=reply,
        authority_id=message.sender_id,
        changes={"attachments": len(stored)},
    )
    for receiver in _reply_receivers:
        receiver(reply)
    return reply

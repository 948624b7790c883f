"""E-mails through the transactional outbox: `mail_enqueue` stores the mail in
the caller's transaction; the worker sends it with retries (`core.outbox`).

SMTP cannot recognise a repeated mail, so a mail whose worker died while
sending is not sent again blindly but parked as failed (see `core.outbox`).
Each mail carries a Message-ID derived from its key, so a mail client or
archive that does see a duplicate (a resend by an operator) can tell it is one.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from openamt.core.models import OutboxMail
from openamt.core.outbox import OutboxKind, outbox_kind_register
from openamt.core.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


class MailError(Exception):
    """The mail server refused or could not be reached; the mail is retried."""


def message_id(key: str) -> str:
    """A Message-ID (RFC 5322 §3.6.4) that is the same on every attempt and on
    every host: `<key@public host>`. `key` must not contain spaces, `<`, `>` or `@`."""
    host = urlsplit(settings.OPENAMT_PUBLIC_URL).hostname or "localhost"
    return f"<{key}@{host}>"


def mail_send(*, subject: str, body: str, to: list[str], key: str) -> None:
    """Send one mail now with the Message-ID of `key`; raises MailError if the
    mail server cannot be reached or refuses it."""
    mail = EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, to, headers={"Message-ID": message_id(key)}
    )
    try:
        mail.send()
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"Mailserver nicht erreichbar ({type(error).__name__}).") from error


class MailOutbox(OutboxKind[OutboxMail]):
    model = OutboxMail
    expected_errors = (MailError,)

    def send(self, job: OutboxMail) -> None:
        mail_send(subject=job.subject, body=job.body, to=job.recipients, key=job.key)

    def failed(self, job: OutboxMail, now: datetime) -> None:
        # No alert about an alert: the row stays visible to the operator (admin).
        logger.error("outbox mail %s parked after %s attempts", job.pk, job.attempts)


MAIL = MailOutbox()
outbox_kind_register("mail", MAIL)


@task()
def outbox_mail_send(*, mail_id: int) -> None:
    """Send a just-stored mail at once (the periodic `deliver-due` catches the rest)."""
    MAIL.run(mail_id)


def mail_enqueue(*, key: str, to: list[str], subject: str, body: str) -> OutboxMail | None:
    """Store a mail to `to` in the current transaction; None if there is nobody
    to write to. The same `key` twice gives the first mail (nothing is sent twice).
    `key` names the occasion (`postfach.<message id>.<user id>`), see `message_id`."""
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    mail, created = OutboxMail.objects.get_or_create(
        key=key,
        defaults={
            "recipients": recipients,
            "subject": subject,
            "body": body,
            "message_id": message_id(key),
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        enqueue_on_commit(outbox_mail_send, mail_id=mail.pk)
    return mail

"""Communication of a case through the applicant's Postfach: which Postfach
messages belong to which case, and the Nachforderungen (requests for missing
documents or answers, § 26 (2) VwVfG: the applicant's duty to cooperate)."""

import uuid

from django.conf import settings
from django.db import models

from openamt.cases.models.case import Case
from openamt.mailbox.models import Message


class InformationRequest(models.Model):
    """A Nachforderung: what the authority still needs (`items`: a list of
    `{"label": str, "file": bool}`, `file` meaning a document is expected) and
    by when (`deadline`, a date, the last day included). Sent as a Postfach
    message; answered by the applicant's reply to that message or to its
    reminder."""

    class Status(models.TextChoices):
        OPEN = "offen", "offen"
        ANSWERED = "beantwortet", "beantwortet"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="information_requests")
    items = models.JSONField("Angeforderte Unterlagen und Angaben")
    deadline = models.DateField("Frist")
    # The day the reminder is due: `deadline` less the configured working days.
    remind_on = models.DateField("Erinnerung am")
    status = models.CharField("Status", max_length=16, choices=Status.choices, default=Status.OPEN)
    message = models.OneToOneField(
        Message, on_delete=models.PROTECT, related_name="information_request"
    )
    reminder = models.OneToOneField(
        Message, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField("erinnert am", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField("gestellt am", auto_now_add=True)
    answered_at = models.DateTimeField("beantwortet am", null=True, blank=True)

    class Meta:
        verbose_name = "Nachforderung"
        verbose_name_plural = "Nachforderungen"
        ordering = ["created_at", "id"]
        indexes = [
            # The reminder run reads only open, unreminded requests that are due.
            models.Index(fields=["status", "remind_on"], name="request_reminder_due"),
            models.Index(fields=["case", "status"], name="request_case_status"),
        ]

    def __str__(self) -> str:
        return f"Nachforderung bis {self.deadline:%d.%m.%Y}"


class CaseMessage(models.Model):
    """A Postfach message sent from a case (a message, a Nachforderung or its
    reminder). A reply to such a message belongs to the case; `request`
    names the Nachforderung a reply answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="messages")
    message = models.OneToOneField(Message, on_delete=models.PROTECT, related_name="case_link")
    request = models.ForeignKey(
        InformationRequest,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="case_messages",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "Nachricht des Vorgangs"
        verbose_name_plural = "Nachrichten des Vorgangs"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.case} – {self.message}"

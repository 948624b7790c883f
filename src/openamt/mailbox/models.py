"""The Postfach: messages and decisions from authorities, with proof of access."""

import uuid

from django.conf import settings
from django.db import models

from openamt.accounts.models import Account, BusinessAccount
from openamt.organisations.models import Authority


class Mailbox(models.Model):
    """The Postfach of a Servicekonto or an Unternehmenskonto. `address` is what a
    service is given (with the holder's consent, e.g. in an application) to deliver to it."""

    address = models.UUIDField("Postfach-Adresse", default=uuid.uuid4, unique=True, editable=False)
    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="mailbox", null=True, blank=True
    )
    business = models.OneToOneField(
        BusinessAccount, on_delete=models.CASCADE, related_name="mailbox", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Postfach"
        verbose_name_plural = "Postfächer"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=False, business__isnull=True)
                | models.Q(account__isnull=True, business__isnull=False),
                name="mailbox_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"Postfach {self.address}"


class Document(models.Model):
    """A file kept once per content (by SHA-256), whoever sends it how often."""

    sha256 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="postfach/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Dokument"
        verbose_name_plural = "Dokumente"

    def __str__(self) -> str:
        return self.sha256[:12]


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A deleted Servicekonto leaves the message with the sending authority: it is
    # part of the authority's file, and the Zugangsnachweis must stay provable.
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    sender = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="sent_messages")
    subject = models.CharField("Betreff", max_length=200)
    body = models.TextField("Text")
    is_decision = models.BooleanField("Bescheid", default=False)
    reference = models.CharField("Bezug (Antrag oder Vorgang)", max_length=100, blank=True)
    delivered_at = models.DateTimeField("zugestellt am", auto_now_add=True)
    # Zugangsnachweis: set once, when the holder first opens the message.
    first_opened_at = models.DateTimeField("zuerst geöffnet am", null=True, blank=True)
    # Who asked for the delivery, and with which idempotency key.
    client_id = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    request_digest = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "Nachricht"
        verbose_name_plural = "Nachrichten"
        indexes = [
            models.Index(fields=["mailbox", "-delivered_at", "-id"]),
            models.Index(fields=["sender", "-delivered_at", "-id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="message_idempotency",
            )
        ]

    def __str__(self) -> str:
        return self.subject


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("Dateiname", max_length=120)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename


class Reply(models.Model):
    """The holder's answer to a message; the sending authority reads it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField("Antwort")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Antwort {self.public_id}"


class ReplyAttachment(models.Model):
    reply = models.ForeignKey(Reply, on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField("Dateiname", max_length=120)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.filename

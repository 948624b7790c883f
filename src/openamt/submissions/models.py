"""Applications: drafts while they are filled in, then an immutable snapshot
with a reference, a status, and delivery jobs recorded in the same
transaction (transactional outbox): accepted means never lost."""

import json
import uuid

from django.conf import settings
from django.db import models

from openamt.core.models import OutboxJob
from openamt.core.sealing import SealedField
from openamt.forms.models import FormVersion
from openamt.mailbox.models import Document
from openamt.organisations.models import Authority
from openamt.regions.models import Region
from openamt.submissions.constants import STATUS_EXPLANATIONS, SubmissionStatus


class Draft(models.Model):
    """An application being filled in: by a logged-in holder, or anonymously with
    a resume link. It keeps the form version it began with."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="drafts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="drafts",
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    step = models.CharField(max_length=40, blank=True)
    prefill_consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Antragsentwurf"
        verbose_name_plural = "Antragsentwürfe"

    def __str__(self) -> str:
        return f"Entwurf {self.public_id}"


class ReferenceCounter(models.Model):
    """The next number per authority and year (row-locked while a number is taken)."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["authority", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.authority_id}/{self.year}: {self.last}"


class Submission(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField("Aktenzeichen", max_length=40)
    version = models.ForeignKey(FormVersion, on_delete=models.PROTECT, related_name="submissions")
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="submissions")
    place = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
    )
    answers = models.JSONField("Antworten")
    fees = models.JSONField("Gebühren", default=list)
    assurance_level = models.CharField(max_length=16, blank=True)
    prefill_consent = models.BooleanField(default=False)
    status = models.CharField(
        max_length=32, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    client_id = models.CharField(max_length=100, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    # SHA-256 of the request that carried the key (core.idempotency).
    request_digest = models.CharField(max_length=64, blank=True)
    # The draft it was submitted from: one draft gives at most one application.
    draft_public_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "Antrag"
        verbose_name_plural = "Anträge"
        indexes = [models.Index(fields=["authority", "-submitted_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "reference"], name="submission_reference_unique"
            ),
            models.UniqueConstraint(
                fields=["client_id", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="submission_idempotency",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def status_explanation(self) -> str:
        """The status in one sentence for the applicant (see STATUS_EXPLANATIONS)."""
        return STATUS_EXPLANATIONS[SubmissionStatus(self.status)]


class DeliveryJob(OutboxJob):
    """One delivery of a submission through one channel; written in the
    transaction that accepts the submission, run under a lease by the outbox
    worker (`submissions.delivery`)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="jobs")
    channel = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "channel"], name="delivery_job_unique")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.submission} → {self.channel}"


class ReceiptJob(OutboxJob):
    """The Eingangsbestätigung owed to the applicant's Postfach: written in the
    transaction that accepts the submission, run by the outbox worker
    (`submissions.receipt`). Not a delivery target: it goes to the applicant,
    not to the authority."""

    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, related_name="receipt_job"
    )

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"Eingangsbestätigung {self.submission}"


class DeliveryEndpoint(models.Model):
    """How an authority set up one delivery target (a plugin, `registry.py`):
    the plugin id, its public options as JSON and its secret options sealed,
    both as the plugin's Options model describes them (GUIDE §2)."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="delivery_endpoints"
    )
    plugin = models.CharField("Zustellweg", max_length=40)
    options = models.JSONField("Einstellungen", default=dict)
    secrets = SealedField("Geheimnisse (versiegelt)", blank=True)

    class Meta:
        verbose_name = "Zustellpunkt"
        verbose_name_plural = "Zustellpunkte"
        constraints = [
            models.UniqueConstraint(fields=["authority", "plugin"], name="delivery_endpoint_unique")
        ]

    def __str__(self) -> str:
        return f"{self.authority} ({self.plugin})"

    def secret_values(self) -> dict[str, str]:
        """The unsealed secret options ({} when none are stored)."""
        return json.loads(self.secrets) if self.secrets else {}


class Attachment(models.Model):
    """A file answer: uploaded into a draft, then kept with the submission.
    The document is stored once by its SHA-256; the answer names that hash."""

    draft = models.ForeignKey(
        Draft, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    path = models.CharField(max_length=100)  # answer path, "hunde.1.nachweis"
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)

    class Meta:
        verbose_name = "Anlage"
        verbose_name_plural = "Anlagen"
        constraints = [
            # In a draft, answers point to documents by hash: entries of a group may
            # move, so a path is no stable name there.
            models.UniqueConstraint(fields=["draft", "document"], name="attachment_draft_document"),
            models.UniqueConstraint(
                fields=["submission", "path"], name="attachment_submission_path"
            ),
        ]

    def __str__(self) -> str:
        return self.name

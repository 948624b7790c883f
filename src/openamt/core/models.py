from typing import Any

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)
    updated_at = models.DateTimeField("geändert am", auto_now=True)

    class Meta:
        abstract = True


class OutboxStatus(models.TextChoices):
    PENDING = "offen", "offen"
    DONE = "erledigt", "erledigt"
    FAILED = "gescheitert", "gescheitert"


class OutboxJob(models.Model):
    """A job of the transactional outbox (GUIDE §8), written in the transaction
    whose outcome it carries out; `core.outbox` runs it under a lease.

    `lease_owner` is a random token of the worker holding the job until
    `lease_until`; both are empty when nobody holds it. A lease still set
    after it expired means a worker died during an attempt.
    """

    status = models.CharField(
        max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=32, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class OutboxMail(OutboxJob):
    """An e-mail the platform owes someone (an alert to an authority's
    administrators, a "new message in your Postfach" notice), stored in the
    transaction that makes it due and sent by the outbox worker."""

    key = models.CharField(max_length=120, unique=True)
    recipients = models.JSONField(default=list)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    message_id = models.CharField(max_length=250)

    class Meta:
        verbose_name = "ausgehende E-Mail"
        verbose_name_plural = "ausgehende E-Mails"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.key


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log.

    Each entry's hash is an HMAC-SHA256, under the audit key named by
    `key_id`, of its content and the previous entry's hash, so changing or
    removing any entry breaks the chain from there on, and without the key
    (which is not in the database) nobody can recompute it (`audit_verify`,
    `openamt audit verify`). Database triggers refuse UPDATE and DELETE of
    stored entries (on SQLite a migration that rebuilds this table drops them:
    it must create them again). `changes` holds field names and non-personal
    values only.
    """

    created_at = models.DateTimeField("Zeitpunkt", db_index=True)
    actor_id = models.PositiveBigIntegerField("Benutzer-ID", null=True, blank=True)
    action = models.CharField("Aktion", max_length=64)
    object_type = models.CharField("Objekttyp", max_length=64)
    object_id = models.CharField("Objekt-ID", max_length=64)
    authority_id = models.PositiveBigIntegerField("Behörde-ID", null=True, blank=True)
    changes = models.JSONField("Änderungen", default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Fingerprint of the audit key that made `hash` (core.audit.audit_key_id).
    key_id = models.CharField("Schlüssel-ID", max_length=16, default="")

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Revisionsprotokoll"
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type}#{self.object_id}"
        )

    def content(self) -> dict[str, Any]:
        return {
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "authority_id": self.authority_id,
            "changes": self.changes,
        }

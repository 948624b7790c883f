from typing import Any

from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("angelegt am", auto_now_add=True)
    updated_at = models.DateTimeField("geändert am", auto_now=True)

    class Meta:
        abstract = True


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

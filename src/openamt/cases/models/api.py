"""Writes of the authorities' specialised software through the cases API,
remembered by their Idempotency-Key so that a retry changes nothing twice."""

from django.db import models

from openamt.cases.models.case import Case, CaseDocument


class CaseApiWrite(models.Model):
    """One write by an API client (a status change or an upload) under its
    Idempotency-Key: a repeat with the same key and content answers with
    what the first one did; the same key with other content is refused."""

    client_id = models.CharField("Client-ID", max_length=100)
    idempotency_key = models.CharField("Idempotency-Key", max_length=100)
    # SHA-256 of the request (core.idempotency.request_digest).
    request_digest = models.CharField(max_length=64)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(
        CaseDocument, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Schreibzugriff über die Schnittstelle"
        verbose_name_plural = "Schreibzugriffe über die Schnittstelle"
        constraints = [
            models.UniqueConstraint(
                fields=["client_id", "idempotency_key"], name="case_api_write_key_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.idempotency_key}"

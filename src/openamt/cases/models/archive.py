"""The end of a file: offered to the archive (xdomea Aussonderung), handed
over or destroyed, and the deletion record that stays."""

import uuid

from django.db import models

from openamt.cases.models.case import Case
from openamt.organisations.models import Authority


class ArchiveTransfer(models.Model):
    """One Aussonderung of an authority, from the offer (0501) to the archive's
    import confirmation (0506); its xdomea ProzessID is `process_id`."""

    class State(models.TextChoices):
        OFFERED = "angeboten", "angeboten (0501)"
        APPRAISED = "bewertet", "bewertet (0502)"
        TRANSFERRED = "abgegeben", "abgegeben (0503)"
        DONE = "abgeschlossen", "abgeschlossen"

    process_id = models.UUIDField("ProzessID", default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="archive_transfers"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.OFFERED)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the archive confirmed receipt of the offer (0504) and of the package (0507).
    offer_received_at = models.DateTimeField(null=True, blank=True)
    transfer_received_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Aussonderung"
        verbose_name_plural = "Aussonderungen"

    def __str__(self) -> str:
        return str(self.process_id)


class ArchiveTransferFile(models.Model):
    """One case in a transfer: the archive's decision and whether it took it over.
    The case link goes when the case is deleted; the xdomea id stays."""

    transfer = models.ForeignKey(ArchiveTransfer, on_delete=models.CASCADE, related_name="files")
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, null=True, blank=True, related_name="archive_offers"
    )
    file_id = models.UUIDField("Objekt-ID")  # the case's public id, as the messages name it
    file_number = models.CharField("Aktenzeichen", max_length=80)
    decision = models.CharField("Bewertung", max_length=1, blank=True)  # A or V, from 0502
    archive_id = models.CharField("Archivsignatur", max_length=200, blank=True)
    settled = models.BooleanField("erledigt", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["transfer", "file_id"], name="transfer_file_unique")
        ]

    def __str__(self) -> str:
        return self.file_number


class DeletionRecord(models.Model):
    """What remains of a case after its data is deleted (Löschprotokoll): which
    file, why, when, and the hashes of the documents it held."""

    class Reason(models.TextChoices):
        ARCHIVED = "archiviert", "vom Archiv übernommen"
        DESTROYED = "vernichtet", "vom Archiv zur Vernichtung bestimmt"

    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="deletion_records"
    )
    case_public_id = models.UUIDField("Vorgang", unique=True)
    reference = models.CharField("Vorgangsnummer", max_length=40)
    file_number = models.CharField("Aktenzeichen", max_length=80)
    service = models.CharField("Leistung", max_length=300)
    closed_at = models.DateTimeField("abgeschlossen am", null=True)
    retention_until = models.DateField("aufzubewahren bis", null=True)
    reason = models.CharField("Grund", max_length=16, choices=Reason.choices)
    transfer = models.ForeignKey(
        ArchiveTransfer, on_delete=models.PROTECT, null=True, related_name="deletions"
    )
    archive_id = models.CharField("Archivsignatur", max_length=200, blank=True)
    # [{"title", "kind", "version", "sha256"}] of every document deleted.
    documents = models.JSONField("Dokumente", default=list)
    deleted_at = models.DateTimeField("gelöscht am", auto_now_add=True)

    class Meta:
        verbose_name = "Löschprotokoll"
        verbose_name_plural = "Löschprotokolle"

    def __str__(self) -> str:
        return f"{self.file_number} ({self.get_reason_display()})"

"""Deletion when data is no longer needed: drafts after `OPENAMT_DRAFT_RETENTION_DAYS`
(default 30) without change, submissions once delivered (into the Eingang or the
authority's own system) or withdrawn and older than their form's `retention_days`,
then the documents nothing refers to, and stored files that no row names."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone

from openamt.core.audit import audit_record
from openamt.forms.models import FormVersion
from openamt.submissions.constants import SubmissionStatus
from openamt.submissions.models import Draft, Submission

FINISHED = [SubmissionStatus.IN_INBOX, SubmissionStatus.DELIVERED, SubmissionStatus.WITHDRAWN]
DEFAULT_RETENTION_DAYS = 365


@transaction.atomic
def purge_expired(*, now: datetime | None = None) -> Counter[str]:
    now = now or timezone.now()
    counts: Counter[str] = Counter()
    drafts_before = now - timedelta(days=settings.OPENAMT_DRAFT_RETENTION_DAYS)
    _, deleted_by_model = Draft.objects.filter(updated_at__lt=drafts_before).delete()
    counts["drafts"] = deleted_by_model.get(Draft._meta.label, 0)  # not their attachments
    # An application that opened a case is part of the case's file: the
    # filing plan's retention period of the case governs it, not the form's.
    finished = Submission.objects.filter(status__in=FINISHED, case__isnull=True)
    for version in (
        FormVersion.objects.filter(submissions__in=finished).distinct().select_related("form")
    ):
        days = int(version.definition.get("retention_days", DEFAULT_RETENTION_DAYS))
        expired = finished.filter(version=version, submitted_at__lt=now - timedelta(days=days))
        deleted = expired.count()
        if deleted:
            expired.delete()
            audit_record(
                actor=None,
                action="submission.purge",
                target=version,
                changes={"form": version.form.key, "version": version.number, "deleted": deleted},
            )
            counts["submissions"] += deleted
    counts["documents"] = _orphans_delete(before=now - timedelta(days=1))
    stray = _stray_files_delete(before=now - STRAY_FILE_GRACE)
    if stray:
        counts["files"] = stray
    return counts


def _orphans_delete(*, before: datetime) -> int:
    """Files nothing refers to any more (a purged draft's uploads): row and file.
    A day's grace keeps an upload whose draft is being saved right now."""
    from openamt.mailbox.documents import documents_unreferenced
    from openamt.mailbox.models import Document

    orphans = documents_unreferenced(Document.objects.filter(created_at__lt=before))
    names = []
    for document in orphans.iterator(chunk_size=500):
        names.append(document.file.name)
        document.delete()
    # Files go only once their rows are gone for good.
    transaction.on_commit(lambda: _files_delete(names))
    return len(names)


# A file is written before the row that names it commits: one younger than this
# may belong to a request still running.
STRAY_FILE_GRACE = timedelta(hours=6)


def _stored_files(storage: Storage, folder: str) -> Iterator[str]:
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}{name}"
    for sub in folders:
        yield from _stored_files(storage, f"{folder}{sub}/")


def _stray_files_delete(*, before: datetime) -> int:
    """Files in the documents' folder that no row names and that are older than
    `before` (a refused upload whose removal failed, a process killed between
    writing a file and committing its row): deleted; their number."""
    from openamt.mailbox.models import Document

    field = Document._meta.get_field("file")
    storage: Storage = field.storage
    folder = str(field.upload_to)
    if not storage.exists(folder):
        return 0
    deleted = 0
    names = list(_stored_files(storage, folder))
    for start in range(0, len(names), 500):
        chunk = names[start : start + 500]
        named = set(Document.objects.filter(file__in=chunk).values_list("file", flat=True))
        for name in chunk:
            if name not in named and storage.get_modified_time(name) < before:
                storage.delete(name)
                deleted += 1
    return deleted


def _files_delete(names: list[str]) -> None:
    from openamt.mailbox.models import Document

    for name in names:
        Document.file.field.storage.delete(name)

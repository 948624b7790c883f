"""Deletion when data is no longer needed: drafts after `OPENAMT_DRAFT_RETENTION_DAYS`
(default 30) without change, submissions once delivered (or withdrawn) and
older than their form's `retention_days`."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openamt.core.audit import audit_record
from openamt.forms.models import FormVersion
from openamt.submissions.constants import SubmissionStatus
from openamt.submissions.models import Draft, Submission

FINISHED = [SubmissionStatus.DELIVERED, SubmissionStatus.WITHDRAWN]
DEFAULT_RETENTION_DAYS = 365


@transaction.atomic
def purge_expired(*, now: datetime | None = None) -> Counter[str]:
    now = now or timezone.now()
    counts: Counter[str] = Counter()
    drafts_before = now - timedelta(days=settings.OPENAMT_DRAFT_RETENTION_DAYS)
    counts["drafts"], _ = Draft.objects.filter(updated_at__lt=drafts_before).delete()
    finished = Submission.objects.filter(status__in=FINISHED)
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
    return counts

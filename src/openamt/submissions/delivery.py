"""Delivery jobs: each done exactly once, failures retried with growing pauses,
the last failure reported to the authority's administrators.

The job row is locked while its channel delivers, and a done job is never
delivered again, so a worker that dies mid-way (the job stays open) and the
recovery run (`openamt deliver-due`) together deliver exactly once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from openamt.core.audit import audit_record
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import AuthorityRole
from openamt.submissions.base import DeliveryError
from openamt.submissions.constants import JobStatus, SubmissionStatus
from openamt.submissions.models import DeliveryJob, Submission
from openamt.submissions.receipt import RECEIPT, receipt_deliver
from openamt.submissions.registry import delivery_targets, reach_own_system, target_options

# Pauses before the 2nd, 3rd, ... attempt; after the last one the job has failed.
BACKOFF_MINUTES = [1, 5, 15, 60, 240]


def _alert(submission: Submission, error: str) -> None:
    admins = AuthorityRole.objects.filter(
        authority_id=submission.authority_id, role=AuthorityRoleName.ADMIN
    ).exclude(user__email="")
    addresses = sorted({role.user.email for role in admins.select_related("user")})
    if addresses:
        send_mail(
            f"Zustellung fehlgeschlagen: Antrag {submission.reference}",
            f"Der Antrag {submission.reference} konnte nach mehreren Versuchen nicht zugestellt werden "
            f"({error}). Bitte prüfen Sie die Zustellwege Ihrer Behörde.",
            settings.DEFAULT_FROM_EMAIL,
            addresses,
        )


@transaction.atomic
def deliver_job(job_id: int, *, now: datetime | None = None) -> str:
    """Try one job once; returns its status afterwards."""
    now = now or timezone.now()
    job = (
        DeliveryJob.objects.select_for_update()
        .select_related("submission__authority")
        .get(pk=job_id)
    )
    if job.status != JobStatus.PENDING:
        return job.status
    submission = job.submission
    try:
        if job.channel == RECEIPT:
            receipt_deliver(submission)
        else:
            options = target_options(authority_id=submission.authority_id, plugin_id=job.channel)
            delivery_targets.get(job.channel).deliver(submission, options)
    except DeliveryError as error:
        job.attempts += 1
        job.last_error = str(error)[:300]
        if job.attempts > len(BACKOFF_MINUTES):
            job.status = JobStatus.FAILED
            Submission.objects.filter(pk=submission.pk).update(
                status=SubmissionStatus.DELIVERY_FAILED
            )
            audit_record(
                actor=None,
                action="submission.delivery_failed",
                target=submission,
                authority_id=submission.authority_id,
                changes={"channel": job.channel, "attempts": job.attempts},
            )
            _alert(submission, job.last_error)
        else:
            job.next_attempt_at = now + timedelta(minutes=BACKOFF_MINUTES[job.attempts - 1])
        job.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return job.status
    job.status, job.done_at = JobStatus.DONE, now
    job.save(update_fields=["status", "done_at"])
    if not submission.jobs.exclude(status=JobStatus.DONE).exists():
        final = delivered_status(
            list(submission.jobs.exclude(channel=RECEIPT).values_list("channel", flat=True))
        )
        Submission.objects.filter(pk=submission.pk).update(status=final)
        audit_record(
            actor=None,
            action="submission.delivered",
            target=submission,
            authority_id=submission.authority_id,
            changes={"status": [submission.status, final]},
        )
    return job.status


def delivered_status(channels: list[str]) -> SubmissionStatus:
    """The status once every job of a submission is done: DELIVERED only if one
    of its channels reached the authority's own system (FIT-Connect, webhook);
    else the application lies in the platform's Eingang (IN_INBOX), and saying
    "zugestellt" would tell the applicant something that did not happen."""
    if reach_own_system(channels):
        return SubmissionStatus.DELIVERED
    return SubmissionStatus.IN_INBOX


def deliver_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Every open job whose time has come (the worker's and the recovery run's loop)."""
    now = now or timezone.now()
    due = list(
        DeliveryJob.objects.filter(status=JobStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for job_id in due:
        deliver_job(job_id, now=now)
    return len(due)

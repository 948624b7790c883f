"""Delivery jobs: each application through each of its channels, exactly once
toward the receiver; failures retried with growing pauses; the last failure
parked and reported to the authority's administrators.

A job runs under a lease (`core.outbox`): claimed in a short transaction, the
channel called outside any transaction and row lock (a slow receiver holds up
nobody), the result recorded only while the lease is still ours. A worker that
dies mid-way leaves its lease to expire; the next run (`openamt deliver-due`)
then sends again to a channel whose receiver recognises a repeat (same
Idempotency-Key), and parks the job of any other channel (e-mail) as failed
with the outcome unknown, instead of sending a second mail.
"""

from __future__ import annotations

from datetime import datetime

from openamt.core.audit import audit_record
from openamt.core.mail import mail_enqueue
from openamt.core.outbox import BACKOFF_MINUTES, OutboxKind, outbox_kind_register
from openamt.organisations.selectors import authority_admin_addresses
from openamt.submissions.base import DeliveryError
from openamt.submissions.constants import JobStatus, SubmissionStatus
from openamt.submissions.models import DeliveryJob, Submission
from openamt.submissions.registry import delivery_targets, reach_own_system, target_options

__all__ = ["BACKOFF_MINUTES", "deliver_due", "deliver_job", "delivered_status"]


def _alert(submission: Submission, job: DeliveryJob) -> None:
    """The authority's administrators learn of the parked job: a mail in the outbox,
    stored in the transaction that parks it (SMTP down cannot undo the parking)."""
    addresses = authority_admin_addresses(authority_ids=[submission.authority_id])
    mail_enqueue(
        key=f"zustellung-gescheitert.{job.pk}.{job.attempts}",
        to=addresses[submission.authority_id],
        subject=f"Zustellung fehlgeschlagen: Antrag {submission.reference}",
        body=(
            f"Der Antrag {submission.reference} konnte nach mehreren Versuchen nicht zugestellt "
            f"werden ({job.last_error}). Bitte prüfen Sie die Zustellwege Ihrer Behörde."
        ),
    )


class DeliveryOutbox(OutboxKind[DeliveryJob]):
    model = DeliveryJob
    expected_errors = (DeliveryError,)

    def idempotent_receiver(self, job: DeliveryJob) -> bool:
        return delivery_targets.get(job.channel).idempotent_receiver

    def send(self, job: DeliveryJob) -> None:
        submission = Submission.objects.select_related("authority", "version__form").get(
            pk=job.submission_id
        )
        options = target_options(authority_id=submission.authority_id, plugin_id=job.channel)
        delivery_targets.get(job.channel).deliver(submission, options)

    def failed(self, job: DeliveryJob, now: datetime) -> None:
        submission = Submission.objects.select_for_update().get(pk=job.submission_id)
        Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.DELIVERY_FAILED)
        audit_record(
            actor=None,
            action="submission.delivery_failed",
            target=submission,
            authority_id=submission.authority_id,
            changes={"channel": job.channel, "attempts": job.attempts},
        )
        _alert(submission, job)

    def done(self, job: DeliveryJob, now: datetime) -> None:
        # Locked: two workers finishing the last two jobs of one application
        # one after the other, so that the second sees the first's job done.
        submission = Submission.objects.select_for_update().get(pk=job.submission_id)
        if submission.jobs.exclude(status=JobStatus.DONE).exists():
            return
        final = delivered_status(list(submission.jobs.values_list("channel", flat=True)))
        Submission.objects.filter(pk=submission.pk).update(status=final)
        audit_record(
            actor=None,
            action="submission.delivered",
            target=submission,
            authority_id=submission.authority_id,
            changes={"status": [submission.status, final]},
        )


DELIVERY = DeliveryOutbox()
outbox_kind_register("delivery", DELIVERY)


def deliver_job(job_id: int, *, now: datetime | None = None) -> str:
    """Try one job once unless another worker holds it; its status afterwards
    (`JobStatus` value). Never raises for a channel's failure."""
    return DELIVERY.run(job_id, now=now)


def delivered_status(channels: list[str]) -> SubmissionStatus:
    """The status once every job of a submission is done: DELIVERED only if one
    of its channels reached the authority's own system (FIT-Connect, webhook);
    else the application lies in the platform's Eingang (IN_INBOX), and saying
    "zugestellt" would tell the applicant something that did not happen."""
    if reach_own_system(channels):
        return SubmissionStatus.DELIVERED
    return SubmissionStatus.IN_INBOX


def deliver_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Every open delivery job whose time has come and that nobody holds (the
    recovery run's loop); how many were attempted. One failing job never stops
    the others."""
    return DELIVERY.run_due(now=now, limit=limit)

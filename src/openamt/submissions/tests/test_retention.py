from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from openamt.core.models import AuditEntry
from openamt.submissions.constants import SubmissionStatus
from openamt.submissions.models import DeliveryJob, Draft, Submission
from openamt.submissions.retention import purge_expired
from openamt.submissions.services import (
    draft_start,
    submission_create,
    submission_transition,
)
from openamt.submissions.tests.test_submissions import answered


def _submitted(version, place):
    draft = draft_start(user=None, version=version, place=place)
    answered(draft)
    return submission_create(draft=draft)


def test_old_drafts_and_delivered_submissions_past_retention_are_deleted(dog_form, moxa):
    now = timezone.now()
    stale = draft_start(user=None, version=dog_form, place=moxa)
    fresh = draft_start(user=None, version=dog_form, place=moxa)
    Draft.objects.filter(pk=stale.pk).update(updated_at=now - timedelta(days=31))
    delivered = _submitted(dog_form, moxa)
    submission_transition(actor=None, submission=delivered, to=SubmissionStatus.DELIVERED)
    pending = _submitted(dog_form, moxa)
    Submission.objects.update(submitted_at=now - timedelta(days=731))  # DOG keeps 730 days

    counts = purge_expired(now=now)

    assert counts == {"drafts": 1, "submissions": 1}
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert list(Submission.objects.values_list("pk", flat=True)) == [
        pending.pk
    ]  # not delivered yet: kept
    assert not DeliveryJob.objects.filter(submission_id=delivered.pk).exists()
    audit = AuditEntry.objects.get(action="submission.purge")
    assert audit.changes == {"form": "hundesteuer", "version": 1, "deleted": 1}


def test_within_retention_nothing_is_deleted(dog_form, moxa, capsys):
    delivered = _submitted(dog_form, moxa)
    submission_transition(actor=None, submission=delivered, to=SubmissionStatus.DELIVERED)
    call_command("purge_expired")
    assert "gelöscht: 0 Entwürfe, 0 Anträge" in capsys.readouterr().out
    assert Submission.objects.filter(pk=delivered.pk).exists()

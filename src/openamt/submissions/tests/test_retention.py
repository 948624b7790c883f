from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from openamt.core.models import AuditEntry
from openamt.mailbox.models import Document
from openamt.submissions.attachments import attachment_upload
from openamt.submissions.constants import SubmissionStatus
from openamt.submissions.models import DeliveryJob, Draft, Submission
from openamt.submissions.retention import STRAY_FILE_GRACE, purge_expired
from openamt.submissions.services import (
    draft_start,
    submission_create,
    submission_transition,
)
from openamt.submissions.tests.test_submissions import answered
from openamt.testing.documents import sample_pdf


def _submitted(version, place):
    draft = draft_start(user=None, version=version, place=place)
    answered(draft)
    return submission_create(draft=draft)


def test_old_drafts_and_delivered_submissions_past_retention_are_deleted(
    dog_form, moxa, django_capture_on_commit_callbacks
):
    now = timezone.now()
    stale = draft_start(user=None, version=dog_form, place=moxa)
    attachment_upload(
        draft=stale,
        path="hunde.0.nachweis",
        spec={},
        upload=SimpleUploadedFile("alt.pdf", sample_pdf("nie eingereicht")),
    )
    abandoned = Document.objects.get()
    Document.objects.update(created_at=now - timedelta(days=31))
    fresh = draft_start(user=None, version=dog_form, place=moxa)
    Draft.objects.filter(pk=stale.pk).update(updated_at=now - timedelta(days=31))
    delivered = _submitted(dog_form, moxa)
    submission_transition(actor=None, submission=delivered, to=SubmissionStatus.DELIVERED)
    pending = _submitted(dog_form, moxa)
    Submission.objects.update(submitted_at=now - timedelta(days=731))  # DOG keeps 730 days

    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_expired(now=now)

    assert counts == {"drafts": 1, "submissions": 1, "documents": 1}
    assert not Document.objects.filter(pk=abandoned.pk).exists()
    assert not default_storage.exists(abandoned.file.name)
    assert Document.objects.count() == 1  # the permit of the submission still kept
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
    assert "gelöscht: 0 Entwürfe, 0 Anträge, 0 Dateien ohne Bezug" in capsys.readouterr().out
    assert Submission.objects.filter(pk=delivered.pk).exists()


def test_stored_files_no_row_names_are_removed_after_a_grace_period(dog_form, moxa, fresh_storage):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    attachment_upload(
        draft=draft,
        path="hunde.0.nachweis",
        spec={},
        upload=SimpleUploadedFile("erlaubnis.pdf", sample_pdf("behalten")),
    )
    kept = Document.objects.get().file.name
    stray = default_storage.save("postfach/ab/verwaist.pdf", ContentFile(b"%PDF-1.7 ohne Zeile"))
    later = timezone.now() + STRAY_FILE_GRACE + timedelta(minutes=1)

    young = purge_expired(now=timezone.now())
    assert young["files"] == 0
    assert default_storage.exists(stray)  # may belong to a request still running

    assert purge_expired(now=later)["files"] == 1
    assert not default_storage.exists(stray)
    assert default_storage.exists(kept)
    assert Document.objects.get().file.name == kept

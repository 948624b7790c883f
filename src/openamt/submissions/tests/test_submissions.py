import copy
import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from openamt.core.errors import InvalidInput, InvalidTransition
from openamt.core.models import AuditEntry
from openamt.forms.services import draft_save, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.submissions.attachments import attachment_upload
from openamt.submissions.constants import SubmissionStatus
from openamt.submissions.models import DeliveryJob, Draft, Submission
from openamt.submissions.services import (
    draft_answer,
    draft_start,
    submission_create,
    submission_transition,
)
from openamt.testing.documents import sample_pdf

ANSWERS = {
    "vorname": "Erika",
    "nachname": "Mustermann",
    "hunde": [
        {"name": "Bello", "gefaehrlich": "nein"},
        {"name": "Rex", "gefaehrlich": "nein"},
    ],
}
PERMIT = sample_pdf("Erlaubnis für Rex")


def answered(draft: Draft) -> Draft:
    """The draft with ANSWERS, Rex declared dangerous and his permit uploaded as a real PDF."""
    permit = attachment_upload(
        draft=draft,
        path="hunde.1.nachweis",
        spec={"accept": ["application/pdf"]},
        upload=SimpleUploadedFile("erlaubnis.pdf", PERMIT),
    )
    answers = copy.deepcopy(ANSWERS)
    answers["hunde"][1].update(gefaehrlich="ja", nachweis=permit)
    return draft_answer(draft=draft, answers=answers, step="tiere")


def test_a_draft_goes_to_the_responsible_authority_and_becomes_a_numbered_submission(
    dog_form, moxa
):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    assert draft.authority.name == "Verwaltungsgemeinschaft Ranis-Ziegenrück"
    answered(draft)
    first = submission_create(draft=draft, assurance_level="niedrig", consent=True)
    year = timezone.localdate().year
    assert first.reference == f"{year}-000001"
    digest = hashlib.sha256(PERMIT).hexdigest()
    assert first.answers["hunde"][1] == {
        "name": "Rex",
        "gefaehrlich": True,
        "nachweis": {
            "sha256": digest,
            "name": "erlaubnis.pdf",
            "size": len(PERMIT),
            "content_type": "application/pdf",
        },
    }
    assert list(first.attachments.values_list("path", "document__sha256", "name")) == [
        ("hunde.1.nachweis", digest, "erlaubnis.pdf")
    ]
    assert first.fees == [
        {"key": "gebuehr", "label": "Verwaltungsgebühr", "cents": 0, "example": True}
    ]
    assert list(first.jobs.values_list("channel", "status")) == [("eingang", "offen")]
    assert first.receipt_job.status == "offen"
    assert not Draft.objects.filter(pk=draft.pk).exists()
    second = draft_start(user=None, version=dog_form, place=moxa)
    answered(second)
    assert submission_create(draft=second).reference == f"{year}-000002"
    audit = AuditEntry.objects.get(action="submission.submit", object_id=str(first.pk))
    assert "Erika" not in str(audit.changes)  # no answers in the audit log


def test_an_incomplete_application_is_refused_and_nothing_is_created(dog_form, moxa):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    draft_answer(
        draft=draft,
        answers={**ANSWERS, "hunde": [{"name": "Rex", "gefaehrlich": "ja"}]},
        step="tiere",
    )
    with pytest.raises(
        InvalidInput, match=re.escape("hunde.0.nachweis: Bitte füllen Sie dieses Feld aus.")
    ):
        submission_create(draft=draft)
    assert not Submission.objects.exists()
    assert not DeliveryJob.objects.exists()
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_status_changes_follow_the_table(dog_form, moxa):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    answered(draft)
    submission = submission_create(draft=draft)
    delivered = submission_transition(
        actor=None, submission=submission, to=SubmissionStatus.DELIVERED
    )
    assert delivered.status == "zugestellt"
    with pytest.raises(
        InvalidTransition,
        match=re.escape(
            "Ein Antrag im Status „an das Fachverfahren der Behörde übermittelt“ kann nicht "
            "„zurückgezogen“ werden."
        ),
    ):
        submission_transition(actor=None, submission=delivered, to=SubmissionStatus.WITHDRAWN)
    assert Submission.objects.get(pk=submission.pk).status == "zugestellt"


def test_a_draft_keeps_the_version_it_began_with(dog_form, moxa):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    stricter = {
        **DOG,
        "steps": [
            {
                **DOG["steps"][0],
                "items": [
                    *DOG["steps"][0]["items"],
                    {"key": "telefon", "type": "phone", "label": "Telefon", "required": True},
                ],
            },
            DOG["steps"][1],
        ],
    }
    version_publish(
        actor=None, version=draft_save(actor=None, form=dog_form.form, definition=stricter)
    )
    answered(draft)
    submission = submission_create(draft=draft)  # the new required field does not apply
    assert submission.version == dog_form
    assert submission.version.number == 1

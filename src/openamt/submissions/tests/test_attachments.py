"""Uploads into an application: the limits of the field, the virus scanner and
the content decide; a refused file leaves nothing behind."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.errors import InvalidInput
from openamt.mailbox.models import Document
from openamt.submissions.attachments import attachment_upload
from openamt.submissions.models import Attachment
from openamt.submissions.services import draft_answer, draft_start, submission_create
from openamt.submissions.tests.test_submissions import ANSWERS
from openamt.testing.documents import active_pdf, sample_pdf

PERMIT_FIELD = {"type": "file", "accept": ["application/pdf"], "max_size_mb": 0.5}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "erlaubnis.pdf",
            b"%PDF-1.4\n" + EICAR,
            "„erlaubnis.pdf“ enthält Schadsoftware (Eicar-Test-Signature) und wird nicht angenommen.",
        ),
        (
            "gross.pdf",
            sample_pdf() + b"0" * (512 * 1024),
            "„gross.pdf“ ist größer als 0,5 MB.",
        ),
        (
            "programm.pdf",
            b"MZ\x90\x00\x03" + b"\x00" * 200,
            "„programm.pdf“ hat keinen erlaubten Dateityp (PDF).",
        ),
        (
            "foto.pdf",
            bytes.fromhex("89504e470d0a1a0a") + b"\x00" * 50,
            "„foto.pdf“ hat keinen erlaubten Dateityp (PDF).",
        ),
        *(
            (
                "antrag.pdf",
                active_pdf(kind),
                f"„antrag.pdf“ enthält aktive Inhalte ({found}) und wird nicht angenommen.",
            )
            for kind, found in [
                ("javascript", "JavaScript"),
                ("launch", "Programmstart"),
                ("submit", "Formularversand"),
                ("embedded", "eingebettete Dateien"),
                ("richmedia", "Rich Media"),
            ]
        ),
    ],
)
def test_a_refused_upload_leaves_nothing_behind(dog_form, moxa, name, data, message):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    with pytest.raises(InvalidInput, match=re.escape(message)) as refused:
        attachment_upload(
            draft=draft,
            path="hunde.0.nachweis",
            spec=PERMIT_FIELD,
            upload=SimpleUploadedFile(name, data),
        )
    assert refused.value.field == "hunde.0.nachweis"
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()


def test_the_same_file_is_stored_once(dog_form, moxa):
    pdf = sample_pdf("Erlaubnis")
    first = draft_start(user=None, version=dog_form, place=moxa)
    second = draft_start(user=None, version=dog_form, place=moxa)
    for draft in (first, second):
        attachment_upload(
            draft=draft,
            path="hunde.0.nachweis",
            spec=PERMIT_FIELD,
            upload=SimpleUploadedFile("a.pdf", pdf),
        )
    assert Document.objects.count() == 1
    assert Attachment.objects.count() == 2


def test_a_file_answer_without_an_upload_is_refused(dog_form, moxa):
    draft = draft_start(user=None, version=dog_form, place=moxa)
    forged = {
        "sha256": "a" * 64,
        "name": "erlaubnis.pdf",
        "size": 10,
        "content_type": "application/pdf",
    }
    draft_answer(
        draft=draft,
        answers={**ANSWERS, "hunde": [{"name": "Rex", "gefaehrlich": "ja", "nachweis": forged}]},
        step="tiere",
    )
    with pytest.raises(
        InvalidInput,
        match=re.escape(
            "Die Datei „erlaubnis.pdf“ liegt nicht vor; bitte laden Sie sie erneut hoch."
        ),
    ):
        submission_create(draft=draft)
    assert not Attachment.objects.exists()

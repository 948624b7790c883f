import io

from pypdf import PdfReader

from openamt.accounts.models import Account, User
from openamt.core.outbox import outbox_run_due
from openamt.forms.display import answer_rows
from openamt.mailbox.models import Message
from openamt.mailbox.services import mailbox_for
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.test_submissions import answered


def test_the_receipt_with_every_answer_arrives_in_the_postfach(dog_form, moxa):
    user = User.objects.create_user(username="erika@example.org", email="erika@example.org")
    mailbox_for(Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z"))
    draft = draft_start(user=user, version=dog_form, place=moxa)
    answered(draft)
    submission = submission_create(draft=draft)
    assert outbox_run_due()["receipt"] == 1
    assert outbox_run_due()["receipt"] == 0  # a second run delivers nothing twice
    message = Message.objects.get(mailbox__account__user=user)
    assert message.subject == f"Eingangsbestätigung {submission.reference}"
    assert message.sender == submission.authority
    attachment = message.attachments.get()
    assert attachment.filename == f"eingangsbestaetigung-{submission.reference}.pdf"
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(attachment.document.file.read())).pages
    )
    for expected in (
        submission.reference,
        "Verwaltungsgemeinschaft Ranis-Ziegenrück",
        "Erika",
        "Mustermann",
        "Hund 1: Name des Hundes",
        "Bello",
        "Hund 2: Gefährlicher Hund?",
        "Ja",
        "Moxa",
    ):
        assert expected in text, expected


def test_answers_are_shown_in_the_forms_order_and_words():
    from openamt.forms.tests.test_definition import DOG

    sections = answer_rows(
        DOG,
        {
            "vorname": "Erika",
            "hunde": [
                {
                    "name": "Rex",
                    "gefaehrlich": True,
                    "nachweis": {
                        "sha256": "0" * 64,
                        "name": "erlaubnis.pdf",
                        "size": 20480,
                        "content_type": "application/pdf",
                    },
                }
            ],
        },
    )
    assert [(step["title"], rows) for step, rows in sections] == [
        ("Halterin oder Halter", [("Vorname", "Erika")]),
        (
            "Hunde",
            [
                ("Hund 1: Name des Hundes", "Rex"),
                ("Hund 1: Gefährlicher Hund?", "Ja"),
                ("Hund 1: Erlaubnis", "erlaubnis.pdf (20 kB)"),
            ],
        ),
    ]

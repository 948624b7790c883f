"""Communication of a case through the Postfach: messages, Nachforderungen,
replies with uploads into the case file, reminders, and "Meine Anträge"."""

import datetime
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openamt.accounts.models import User
from openamt.cases.constants import STATUS_FOR_APPLICANT, CaseStatus, DocumentKind
from openamt.cases.messages import NO_POSTFACH, case_message_send
from openamt.cases.models import Case, CaseDocument, CaseMessage, InformationRequest
from openamt.cases.requests import (
    RequestItem,
    information_request_create,
    information_requests_remind,
    reminder_day,
)
from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.errors import InvalidInput, NotFound
from openamt.core.models import AuditEntry, OutboxMail
from openamt.core.outbox import outbox_run_due
from openamt.mailbox.models import Document, Message, Reply
from openamt.mailbox.services import Upload, reply_create
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.conftest import dog_form, moxa  # noqa: F401  (fixtures)
from openamt.submissions.tests.test_submissions import answered
from openamt.testing.accounts import holder_client, make_holder
from openamt.testing.documents import sample_pdf

MONDAY = datetime.date(2026, 12, 7)
ITEMS = [
    RequestItem(label="Nachweis der Haftpflichtversicherung", file=True),
    RequestItem(label="Name des Tierarztes", file=False),
]


@pytest.fixture
def citizen(db) -> User:
    return make_holder("erika@example.org")


@pytest.fixture
def case(dog_form, moxa, fresh_storage, citizen) -> Case:  # noqa: F811
    draft = draft_start(user=citizen, version=dog_form, place=moxa)
    submission = submission_create(draft=answered(draft))
    outbox_run_due()
    return Case.objects.get(submission=submission)


@pytest.fixture
def caseworker(case) -> User:
    user = User.objects.create_user(username="ranis.sb", password="ein-langes-test-passwort")
    authority_role_grant(
        actor=None, user=user, authority=case.authority, role=AuthorityRoleName.CASEWORKER
    )
    return user


def _stored() -> list[str]:
    return (
        sorted(default_storage.listdir("postfach")[1]) if default_storage.exists("postfach") else []
    )


def _request(case, caseworker, deadline=MONDAY + datetime.timedelta(days=14)):
    return information_request_create(
        actor=caseworker, case=case, items=ITEMS, deadline=deadline, today=MONDAY
    )


def test_a_message_reaches_the_postfach_and_the_case_file(case, caseworker, citizen):
    documents_before = CaseDocument.objects.filter(case=case).count()
    sent = case_message_send(
        actor=caseworker,
        case=case,
        subject="Rückfrage",
        body="Bitte rufen Sie uns an.",
        files=[Upload(name="merkblatt.pdf", data=sample_pdf("Merkblatt"))],
    )
    message = Message.objects.get(pk=sent.message.pk)
    assert message.mailbox.account.user == citizen
    assert message.reference == case.reference
    assert message.sender == case.authority
    assert [a.filename for a in message.attachments.all()] == ["merkblatt.pdf"]
    new = list(CaseDocument.objects.filter(case=case).order_by("pk")[documents_before:])
    assert [(d.kind, d.title) for d in new] == [
        (DocumentKind.MESSAGE, "Nachricht: Rückfrage"),
        (DocumentKind.MESSAGE, "Anlage zur Nachricht: merkblatt.pdf"),
    ]
    assert new[0].text == "Bitte rufen Sie uns an."
    assert new[0].document.content_type == "application/pdf"
    assert new[1].document.sha256 == hashlib.sha256(sample_pdf("Merkblatt")).hexdigest()
    entry = AuditEntry.objects.get(action="case.message_send")
    assert entry.actor_id == caseworker.pk
    assert entry.changes["message"] == str(message.public_id)
    assert OutboxMail.objects.filter(key=f"postfach.{message.public_id}.{citizen.pk}").count() == 1


def test_no_postfach_message_to_an_applicant_without_servicekonto(case, caseworker):
    Case.objects.filter(pk=case.pk).update(applicant_user=None)
    case.refresh_from_db()
    messages, documents = Message.objects.count(), CaseDocument.objects.count()
    with pytest.raises(InvalidInput) as raised:
        case_message_send(actor=caseworker, case=case, subject="Frage", body="Text")
    assert raised.value.message == NO_POSTFACH
    assert (Message.objects.count(), CaseDocument.objects.count()) == (messages, documents)
    assert not AuditEntry.objects.filter(action="case.message_send").exists()


def test_a_request_makes_the_case_wait_and_lists_items_and_deadline(case, caseworker):
    request = _request(case, caseworker)
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_APPLICANT
    assert request.status == InformationRequest.Status.OPEN
    assert request.items == [
        {"label": "Nachweis der Haftpflichtversicherung", "file": True},
        {"label": "Name des Tierarztes", "file": False},
    ]
    # Deadline Monday 21 Dec; three working days before: Wednesday 16 Dec.
    assert request.remind_on == datetime.date(2026, 12, 16)
    body = request.message.body
    assert "- Nachweis der Haftpflichtversicherung (bitte als Datei hochladen)\n" in body
    assert "- Name des Tierarztes\n" in body
    assert "bis zum 21.12.2026" in body
    assert request.message.subject == f"Nachforderung zu Ihrem Antrag {case.reference}"
    assert CaseDocument.objects.filter(case=case, kind=DocumentKind.MESSAGE).count() == 1
    assert AuditEntry.objects.filter(action="case.request_create").count() == 1
    transition = AuditEntry.objects.get(action="case.transition")
    assert transition.changes["status"] == [CaseStatus.NEW, CaseStatus.WAITING_APPLICANT]


def test_a_request_needs_an_item_and_a_future_deadline(case, caseworker):
    with pytest.raises(InvalidInput) as raised:
        information_request_create(
            actor=caseworker,
            case=case,
            items=[RequestItem(" ", True)],
            deadline=MONDAY,
            today=MONDAY,
        )
    assert raised.value.field == "items"
    with pytest.raises(InvalidInput) as raised:
        information_request_create(
            actor=caseworker, case=case, items=ITEMS, deadline=MONDAY, today=MONDAY
        )
    assert raised.value.field == "deadline"
    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert not InformationRequest.objects.exists()
    assert (
        not Message.objects.filter(reference=case.reference, sender=case.authority)
        .exclude(subject__startswith="Eingangsbestätigung")
        .filter(case_link__isnull=False)
        .exists()
    )


def test_the_reply_with_a_pdf_lands_in_the_file_and_the_case_resumes(case, caseworker, citizen):
    request = _request(case, caseworker)
    proof = sample_pdf("Versicherung")
    reply = reply_create(
        user=citizen,
        message=request.message,
        body="Anbei der Nachweis. Tierarzt: Dr. Huf.",
        files=[Upload(name="versicherung.pdf", data=proof)],
    )
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert request.status == InformationRequest.Status.ANSWERED
    assert request.answered_at is not None
    reply_doc = CaseDocument.objects.get(case=case, kind=DocumentKind.REPLY)
    assert reply_doc.text == "Anbei der Nachweis. Tierarzt: Dr. Huf."
    assert reply_doc.author == citizen
    assert len(reply_doc.document.sha256) == 64
    upload = CaseDocument.objects.filter(case=case, kind=DocumentKind.ATTACHMENT).last()
    assert upload.title == "versicherung.pdf"
    assert upload.document.sha256 == hashlib.sha256(proof).hexdigest()
    assert upload.document == reply.attachments.get().document
    back = AuditEntry.objects.filter(action="case.transition").order_by("pk").last()
    assert back.actor_id is None
    assert back.changes["status"] == [CaseStatus.WAITING_APPLICANT, CaseStatus.IN_PROGRESS]
    assert AuditEntry.objects.filter(action="case.request_answer").count() == 1


def test_an_infected_upload_refuses_the_reply_and_nothing_is_stored(case, caseworker, citizen):
    request = _request(case, caseworker)
    documents = CaseDocument.objects.count(), Document.objects.count()
    stored = _stored()
    with pytest.raises(InvalidInput) as raised:
        reply_create(
            user=citizen,
            message=request.message,
            body="Anbei.",
            files=[
                Upload(name="gut.pdf", data=sample_pdf("gut")),
                Upload(name="virus.pdf", data=b"%PDF-1.4\n" + EICAR),
            ],
        )
    assert raised.value.field == "attachments"
    assert not Reply.objects.exists()
    assert (CaseDocument.objects.count(), Document.objects.count()) == documents
    assert _stored() == stored
    case.refresh_from_db()
    request.refresh_from_db()
    assert case.status == CaseStatus.WAITING_APPLICANT
    assert request.status == InformationRequest.Status.OPEN


def test_another_applicant_cannot_reply(case, caseworker):
    request = _request(case, caseworker)
    stranger = make_holder("fremd@example.org")
    with pytest.raises(NotFound):
        reply_create(user=stranger, message=request.message, body="Hallo", files=[])
    response = holder_client(stranger).post(
        reverse("mailbox:detail", args=[request.message.public_id]), {"body": "Hallo"}
    )
    assert response.status_code == 404
    assert not Reply.objects.exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_APPLICANT


def test_the_reminder_goes_once_on_its_day(case, caseworker, citizen):
    request = _request(case, caseworker)
    remind_on = datetime.date(2026, 12, 16)
    assert information_requests_remind(today=remind_on - datetime.timedelta(days=1)) == 0
    assert information_requests_remind(today=remind_on) == 1
    assert information_requests_remind(today=remind_on) == 0
    assert information_requests_remind(today=remind_on + datetime.timedelta(days=1)) == 0
    request.refresh_from_db()
    reminder = request.reminder
    assert reminder.subject == f"Erinnerung: Nachforderung zu Ihrem Antrag {case.reference}"
    assert "bis zum 21.12.2026" in reminder.body
    assert OutboxMail.objects.filter(key=f"postfach.{reminder.public_id}.{citizen.pk}").count() == 1
    assert AuditEntry.objects.filter(action="case.request_remind").count() == 1
    assert CaseMessage.objects.get(message=reminder).request == request
    # A reply to the reminder answers the request too.
    reply_create(user=citizen, message=reminder, body="Kommt.", files=[])
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.ANSWERED


def test_the_reminder_day_skips_weekends_and_holidays(settings):
    settings.OPENAMT_REQUEST_REMINDER_WORKDAYS = 3
    # Monday 21 Dec 2026: Fri 18, Thu 17, Wed 16.
    assert reminder_day(datetime.date(2026, 12, 21)) == datetime.date(2026, 12, 16)
    # Monday 28 Dec 2026: 26/27 weekend and 2nd Christmas day, 25 Christmas,
    # then Thu 24, Wed 23, Tue 22.
    assert reminder_day(datetime.date(2026, 12, 28)) == datetime.date(2026, 12, 22)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_my_applications_shows_the_sentence_of_each_status(case, citizen, status):
    Case.objects.filter(pk=case.pk).update(status=status)
    page = holder_client(citizen).get(reverse("portal:my-applications")).content.decode()
    assert STATUS_FOR_APPLICANT[status] in page


def test_my_applications_shows_what_is_expected(case, caseworker, citizen):
    request = _request(case, caseworker)
    page = holder_client(citizen).get(reverse("portal:my-applications")).content.decode()
    assert STATUS_FOR_APPLICANT[CaseStatus.WAITING_APPLICANT] in page
    assert "Nachweis der Haftpflichtversicherung (als Datei)" in page
    assert "<strong>21.12.2026</strong>" in page
    assert reverse("mailbox:detail", args=[request.message.public_id]) in page


def test_staff_send_and_request_through_the_pages(case, caseworker, client):
    client.force_login(caseworker)
    url = reverse("backoffice:case-messages", kwargs={"case_id": case.public_id})
    page = client.get(url)
    assert page.status_code == 200
    back = reverse("backoffice:case", kwargs={"case_id": case.public_id})
    assert f'<a class="kern-link" href="{back}">Zurück zum Vorgang</a>' in page.content.decode()
    response = client.post(
        reverse("backoffice:case-message-send", kwargs={"case_id": case.public_id}),
        {"subject": "Rückfrage", "body": "Bitte melden."},
    )
    assert response.status_code == 302
    deadline = datetime.date.today() + datetime.timedelta(days=20)
    response = client.post(
        reverse("backoffice:case-request-create", kwargs={"case_id": case.public_id}),
        {"item_1": "Impfpass", "file_1": "on", "deadline": deadline.isoformat()},
    )
    assert response.status_code == 302
    request = InformationRequest.objects.get()
    assert request.items == [{"label": "Impfpass", "file": True}]
    page = client.get(url).content.decode()
    assert "Rückfrage" in page
    assert "Impfpass (Datei erwartet)" in page


def test_the_overdue_request_shows_on_the_staff_page(case, caseworker, client):
    today = datetime.date.today()
    information_request_create(
        actor=caseworker,
        case=case,
        items=ITEMS,
        deadline=today - datetime.timedelta(days=1),
        today=today - datetime.timedelta(days=10),
    )
    client.force_login(caseworker)
    page = client.get(
        reverse("backoffice:case-messages", kwargs={"case_id": case.public_id})
    ).content.decode()
    assert "Frist abgelaufen" in page


def test_staff_of_another_authority_get_404_on_every_new_url(
    case, caseworker, erfurt_caseworker, client
):
    request = _request(case, caseworker)
    reply_create(
        user=case.applicant_user,
        message=request.message,
        body="Anbei.",
        files=[Upload(name="n.pdf", data=sample_pdf("n"))],
    )
    attachment = request.message.replies.get().attachments.get()
    client.force_login(erfurt_caseworker)
    kwargs = {"case_id": case.public_id}
    urls = [
        reverse("backoffice:case-messages", kwargs=kwargs),
        reverse("backoffice:case-message-send", kwargs=kwargs),
        reverse("backoffice:case-request-create", kwargs=kwargs),
        reverse("backoffice:case-message-attachment", kwargs={**kwargs, "attachment_pk": 1}),
        reverse(
            "backoffice:case-reply-attachment", kwargs={**kwargs, "attachment_pk": attachment.pk}
        ),
    ]
    before = Message.objects.count(), InformationRequest.objects.count()
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"subject": "x", "body": "y", "item_1": "z"}).status_code in (
            404,
            405,
        ), url
    assert (Message.objects.count(), InformationRequest.objects.count()) == before


def test_an_auditor_reads_but_cannot_send(case, client):
    auditor = User.objects.create_user(username="ranis.pruef", password="ein-langes-test-passwort")
    authority_role_grant(
        actor=None, user=auditor, authority=case.authority, role=AuthorityRoleName.READ_ONLY
    )
    client.force_login(auditor)
    kwargs = {"case_id": case.public_id}
    page = client.get(reverse("backoffice:case-messages", kwargs=kwargs))
    assert page.status_code == 200
    assert "Nachforderung senden" not in page.content.decode()
    messages = Message.objects.count()
    response = client.post(
        reverse("backoffice:case-message-send", kwargs=kwargs), {"subject": "x", "body": "y"}
    )
    assert response.status_code == 403
    assert Message.objects.count() == messages


def test_the_case_page_include_shows_the_communication(case, caseworker, rf):
    _request(case, caseworker)
    request = rf.get("/")
    request.user = caseworker
    html = render_to_string("backoffice/case_messages.html", {"case": case}, request=request)
    assert "Nachweis der Haftpflichtversicherung (Datei erwartet)" in html
    assert f"Nachforderung zu Ihrem Antrag {case.reference}" in html
    assert reverse("backoffice:case-messages", kwargs={"case_id": case.public_id}) in html


def test_my_applications_reads_a_bounded_number_of_queries(
    case,
    caseworker,
    citizen,
    dog_form,  # noqa: F811
    moxa,  # noqa: F811
):
    client = holder_client(citizen)
    url = reverse("portal:my-applications")
    _request(case, caseworker)
    client.get(url)  # the session's first request records the login's activity
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(2):
        draft = draft_start(user=citizen, version=dog_form, place=moxa)
        submission_create(draft=answered(draft))
    outbox_run_due()
    assert Case.objects.filter(applicant_user=citizen).count() == 3
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)

import base64
import uuid

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from oauth2_provider.models import Application

from openamt.accounts.models import User
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Document, Message, Reply
from openamt.mailbox.services import mailbox_for
from openamt.oidc.models import ClientSettings
from openamt.submissions.retention import _stored_files
from openamt.testing.accounts import holder_client, make_holder
from openamt.testing.documents import PNG_1X1, active_pdf, sample_pdf

URL = "/api/v1/postfach/nachrichten"
SECRET = "zustelldienst-geheimnis-0123456789"


def _token(authority, name: str, scope: str = "postfach:zustellen") -> str:
    app = Application.objects.create(
        name=name,
        client_id=name,
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    ClientSettings.objects.create(application=app, authority=authority)
    response = Client().post(
        "/oidc/token/",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_id": name,
            "client_secret": SECRET,
        },
    )
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def anna(register) -> User:
    return make_holder("anna@example.org")


@pytest.fixture
def erfurt_token(erfurt) -> str:
    return _token(erfurt, "erfurt-fachverfahren")


def _deliver(token: str, address, key: str = "k-1", **overrides):
    payload = {
        "address": str(address),
        "subject": "Ihr Bescheid über die Hundesteuer",
        "body": "Sehr geehrte Frau Beispiel,\nanbei Ihr Bescheid.",
        "is_decision": True,
        "reference": "HSt-2026-0042",
        "documents": [
            {"filename": "bescheid.pdf", "content_base64": base64.b64encode(sample_pdf()).decode()}
        ],
        **overrides,
    }
    return Client().post(
        URL,
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_delivery_notification_opening_and_proof_of_access(
    anna, erfurt, erfurt_token, erfurt_caseworker, django_capture_on_commit_callbacks
):
    address = mailbox_for(anna.account).address
    with django_capture_on_commit_callbacks(execute=True):
        response = _deliver(erfurt_token, address)
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "zugestellt"
    assert body["first_opened_at"] is None
    message = Message.objects.get(public_id=body["id"])
    assert (message.sender, message.is_decision, message.attachments.get().filename) == (
        erfurt,
        True,
        "bescheid.pdf",
    )
    notice = mail.outbox[-1]
    assert (notice.to, notice.subject) == (["anna@example.org"], "Neue Nachricht in Ihrem Postfach")
    assert "Hundesteuer" not in notice.body

    holder = holder_client(anna)
    listing = holder.get("/konto/postfach/").content.decode()
    assert "<strong>Ihr Bescheid über die Hundesteuer</strong>" in listing
    detail = holder.get(f"/konto/postfach/{message.public_id}/")
    assert "Stadtverwaltung Erfurt" in detail.content.decode()
    pdf = holder.get(
        f"/konto/postfach/{message.public_id}/dokumente/{message.attachments.get().pk}/"
    )
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == sample_pdf()
    opened = Message.objects.get(pk=message.pk).first_opened_at
    assert opened is not None
    holder.get(f"/konto/postfach/{message.public_id}/")
    assert Message.objects.get(pk=message.pk).first_opened_at == opened  # the first opening counts

    status = Client().get(body["status_url"], HTTP_AUTHORIZATION=f"Bearer {erfurt_token}").json()
    assert status["status"] == "geöffnet"
    assert status["first_opened_at"] is not None
    staff = Client()
    staff.force_login(erfurt_caseworker)
    page = staff.get(
        f"/verwaltung/behoerden/{erfurt.pk}/postausgang/{message.public_id}/"
    ).content.decode()
    assert f'id="zugang">{opened.astimezone().strftime("%d.%m.%Y %H:%M:%S")}' in page


def test_the_same_idempotency_key_delivers_once(
    anna, erfurt_token, django_capture_on_commit_callbacks
):
    address = mailbox_for(anna.account).address
    with django_capture_on_commit_callbacks(execute=True):
        first = _deliver(erfurt_token, address, key="bescheid-42")
        again = _deliver(erfurt_token, address, key="bescheid-42")
    assert again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 1
    conflict = _deliver(erfurt_token, address, key="bescheid-42", subject="Etwas anderes")
    assert conflict.status_code == 409
    assert conflict["Content-Type"] == "application/problem+json"
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        (
            {
                "documents": [
                    {"filename": "x.pdf", "content_base64": base64.b64encode(PNG_1X1).decode()}
                ]
            },
            "keinen erlaubten Dateityp (PDF)",
        ),
        (
            {
                "documents": [
                    {
                        "filename": "x.pdf",
                        "content_base64": base64.b64encode(b"%PDF-1.7 kaputt").decode(),
                    }
                ]
            },
            "kein lesbares PDF",
        ),
        (
            {"documents": [{"filename": "x.pdf", "content_base64": "nicht base64!"}]},
            "nicht gültig Base64-kodiert",
        ),
        (
            {"documents": [{"filename": "x.pdf", "content_base64": "00000"}]},
            "nicht gültig Base64-kodiert",
        ),
    ],
)
def test_bad_documents_are_refused_and_nothing_is_delivered(anna, erfurt_token, overrides, detail):
    response = _deliver(erfurt_token, mailbox_for(anna.account).address, **overrides)
    assert response.status_code == 422
    problem = response.json()
    assert detail in " ".join(
        [problem["detail"], *(e["message"] for e in problem.get("errors", []))]
    )
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_a_refused_delivery_leaves_no_file_in_the_storage(anna, erfurt_token, fresh_storage):
    first = {"filename": "a.pdf", "content_base64": base64.b64encode(sample_pdf("A")).decode()}
    second = {"filename": "b.pdf", "content_base64": base64.b64encode(PNG_1X1).decode()}
    response = _deliver(erfurt_token, mailbox_for(anna.account).address, documents=[first, second])
    assert response.status_code == 422
    assert not Message.objects.exists()
    assert not Document.objects.exists()
    assert list(_stored_files(default_storage, "postfach/")) == []
    # What authorities deliver may carry scripts: only applications are refused them.
    active = {
        "filename": "c.pdf",
        "content_base64": base64.b64encode(active_pdf("submit")).decode(),
    }
    accepted = _deliver(erfurt_token, mailbox_for(anna.account).address, documents=[active])
    assert accepted.status_code == 202


def test_who_may_deliver_and_read_the_status(anna, erfurt, lindenberg, erfurt_token):
    address = mailbox_for(anna.account).address
    assert _deliver("kein-token", address).status_code == 401
    no_scope = _token(erfurt, "nur-openid", scope="openid")
    assert _deliver(no_scope, address).status_code == 401
    unassigned = _token(None, "ohne-behoerde")
    refused = _deliver(unassigned, address)
    assert refused.status_code == 403
    assert refused.json()["title"] == "Keine Berechtigung."
    assert _deliver(erfurt_token, uuid.uuid4()).status_code == 404
    assert not Message.objects.exists()
    delivered = _deliver(erfurt_token, address).json()
    other = _token(lindenberg, "lindenberg-fachverfahren")
    assert (
        Client().get(delivered["status_url"], HTTP_AUTHORIZATION=f"Bearer {other}").status_code
        == 404
    )


def test_a_holder_replies_with_an_attachment_and_the_authority_reads_it(
    anna, erfurt, erfurt_token, erfurt_caseworker
):
    message = Message.objects.get(
        public_id=_deliver(erfurt_token, mailbox_for(anna.account).address).json()["id"]
    )
    holder = holder_client(anna)
    url = f"/konto/postfach/{message.public_id}/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = holder.post(
        url,
        {
            "body": "Anbei",
            "attachments": [SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", "application/pdf")],
        },
    )
    assert "keinen erlaubten Dateityp" in bad.context["form"].errors["attachments"][0]
    assert not Reply.objects.exists()
    ok = holder.post(
        url,
        {
            "body": "Vielen Dank, anbei das Foto.",
            "attachments": [SimpleUploadedFile("foto.png", PNG_1X1, "image/png")],
        },
    )
    assert ok["Location"] == url
    reply = Reply.objects.get()
    assert reply.attachments.get().filename == "foto.png"
    staff = Client()
    staff.force_login(erfurt_caseworker)
    page = staff.get(
        f"/verwaltung/behoerden/{erfurt.pk}/postausgang/{message.public_id}/"
    ).content.decode()
    assert "Vielen Dank, anbei das Foto." in page
    download = staff.get(
        f"/verwaltung/behoerden/{erfurt.pk}/postausgang/{message.public_id}/anhaenge/{reply.attachments.get().pk}/"
    )
    assert b"".join(download.streaming_content) == PNG_1X1


def test_the_first_opening_is_audited_once_as_proof_of_access(anna, erfurt_token):
    message = Message.objects.get(
        public_id=_deliver(erfurt_token, mailbox_for(anna.account).address).json()["id"]
    )
    url = f"/konto/postfach/{message.public_id}/"
    opened = AuditEntry.objects.filter(action="message.open")
    assert holder_client(make_holder("ben@example.org")).get(url).status_code == 404
    assert not opened.exists()  # another holder's attempt is no opening
    holder = holder_client(anna)
    assert holder.get(url).status_code == 200
    assert holder.get(url).status_code == 200
    entry = opened.get()  # the first opening only
    assert (entry.actor_id, entry.object_type, entry.object_id, entry.authority_id) == (
        anna.pk,
        "mailbox.message",
        str(message.pk),
        message.sender_id,
    )
    assert entry.changes == {"is_decision": True}


def test_one_holder_never_sees_anothers_messages(anna, erfurt_token):
    message = Message.objects.get(
        public_id=_deliver(erfurt_token, mailbox_for(anna.account).address).json()["id"]
    )
    attachment = message.attachments.get()
    ben = holder_client(make_holder("ben@example.org"))
    Reply.objects.create(message=message, author=anna, body="Antwort")
    for url in [
        f"/konto/postfach/{message.public_id}/",
        f"/konto/postfach/{message.public_id}/dokumente/{attachment.pk}/",
        f"/konto/postfach/{message.public_id}/antwortanhaenge/1/",
    ]:
        assert ben.get(url).status_code == 404, url
        assert ben.post(url, {"body": "fremd"}).status_code in (404, 405), url
    assert "Hundesteuer" not in ben.get("/konto/postfach/").content.decode()
    assert Message.objects.get(pk=message.pk).first_opened_at is None
    assert Reply.objects.count() == 1


def test_the_postfach_list_is_paginated_and_query_bounded(
    anna, erfurt, django_assert_max_num_queries
):
    from openamt.mailbox.services import message_deliver

    address = mailbox_for(anna.account).address
    for number in range(45):
        message_deliver(sender=erfurt, address=address, subject=f"Nachricht {number}", body="Text")
    holder = holder_client(anna)
    with django_assert_max_num_queries(10):
        page = holder.get("/konto/postfach/", {"seite": 2})
    assert [m.subject for m in page.context["page"]][:2] == ["Nachricht 24", "Nachricht 23"]
    assert page.context["page"].paginator.count == 45

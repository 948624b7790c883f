import base64
import hashlib

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from oauth2_provider.models import Application

from openamt.api.v1 import BASE64_MESSAGE
from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.forms.answers import RULE_FAILED
from openamt.forms.inputs import NOT_TEXT
from openamt.forms.services import draft_save, version_publish
from openamt.mailbox.models import Document
from openamt.oidc.models import ClientSettings
from openamt.submissions import selectors
from openamt.submissions.models import Draft, Submission
from openamt.submissions.tests.test_submissions import ANSWERS, PERMIT
from openamt.testing.documents import active_pdf, sample_pdf

URL = "/api/v1/submissions"
SECRET = "portal-geheimnis-0123456789"


def _token(
    name: str = "partnerportal", scope: str = "antraege:einreichen", may_submit: bool = True
) -> str:
    app, created = Application.objects.get_or_create(
        client_id=name,
        defaults={
            "name": name,
            "client_secret": SECRET,
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_CLIENT_CREDENTIALS,
        },
    )
    if created:
        ClientSettings.objects.create(application=app, may_submit=may_submit)
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


def _submit(token: str, key: str = "k-1", **overrides):
    payload = {"form": "hundesteuer", "place": "16075069", "answers": ANSWERS, **overrides}
    return Client().post(
        URL,
        payload,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@pytest.fixture
def token(dog_form) -> str:
    return _token()


def test_a_trusted_portal_submits_once_per_key(token):
    first = _submit(token)
    assert first.status_code == 202
    body = first.json()
    assert (body["status"], body["authority"]) == (
        "eingereicht",
        "Verwaltungsgemeinschaft Ranis-Ziegenrück",
    )
    again = _submit(token)
    assert again.json()["id"] == body["id"]
    assert Submission.objects.count() == 1
    conflict = _submit(token, answers={**ANSWERS, "vorname": "Max"})
    assert conflict.status_code == 409
    assert Submission.objects.count() == 1
    status = Client().get(f"{URL}/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert status.json()["reference"] == body["reference"]
    other = _token("anderes-portal")
    assert (
        Client().get(f"{URL}/{body['id']}", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    )


def test_an_incomplete_application_is_refused_and_leaves_nothing(token):
    response = _submit(token, answers={**ANSWERS, "nachname": ""})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "nachname",
            "message": "Der Antrag ist noch nicht vollständig (nachname: Bitte füllen Sie dieses Feld aus.)",
        }
    ]
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()


def test_without_the_scope_or_for_an_unknown_form_or_place_nothing_happens(dog_form):
    assert _submit(_token("nur-zustellung", scope="postfach:zustellen")).status_code == 401
    refused = _submit(_token("fachverfahren", may_submit=False))
    assert refused.status_code == 403
    assert (
        refused.json()["detail"]
        == "Dieser Zugang ist nicht zum Einreichen von Anträgen registriert."
    )
    token = _token()
    assert _submit(token, form="gibt-es-nicht").status_code == 404
    assert _submit(token, key="k-2", place="99999999").status_code == 404
    assert not Submission.objects.exists()


REX = {"name": "Rex", "gefaehrlich": "ja"}


def _permit(content: bytes, path: str = "hunde.1.nachweis") -> list[dict]:
    return [
        {
            "path": path,
            "filename": "erlaubnis.pdf",
            "content_base64": base64.b64encode(content).decode(),
        }
    ]


def test_a_portal_sends_the_files_of_an_application(token):
    answers = {**ANSWERS, "hunde": [ANSWERS["hunde"][0], REX]}
    response = _submit(token, answers=answers, attachments=_permit(PERMIT))
    assert response.status_code == 202, response.content
    submission = Submission.objects.get()
    assert submission.answers["hunde"][1]["nachweis"] == {
        "sha256": hashlib.sha256(PERMIT).hexdigest(),
        "name": "erlaubnis.pdf",
        "size": len(PERMIT),
        "content_type": "application/pdf",
    }
    assert submission.attachments.get().path == "hunde.1.nachweis"
    again = _submit(token, answers=answers, attachments=_permit(PERMIT))
    assert again.json()["id"] == response.json()["id"]
    other = _submit(token, answers=answers, attachments=_permit(sample_pdf("Andere Erlaubnis")))
    assert other.status_code == 409


@pytest.mark.parametrize(
    ("attachments", "field", "message"),
    [
        (
            _permit(b"%PDF-1.4\n" + EICAR),
            "hunde.1.nachweis",
            "„erlaubnis.pdf“ enthält Schadsoftware (Eicar-Test-Signature) und wird nicht angenommen.",
        ),
        (
            _permit(PERMIT, path="vorname"),
            "vorname",
            "„vorname“ ist kein Dateifeld dieses Formulars.",
        ),
        (
            _permit(PERMIT, path="hunde.5.nachweis"),
            "hunde.5.nachweis",
            "Zu „hunde.5.nachweis“ gibt es keinen Eintrag in den Antworten.",
        ),
        *(
            (
                [{"path": "hunde.1.nachweis", "filename": "x.pdf", "content_base64": content}],
                "payload.attachments.0.content_base64",
                BASE64_MESSAGE,
            )
            for content in ("kein base64!", "00000", "AAAA\nAAAA", "AA=A", "-_-_")
        ),
    ],
)
def test_a_refused_file_refuses_the_application_and_leaves_nothing(
    token, attachments, field, message
):
    answers = {**ANSWERS, "hunde": [ANSWERS["hunde"][0], REX]}
    response = _submit(token, answers=answers, attachments=attachments)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": field, "message": message}]
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()
    assert not Document.objects.exists()


def test_a_fee_rule_that_fails_refuses_the_application_as_a_problem(token, dog_form):
    broken = {**dog_form.definition}
    broken["fees"] = [{"key": "gebuehr", "label": "Gebühr", "amount_cents": {"var": "vorname"}}]
    version_publish(
        actor=None, version=draft_save(actor=None, form=dog_form.form, definition=broken)
    )
    response = _submit(token)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == RULE_FAILED
    assert not Submission.objects.exists()


def test_a_key_won_by_a_parallel_request_with_other_content_is_a_conflict(token, monkeypatch):
    """The race: the check before writing found nothing, then the unique key
    refuses the row because a parallel request stored its own application."""
    first = _submit(token)
    assert first.status_code == 202
    misses = iter([None])
    found = selectors.submission_by_key
    monkeypatch.setattr(
        "openamt.submissions.services.submission_by_key",
        lambda **kwargs: next(misses, None) or found(**kwargs),
    )
    conflict = _submit(token, answers={**ANSWERS, "vorname": "Max"})
    assert conflict.status_code == 409
    assert conflict["Content-Type"] == "application/problem+json"
    misses = iter([None])
    again = _submit(token)
    assert (again.status_code, again.json()["id"]) == (202, first.json()["id"])
    assert Submission.objects.count() == 1
    assert not Draft.objects.exists()


def _stored_files() -> list[str]:
    """Every file in the documents' folder of the storage."""
    from openamt.submissions.retention import _stored_files as walk

    return list(walk(default_storage, "postfach/")) if default_storage.exists("postfach/") else []


@pytest.mark.parametrize(
    "answers",
    [
        {**ANSWERS, "nachname": ""},  # incomplete
        {**ANSWERS, "vorname": {"$gt": ""}},  # an object where text is asked for
    ],
)
def test_a_refused_application_leaves_no_file_in_the_storage(token, answers, fresh_storage):
    answers = {**answers, "hunde": [ANSWERS["hunde"][0], REX]}
    response = _submit(token, answers=answers, attachments=_permit(sample_pdf("Nie gespeichert")))
    assert response.status_code == 422
    assert not Submission.objects.exists()
    assert not Document.objects.exists()
    assert _stored_files() == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vorname", {"$gt": ""}),
        ("vorname", ["Erika"]),
        ("vorname", 42),
        ("vorname", True),
        ("nachname", {"$ne": None}),
    ],
)
def test_a_value_that_is_no_text_is_refused_not_stored_as_its_python_spelling(token, field, value):
    response = _submit(token, answers={**ANSWERS, field: value})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": field, "message": f"Der Antrag ist noch nicht vollständig ({field}: {NOT_TEXT})"}
    ]
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()


@pytest.mark.parametrize("kind", ["javascript", "launch", "submit", "embedded", "richmedia"])
def test_a_pdf_with_active_content_is_refused_for_an_application(token, kind, fresh_storage):
    answers = {**ANSWERS, "hunde": [ANSWERS["hunde"][0], REX]}
    response = _submit(token, answers=answers, attachments=_permit(active_pdf(kind)))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "hunde.1.nachweis"
    assert error["message"].startswith("„erlaubnis.pdf“ enthält aktive Inhalte (")
    assert error["message"].endswith(
        "und wird nicht angenommen. Bitte senden Sie ein PDF ohne Skripte, Aktionen und "
        "eingebettete Dateien, etwa über „Drucken als PDF“."
    )
    assert not Submission.objects.exists()
    assert not Document.objects.exists()
    assert _stored_files() == []

"""What the edges refuse before any operation runs: bodies over the limit (413),
bodies in another format or malformed (415, 400), always as RFC 9457 problems
for the API and as a German page for people; nothing is stored."""

import json

import pytest
from django.test import Client, override_settings

from openamt.mailbox.models import Document, Message
from openamt.submissions.models import Draft, Submission
from openamt.submissions.tests.test_api import _token as submitting_token
from openamt.submissions.tests.test_submissions import ANSWERS

SUBMISSIONS = "/api/v1/submissions"
DELIVERIES = "/api/v1/postfach/nachrichten"
TOO_LARGE = "Eine Anfrage darf höchstens 30 MB groß sein."
ONLY_JSON = "Die Schnittstelle nimmt nur JSON an (Content-Type: application/json; charset=utf-8)."


@pytest.fixture
def submitting(dog_form) -> str:
    return submitting_token()


@pytest.fixture
def delivering(erfurt) -> str:
    from openamt.mailbox.tests.test_delivery import _token

    return _token(erfurt, "erfurt-fachverfahren")


def _nothing_stored() -> None:
    assert not Submission.objects.exists()
    assert not Draft.objects.exists()
    assert not Message.objects.exists()
    assert not Document.objects.exists()


def _post(url: str, body: bytes, content_type: str, token: str = "x" * 20):
    return Client().post(
        url,
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )


def _problem(response, status: int, code: str, detail: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["type"], body["status"], body["detail"]) == (
        f"urn:openamt:problem:{code}",
        status,
        detail,
    )


@pytest.mark.parametrize("url", [SUBMISSIONS, DELIVERIES])
def test_a_31_mb_body_is_refused_with_413_as_a_problem(url, submitting, delivering):
    token = submitting if url == SUBMISSIONS else delivering
    payload = {"form": "hundesteuer", "place": "16075069", "answers": ANSWERS}
    body = json.dumps(payload).encode()[:-1] + b', "x": "' + b"a" * (31 * 1024 * 1024) + b'"}'
    response = _post(url, body, "application/json", token)
    _problem(response, 413, "request_too_large", TOO_LARGE)
    assert response.json()["title"] == "Die Anfrage ist zu groß."
    _nothing_stored()


def test_a_page_answers_an_oversized_form_with_a_german_413_page(db):
    response = Client().post(
        "/konto/anmelden/",
        b"username=" + b"a" * (31 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Die Anfrage ist zu groß." in response.content.decode()
    assert TOO_LARGE in response.content.decode()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024)
def test_the_limit_is_the_setting(submitting):
    response = _post(
        SUBMISSIONS, b"[" + b"1," * (600 * 1024) + b"1]", "application/json", submitting
    )
    _problem(response, 413, "request_too_large", "Eine Anfrage darf höchstens 1 MB groß sein.")
    small = _post(SUBMISSIONS, b"[1]", "application/json", submitting)
    assert small.status_code == 422


@pytest.mark.parametrize("url", [SUBMISSIONS, DELIVERIES])
@pytest.mark.parametrize("valid_token", [True, False])
def test_multipart_without_a_boundary_is_refused_as_a_problem(
    url, valid_token, submitting, delivering
):
    token = (submitting if url == SUBMISSIONS else delivering) if valid_token else "x"
    response = _post(url, b"--x\r\n\r\n", "multipart/form-data", token)
    if valid_token:
        _problem(response, 415, "unsupported_media_type", ONLY_JSON)
    else:
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
    _nothing_stored()


@pytest.mark.parametrize(
    ("content_type", "body", "status", "code", "detail"),
    [
        ("multipart/form-data; boundary=x", b"--x--\r\n", 415, "unsupported_media_type", ONLY_JSON),
        ("text/plain", b'{"form": "hundesteuer"}', 415, "unsupported_media_type", ONLY_JSON),
        ("application/json; charset=latin-1", b"{}", 415, "unsupported_media_type", ONLY_JSON),
        ("application/x-www-form-urlencoded", b"form=x", 415, "unsupported_media_type", ONLY_JSON),
        (
            "application/json",
            b'{"form": ',
            400,
            "bad_request",
            "Der Inhalt ist kein gültiges JSON.",
        ),
        (
            "application/json",
            b'{"x": NaN}',
            400,
            "bad_request",
            "Der Inhalt ist kein gültiges JSON.",
        ),
        ("application/json", b"\xff\xfe", 400, "bad_request", "Der Inhalt ist kein gültiges JSON."),
    ],
)
def test_bodies_that_are_not_json_are_refused_as_problems(
    submitting, content_type, body, status, code, detail
):
    _problem(_post(SUBMISSIONS, body, content_type, submitting), status, code, detail)
    _nothing_stored()

"""The cases API for an authority's specialised software: scoped to the
client's authority, status changes by the transition table, uploads checked
like every upload, idempotent writes, RFC 9457 errors."""

import base64
import datetime
import hashlib
from urllib.parse import urlencode

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.test import Client
from django.utils import timezone

from openamt.cases import files
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import Case, CaseApiWrite, CaseDocument
from openamt.catalogue.models import Service
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Document
from openamt.testing.api import api_client_token
from openamt.testing.documents import PNG_1X1, sample_pdf

URL = "/api/v1/cases"
TOKEN = "erfurt-fachverfahren-token-0123456789"
PROBLEM = "application/problem+json"


def iso(moment: datetime.datetime) -> str:
    # As the API writes times: UTC, milliseconds.
    return DjangoJSONEncoder().default(moment.astimezone(datetime.UTC))


@pytest.fixture
def token(erfurt) -> str:
    return api_client_token(
        name="erfurt-fachverfahren", scope="vorgaenge:bearbeiten", token=TOKEN, authority=erfurt
    )


@pytest.fixture
def service(register) -> Service:
    return Service.objects.order_by("leika_key").first()


def make_case(authority, service, number: int, **fields) -> Case:
    return Case.objects.create(
        authority=authority,
        reference=f"V-{number:04d}",
        file_number=f"AZ-{number:04d}",
        service=service,
        applicant_name=f"Erika Beispiel {number}",
        applicant_address={"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"},
        received_at=datetime.datetime(2026, 3, number, 9, tzinfo=datetime.UTC),
        **fields,
    )


@pytest.fixture
def case(erfurt, service, fresh_storage) -> Case:
    case = make_case(erfurt, service, 1, status=CaseStatus.IN_PROGRESS)
    files.file_document_add(
        case=case,
        kind=DocumentKind.APPLICATION,
        title="Antrag",
        data=sample_pdf("Antrag"),
        name="antrag.pdf",
        author=None,
        author_name="Erika Beispiel 1",
    )
    return case


def call(method: str, path: str, token: str = TOKEN, key: str | None = None, **body):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    client = Client()
    if method == "get":
        return client.get(path, **headers)
    return client.post(path, body, content_type="application/json", **headers)


def document_json(entry: CaseDocument) -> dict:
    entry.refresh_from_db()
    return {
        "id": str(entry.public_id),
        "kind": entry.kind,
        "title": entry.title,
        "filename": entry.filename,
        "version": entry.version,
        "replaces": None,
        "content_type": entry.document.content_type,
        "size": entry.document.size,
        "sha256": entry.document.sha256,
        "author": entry.author_name,
        "created_at": iso(entry.created_at),
    }


def summary_json(case: Case) -> dict:
    case.refresh_from_db()
    return {
        "id": str(case.public_id),
        "reference": case.reference,
        "file_number": case.file_number,
        "service": case.service.leika_key,
        "service_name": case.service.name,
        "channel": "online",
        "status": case.status,
        "applicant_name": case.applicant_name,
        "received_at": iso(case.received_at),
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "decided_at": iso(case.decided_at) if case.decided_at else None,
        "closed_at": None,
        "updated_at": iso(case.updated_at),
    }


def test_read_one_case_with_its_documents(token, case, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = call("get", f"{URL}/{case.public_id}")
    assert response.status_code == 200
    (entry,) = case.documents.all()
    assert response.json() == {
        **summary_json(case),
        "applicant_address": {"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"},
        "submission": None,
        "documents": [document_json(entry)],
    }
    assert (
        response.json()["documents"][0]["sha256"]
        == hashlib.sha256(sample_pdf("Antrag")).hexdigest()
    )


def test_the_list_is_filtered_paginated_and_bounded(
    token, erfurt, lindenberg, service, django_assert_max_num_queries
):
    other = Service.objects.exclude(pk=service.pk).order_by("leika_key").first()
    first = make_case(erfurt, service, 1)
    second = make_case(erfurt, service, 2, status=CaseStatus.IN_PROGRESS)
    third = make_case(erfurt, other, 3)
    make_case(lindenberg, service, 4)  # another authority's: never listed
    Case.objects.filter(pk=first.pk).update(
        updated_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    )
    for extra in range(5, 25):
        make_case(erfurt, service, extra)
    with django_assert_max_num_queries(4):
        response = call("get", f"{URL}?limit=2")
    assert response.status_code == 200
    assert response.json()["count"] == 23
    assert response.json()["items"] == [summary_json(first), summary_json(second)]
    response = call("get", f"{URL}?status=in_bearbeitung")
    assert response.json() == {"items": [summary_json(second)], "count": 1}
    response = call("get", f"{URL}?service={other.leika_key}")
    assert response.json() == {"items": [summary_json(third)], "count": 1}
    since = iso(timezone.now() - datetime.timedelta(days=1))
    response = Client().get(URL, {"updated_since": since}, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.json()["count"] == 22  # all but the one changed on 1 March


def test_a_status_change_goes_through_the_transition_table(token, case):
    response = call(
        "post",
        f"{URL}/{case.public_id}/status",
        key="t-1",
        status="entschieden",
        reason="Bewilligt",
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert response.json()["status"] == "entschieden"
    assert response.json()["decided_at"] == iso(case.decided_at)
    entry = AuditEntry.objects.filter(action="case.transition").get()
    assert (entry.actor_id, entry.object_id, entry.authority_id) == (
        None,
        str(case.pk),
        case.authority_id,
    )
    assert entry.changes == {
        "status": ["in_bearbeitung", "entschieden"],
        "reason": "Bewilligt",
        "client": "erfurt-fachverfahren",
    }
    # The same request again (a retry) changes nothing twice.
    again = call(
        "post",
        f"{URL}/{case.public_id}/status",
        key="t-1",
        status="entschieden",
        reason="Bewilligt",
    )
    assert again.status_code == 200
    assert AuditEntry.objects.filter(action="case.transition").count() == 1


def test_an_illegal_transition_is_a_409_problem(token, case):
    response = call("post", f"{URL}/{case.public_id}/status", key="t-2", status="neu")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    assert response.json() == {
        "type": "urn:openamt:problem:invalid_transition",
        "title": response.json()["title"],
        "status": 409,
        "detail": "Ein Vorgang im Status „in Bearbeitung“ kann nicht „neu“ werden.",
    }
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert not CaseApiWrite.objects.exists()
    assert not AuditEntry.objects.filter(action="case.transition").exists()


def _pdf_body(title: str = "Gutachten", data: bytes | None = None, **extra) -> dict:
    data = sample_pdf(title) if data is None else data
    return {
        "filename": "gutachten.pdf",
        "content_base64": base64.b64encode(data).decode(),
        "title": title,
        **extra,
    }


def test_upload_a_document_idempotently(token, case, django_assert_max_num_queries):
    path = f"{URL}/{case.public_id}/documents"
    response = call("post", path, key="u-1", **_pdf_body(kind="anlage"))
    assert response.status_code == 201
    entry = CaseDocument.objects.get(public_id=response.json()["id"])
    assert (entry.kind, entry.title, entry.filename, entry.author_name, entry.author) == (
        "anlage",
        "Gutachten",
        "gutachten.pdf",
        "Fachverfahren erfurt-fachverfahren",
        None,
    )
    assert response.json() == document_json(entry)
    audit = AuditEntry.objects.filter(action="case.document_add").order_by("id").last()
    assert audit.changes["client"] == "erfurt-fachverfahren"
    # Same key, same body: the same document, nothing stored twice.
    again = call("post", path, key="u-1", **_pdf_body(kind="anlage"))
    assert again.status_code == 201
    assert again.json() == response.json()
    assert case.documents.count() == 2
    # Same key, another body: refused, nothing stored.
    documents = Document.objects.count()
    other = call("post", path, key="u-1", **_pdf_body("Anderes Gutachten", kind="anlage"))
    assert other.status_code == 409
    assert other["Content-Type"] == PROBLEM
    assert other.json()["type"] == "urn:openamt:problem:conflict"
    assert case.documents.count() == 2
    assert Document.objects.count() == documents
    # The document downloads as it was sent.
    download = call("get", f"{path}/{entry.public_id}")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == sample_pdf("Gutachten")
    with django_assert_max_num_queries(5):
        listing = call("get", path)
    assert [item["id"] for item in listing.json()["items"]] == [
        str(d.public_id) for d in case.documents.order_by("created_at", "id")
    ]


def test_upload_the_decision_as_pdf_only(token, case):
    path = f"{URL}/{case.public_id}/bescheid"
    png = call(
        "post",
        path,
        key="b-1",
        filename="bescheid.png",
        content_base64=base64.b64encode(PNG_1X1).decode(),
    )
    assert png.status_code == 422
    assert png.json()["errors"] == [
        {"field": "content_base64", "message": "Der Bescheid muss ein PDF sein."}
    ]
    assert not case.documents.filter(kind=DocumentKind.DECISION).exists()
    response = call("post", path, key="b-2", **_pdf_body("Bescheid über die Hundesteuer"))
    assert response.status_code == 201
    entry = case.documents.get(kind=DocumentKind.DECISION)
    assert response.json() == document_json(entry)
    assert entry.title == "Bescheid über die Hundesteuer"
    # A file that only looks like a PDF is refused by the upload checks.
    broken = call("post", path, key="b-3", **_pdf_body(data=b"%PDF-1.7 kaputt"))
    assert broken.status_code == 422
    assert case.documents.filter(kind=DocumentKind.DECISION).count() == 1


def test_other_authorities_and_other_clients_are_refused(token, case, lindenberg, service):
    foreign = make_case(lindenberg, service, 9, status=CaseStatus.IN_PROGRESS)
    for response in (
        call("get", f"{URL}/{foreign.public_id}"),
        call("get", f"{URL}/{foreign.public_id}/documents"),
        call("post", f"{URL}/{foreign.public_id}/status", key="x-1", status="entschieden"),
        call("post", f"{URL}/{foreign.public_id}/documents", key="x-2", **_pdf_body()),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM
        assert response.json() == {
            "type": "urn:openamt:problem:not_found",
            "title": response.json()["title"],
            "status": 404,
            "detail": "Diesen Vorgang gibt es nicht oder er gehört nicht zu Ihrer Behörde.",
        }
    foreign.refresh_from_db()
    assert foreign.status == CaseStatus.IN_PROGRESS
    assert not foreign.documents.exists()
    # A token with another scope is no credential here; a client of no authority is refused.
    api_client_token(
        name="zustelldienst", scope="postfach:zustellen", token="postfach-token-0123456789"
    )
    api_client_token(name="portal", scope="vorgaenge:bearbeiten", token="ohne-behoerde-0123456789")
    wrong_scope = call("get", f"{URL}/{case.public_id}", token="postfach-token-0123456789")
    assert (wrong_scope.status_code, wrong_scope["Content-Type"]) == (401, PROBLEM)
    no_authority = call("get", URL, token="ohne-behoerde-0123456789")
    assert (no_authority.status_code, no_authority["Content-Type"]) == (403, PROBLEM)
    assert not CaseApiWrite.objects.exists()


@pytest.mark.parametrize(
    ("since", "status"),
    [("1370-11-15T03:10:14.16+22:53", 200), ("0001-01-01T00:00:00+23:00", 422)],
)
def test_updated_since_with_any_rfc3339_offset_is_compared_in_utc(since, status, token, case):
    response = call("get", "/api/v1/cases?" + urlencode({"updated_since": since}), token)
    assert response.status_code == status

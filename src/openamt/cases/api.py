"""Cases API for an authority's own specialised software (Fachverfahren).

Clients authenticate with an OAuth2 access token from the client-credentials
grant (scope `vorgaenge:bearbeiten`); the Land registers each client for one
authority, and the client sees and works on that authority's cases only, as
the authority: audit entries name the client. A case of another authority
is "not found". Every write carries an `Idempotency-Key`: a retry with the
same content answers with what the first did; other content under the same
key is 409. Errors are RFC 9457 problem+json.
"""

import hashlib
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.pagination import paginate
from oauth2_provider.models import Application
from pydantic import field_validator

from openamt.cases import files
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.models import Case, CaseApiWrite, CaseDocument
from openamt.cases.services import case_transition
from openamt.core.api_auth import ApiClient, ScopedClient, api_client
from openamt.core.errors import InvalidInput, NotFound
from openamt.core.files import files_removed_on_failure
from openamt.core.idempotency import idempotent_create, request_digest
from openamt.core.pagination import Pagination
from openamt.core.schemas import FILE_NAME_PATTERN, Base64File, ProblemOut
from openamt.mailbox.documents import download
from openamt.oidc.selectors import client_settings
from openamt.organisations.models import Authority

SCOPE = "vorgaenge:bearbeiten"
router = Router()
NOT_FOUND = "Diesen Vorgang gibt es nicht oder er gehört nicht zu Ihrer Behörde."
DOCUMENT_NOT_FOUND = "Dieses Dokument gibt es nicht in dieser Akte."
CONFLICT = "Dieser Idempotency-Key wurde schon für eine andere Anfrage verwendet."
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
RFC3339_START = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}")
# What the software may file besides the decision: the kinds a caseworker adds by hand.
UploadKind = Literal["anlage", "scan", "vermerk", "sonstiges"]
IDEMPOTENCY_KEY = Header(
    ..., alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$"
)


def _authority(application: Application) -> Authority | None:
    settings = client_settings(application)
    return settings.authority if settings is not None else None


# A client registered for one authority, whose cases it works on.
case_client = ScopedClient(
    scope=SCOPE,
    admit=_authority,
    refusal="Dieser Zugang ist keiner Behörde zugeordnet und darf keine Vorgänge bearbeiten.",
)


class CaseDocumentOut(Schema):
    id: uuid.UUID
    kind: str = Field(description="Art (antrag, anlage, scan, nachricht, bescheid, …)")
    title: str
    filename: str
    version: int
    replaces: uuid.UUID | None = Field(description="die Fassung, die dieses Dokument ersetzt")
    content_type: str
    size: int = Field(description="Größe in Bytes")
    sha256: str
    author: str = Field(description="Urheber, wie die Akte ihn nennt")
    created_at: datetime


class CaseSummaryOut(Schema):
    id: uuid.UUID
    reference: str = Field(description="Vorgangsnummer")
    file_number: str = Field(description="Aktenzeichen")
    service: str = Field(description="Leistungsschlüssel (LeiKa)")
    service_name: str
    channel: str
    status: str
    applicant_name: str
    received_at: datetime
    due_on: str | None = Field(description="Frist (JJJJ-MM-TT)")
    decided_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime


class CaseOut(CaseSummaryOut):
    applicant_address: dict[str, str]
    submission: str | None = Field(description="Referenz des Online-Antrags")
    documents: list[CaseDocumentOut]


class CaseFilter(Schema):
    status: CaseStatus | None = None
    service: str | None = Field(None, pattern=r"^\d{14}$", description="Leistungsschlüssel")
    updated_since: datetime | None = Field(
        None, description="nur seitdem geänderte Vorgänge (Zeitpunkt nach RFC 3339)"
    )

    @field_validator("updated_since", mode="before")
    @classmethod
    def _rfc3339(cls, value: Any) -> Any:
        # pydantic would also read a number as Unix time; the schema promises a date-time.
        if isinstance(value, str) and not RFC3339_START.match(value):
            raise ValueError("Hier wird ein Zeitpunkt nach RFC 3339 erwartet.")
        return value

    @field_validator("updated_since")
    @classmethod
    def _in_utc(cls, value: datetime | None) -> datetime | None:
        # RFC 3339 allows offsets up to ±23:59, PostgreSQL only ±15:59: compare in UTC.
        if value is None or value.tzinfo is None:
            return value
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError("Dieser Zeitpunkt liegt außerhalb des Kalenders.") from None


class CaseTransitionIn(Schema):
    status: CaseStatus
    reason: str = Field("", max_length=500, pattern=TEXT_PATTERN, description="Begründung")


class CaseDocumentIn(Base64File):
    """Ein Dokument für die Akte: PDF, PNG oder JPEG (geprüft wie jeder Upload)."""

    title: str = Field(min_length=1, max_length=200, pattern=TEXT_PATTERN)
    kind: UploadKind = "anlage"


class CaseDecisionIn(Base64File):
    """Der Bescheid als PDF."""

    title: str = Field("Bescheid", min_length=1, max_length=200, pattern=TEXT_PATTERN)
    filename: str = Field(max_length=120, pattern=FILE_NAME_PATTERN, min_length=1)


def _document_out(entry: CaseDocument) -> dict[str, Any]:
    return {
        "id": entry.public_id,
        "kind": entry.kind,
        "title": entry.title,
        "filename": entry.filename,
        "version": entry.version,
        "replaces": entry.replaces.public_id if entry.replaces else None,
        "content_type": entry.document.content_type,
        "size": entry.document.size,
        "sha256": entry.document.sha256,
        "author": entry.author_name,
        "created_at": entry.created_at,
    }


def _summary(case: Case) -> dict[str, Any]:
    return {
        "id": case.public_id,
        "reference": case.reference,
        "file_number": case.file_number,
        "service": case.service.leika_key,
        "service_name": case.service.name,
        "channel": case.channel,
        "status": case.status,
        "applicant_name": case.applicant_name,
        "received_at": case.received_at,
        "due_on": case.due_on.isoformat() if case.due_on else None,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "updated_at": case.updated_at,
    }


def _documents(case: Case) -> QuerySet[CaseDocument]:
    return case.documents.select_related("document", "replaces").order_by("created_at", "id")


def _case_out(case: Case) -> dict[str, Any]:
    submission = case.submission.reference if case.submission_id and case.submission else None
    return {
        **_summary(case),
        "applicant_address": {str(k): str(v) for k, v in case.applicant_address.items()},
        "submission": submission,
        "documents": [_document_out(entry) for entry in _documents(case)],
    }


def _case_of(client: ApiClient, public_id: uuid.UUID) -> Case:
    """The case if it belongs to the client's authority; NotFound otherwise."""
    case = (
        Case.objects.select_related("service", "submission")
        .filter(public_id=public_id, authority=client.grant)
        .first()
    )
    if case is None:
        raise NotFound(NOT_FOUND)
    return case


def _author_name(client: ApiClient) -> str:
    return f"Fachverfahren {client.application.name}"[:200]


def _keyed_write(
    client: ApiClient, case: Case, key: str, content: dict[str, Any], work: Any
) -> CaseApiWrite:
    """Run `work()` (which returns the document it filed, or None) once per
    Idempotency-Key of this client; a repeat answers the first write."""

    def create() -> CaseApiWrite:
        document = work()
        return CaseApiWrite.objects.create(
            client_id=client.client_id,
            idempotency_key=key,
            request_digest=request_digest(content),
            case=case,
            document=document,
        )

    write, _created = idempotent_create(
        find=lambda: CaseApiWrite.objects.filter(
            client_id=client.client_id, idempotency_key=key
        ).first(),
        create=create,
        digest=request_digest(content),
        conflict=CONFLICT,
    )
    if write.case_id != case.pk:
        raise InvalidInput(CONFLICT, field="Idempotency-Key")
    return write


class _Mapped:
    """A queryset that the paginator slices and counts; each page is mapped to
    its JSON shape, so a page costs one query for the rows and one for the count."""

    def __init__(self, rows: QuerySet[Any], shape: Callable[[Any], dict[str, Any]]) -> None:
        self.rows = rows
        self.shape = shape

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.shape(row) for row in self.rows[index]]


PROBLEMS = {401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut}
WRITE_PROBLEMS = {**PROBLEMS, 400: ProblemOut, 409: ProblemOut, 413: ProblemOut, 415: ProblemOut}


@router.get(
    "",
    auth=case_client,
    response={200: list[CaseSummaryOut], **PROBLEMS},
    summary="Vorgänge der Behörde",
    description="Ältest geänderte zuerst; mit `updated_since` holt ein Fachverfahren nur Neues ab.",
)
@paginate(Pagination)
def case_list(request: HttpRequest, filters: Query[CaseFilter]) -> _Mapped:
    cases = Case.objects.filter(authority=api_client(request).grant)
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.service:
        cases = cases.filter(service__leika_key=filters.service)
    if filters.updated_since:
        cases = cases.filter(updated_at__gte=filters.updated_since)
    # Paginated lazily: the paginator slices and counts, each page is mapped.
    return _Mapped(cases.select_related("service").order_by("updated_at", "id"), _summary)


@router.get(
    "/{public_id}",
    auth=case_client,
    response={200: CaseOut, **PROBLEMS},
    summary="Ein Vorgang mit den Angaben zu den Dokumenten seiner Akte",
)
def case_read(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    return _case_out(_case_of(api_client(request), public_id))


@router.post(
    "/{public_id}/status",
    auth=case_client,
    response={200: CaseOut, **WRITE_PROBLEMS},
    summary="Status eines Vorgangs ändern",
    description=(
        "Nach der Übergangstabelle der Vorgänge; ein nicht erlaubter Übergang ergibt 409. "
        "Dieselbe Anfrage mit demselben Idempotency-Key ändert nichts zweimal."
    ),
)
def case_status(
    request: HttpRequest,
    public_id: uuid.UUID,
    payload: CaseTransitionIn,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> dict[str, Any]:
    client = api_client(request)
    case = _case_of(client, public_id)
    content = {"case": public_id, "status": payload.status, "reason": payload.reason}

    def work() -> None:
        case_transition(
            actor=None,
            case=case,
            to=payload.status,
            reason=payload.reason,
            client_id=client.client_id,
        )

    _keyed_write(client, case, idempotency_key, content, work)
    return _case_out(_case_of(client, public_id))


@router.get(
    "/{public_id}/documents",
    auth=case_client,
    response={200: list[CaseDocumentOut], **PROBLEMS},
    summary="Dokumente der Akte (Angaben)",
)
@paginate(Pagination)
def document_list(request: HttpRequest, public_id: uuid.UUID) -> _Mapped:
    case = _case_of(api_client(request), public_id)
    return _Mapped(_documents(case), _document_out)


@router.get(
    "/{public_id}/documents/{document_id}",
    auth=case_client,
    response={200: None, **PROBLEMS},
    summary="Ein Dokument der Akte herunterladen",
    openapi_extra={
        "responses": {
            200: {
                "description": "Der Inhalt des Dokuments",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in ("application/pdf", "image/png", "image/jpeg")
                },
            }
        }
    },
)
def document_download(
    request: HttpRequest, public_id: uuid.UUID, document_id: uuid.UUID
) -> FileResponse:
    case = _case_of(api_client(request), public_id)
    entry = case.documents.select_related("document").filter(public_id=document_id).first()
    if entry is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    return download(entry.document, entry.filename)


def _upload(
    request: HttpRequest,
    public_id: uuid.UUID,
    *,
    kind: str,
    title: str,
    filename: str,
    data: bytes,
    key: str,
) -> Status:
    client = api_client(request)
    case = _case_of(client, public_id)
    content = {
        "case": public_id,
        "kind": kind,
        "title": title,
        "filename": filename,
        "sha256": hashlib.sha256(data).hexdigest(),
    }

    def work() -> CaseDocument:
        return files.file_document_add(
            case=case,
            kind=kind,
            title=title,
            data=data,
            name=filename,
            author=None,
            author_name=_author_name(client),
            field="content_base64",
            client_id=client.client_id,
        )

    # A refused upload leaves no stored file behind.
    with files_removed_on_failure():
        write = _keyed_write(client, case, key, content, work)
    entry = CaseDocument.objects.select_related("document", "replaces").get(
        pk=write.document_id or 0
    )
    return Status(201, _document_out(entry))


@router.post(
    "/{public_id}/documents",
    auth=case_client,
    response={201: CaseDocumentOut, **WRITE_PROBLEMS},
    summary="Ein Dokument zur Akte nehmen",
    description=(
        "PDF, PNG oder JPEG, geprüft wie jeder Upload (Größe, Typ nach Inhalt, Virenprüfung). "
        "Dieselbe Anfrage mit demselben Idempotency-Key liefert dasselbe Dokument; "
        "derselbe Schlüssel mit anderem Inhalt ergibt 409."
    ),
)
def document_upload(
    request: HttpRequest,
    public_id: uuid.UUID,
    payload: CaseDocumentIn,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> Status:
    return _upload(
        request,
        public_id,
        kind=payload.kind,
        title=payload.title,
        filename=payload.filename,
        data=payload.content(),
        key=idempotency_key,
    )


@router.post(
    "/{public_id}/bescheid",
    auth=case_client,
    response={201: CaseDocumentOut, **WRITE_PROBLEMS},
    summary="Den Bescheid (PDF) zur Akte nehmen",
    description=(
        "Nur PDF, geprüft wie jeder Upload. Der Status ändert sich dadurch nicht "
        "(dafür: Status ändern). Idempotency-Key wie beim Dokument."
    ),
)
def decision_upload(
    request: HttpRequest,
    public_id: uuid.UUID,
    payload: CaseDecisionIn,
    idempotency_key: str = IDEMPOTENCY_KEY,
) -> Status:
    data = payload.content()
    if not data.startswith(b"%PDF-"):
        raise InvalidInput("Der Bescheid muss ein PDF sein.", field="content_base64")
    return _upload(
        request,
        public_id,
        kind=DocumentKind.DECISION,
        title=payload.title,
        filename=payload.filename,
        data=data,
        key=idempotency_key,
    )

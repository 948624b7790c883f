"""Submissions by trusted clients (partner portals) on an applicant's behalf:
OAuth2 client credentials with scope `antraege:einreichen`, an
`Idempotency-Key` per application, the same checks as the online form."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status
from ninja.security import HttpBearer
from oauth2_provider.oauth2_backends import get_oauthlib_core

from openamt.core.errors import InvalidInput, NotFound, PermissionDenied
from openamt.core.schemas import ProblemOut
from openamt.oidc.selectors import client_settings
from openamt.submissions.models import Submission
from openamt.submissions.selectors import submission_of_client
from openamt.submissions.services import FileIn, submission_receive

SCOPE = "antraege:einreichen"
router = Router()


class SubmittingClient(HttpBearer):
    """A valid token with the scope, of a client the Land registered to submit."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[SCOPE])
        if not valid:
            return None
        settings = client_settings(oauth_request.client)
        if settings is None or not settings.may_submit:
            raise PermissionDenied(
                "Dieser Zugang ist nicht zum Einreichen von Anträgen registriert."
            )
        return oauth_request.client.client_id


class AttachmentIn(Schema):
    path: str = Field(
        pattern=r"^[a-z][a-z0-9_]{0,39}(\.\d{1,2}\.[a-z][a-z0-9_]{0,39})?$",
        description="Antwortpfad des Dateifelds, z. B. „nachweis“ oder „hunde.1.nachweis“",
    )
    filename: str = Field(min_length=1, max_length=200)
    content_base64: str = Field(description="Inhalt, Base64-kodiert")


class SubmissionIn(Schema):
    form: str = Field(
        pattern=r"^[-a-zA-Z0-9_]{1,60}$", description="Kennung des veröffentlichten Formulars"
    )
    place: str = Field(
        pattern=r"^\d{8}$", description="AGS der Gemeinde, in der der Antrag gestellt wird"
    )
    answers: dict[str, Any] = Field(description="Antworten wie im Formular (Feldkennung: Wert)")
    attachments: list[AttachmentIn] = Field(
        default_factory=list,
        max_length=20,
        description="Dateien zu Dateifeldern; geprüft wie im Formular (Größe, Typ, Virenprüfung)",
    )


class SubmissionOut(Schema):
    id: uuid.UUID
    reference: str
    status: str = Field(
        description=(
            "eingereicht; wartet_auf_zahlung; im_eingang (liegt im Eingang der Behörde auf "
            "der Plattform, an kein Fachverfahren übermittelt); zugestellt (an das "
            "Fachverfahren der Behörde übermittelt); zustellung_fehlgeschlagen; zurueckgezogen"
        )
    )
    status_text: str = Field(
        description="Der Status in den Worten der Seiten, z. B. „im Eingang der Behörde“"
    )
    authority: str
    submitted_at: datetime


def _out(submission: Submission) -> dict[str, Any]:
    return {
        "id": submission.public_id,
        "reference": submission.reference,
        "status": submission.status,
        "status_text": submission.get_status_display(),
        "authority": submission.authority.name,
        "submitted_at": submission.submitted_at,
    }


def _decoded(attachment: AttachmentIn) -> bytes:
    try:
        return base64.b64decode(attachment.content_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(
            f"„{attachment.filename}“ ist nicht gültig Base64-kodiert.", field=attachment.path
        ) from None


@router.post(
    "",
    auth=SubmittingClient(),
    response={
        202: SubmissionOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        422: ProblemOut,
    },
    summary="Antrag einreichen (vertrauenswürdige Portale)",
    description="Eine Wiederholung mit demselben Idempotency-Key liefert denselben Antrag; derselbe Schlüssel mit anderem Inhalt ergibt 409.",
)
def submit(
    request: HttpRequest,
    payload: SubmissionIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$"
    ),
) -> Status:
    client_id: str = request.auth  # type: ignore[attr-defined]
    submission, _created = submission_receive(
        client_id=client_id,
        idempotency_key=idempotency_key,
        form=payload.form,
        place=payload.place,
        answers=payload.answers,
        files=[
            FileIn(path=attachment.path, name=attachment.filename, data=_decoded(attachment))
            for attachment in payload.attachments
        ],
    )
    return Status(202, _out(submission))


@router.get(
    "/{public_id}",
    auth=SubmittingClient(),
    response={
        200: SubmissionOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        422: ProblemOut,
    },
    summary="Status eines eingereichten Antrags",
)
def status(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    submission = submission_of_client(public_id=public_id, client_id=request.auth)  # type: ignore[attr-defined]
    if submission is None:
        raise NotFound("Diesen Antrag gibt es nicht oder er stammt nicht von diesem Zugang.")
    return _out(submission)

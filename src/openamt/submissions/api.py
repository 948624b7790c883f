"""Submissions by trusted clients (partner portals) on an applicant's behalf:
OAuth2 client credentials with scope `antraege:einreichen`, an
`Idempotency-Key` per application, the same checks as the online form."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status
from oauth2_provider.models import Application

from openamt.core.api_auth import ScopedClient, api_client
from openamt.core.errors import NotFound
from openamt.core.files import files_removed_on_failure
from openamt.core.schemas import Base64File, ProblemOut, status_link
from openamt.oidc.selectors import client_settings
from openamt.submissions.models import Submission
from openamt.submissions.selectors import submission_of_client
from openamt.submissions.services import FileIn, submission_receive

SCOPE = "antraege:einreichen"
router = Router()


def _may_submit(application: Application) -> bool:
    settings = client_settings(application)
    return settings is not None and settings.may_submit


# A client the Land registered to submit applications.
submitting_client = ScopedClient(
    scope=SCOPE,
    admit=_may_submit,
    refusal="Dieser Zugang ist nicht zum Einreichen von Anträgen registriert.",
)


class AttachmentIn(Base64File):
    """Eine Datei zu einem Dateifeld des Formulars."""

    path: str = Field(
        pattern=r"^[a-z][a-z0-9_]{0,39}(\.\d{1,2}\.[a-z][a-z0-9_]{0,39})?$",
        description="Antwortpfad des Dateifelds, z. B. „nachweis“ oder „hunde.1.nachweis“",
    )


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


@router.post(
    "",
    auth=submitting_client,
    response={
        202: SubmissionOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        413: ProblemOut,
        415: ProblemOut,
        422: ProblemOut,
    },
    summary="Antrag einreichen (vertrauenswürdige Portale)",
    openapi_extra=status_link("openamt_submissions_api_status"),
    description="Eine Wiederholung mit demselben Idempotency-Key liefert denselben Antrag; derselbe Schlüssel mit anderem Inhalt ergibt 409.",
)
def submit(
    request: HttpRequest,
    payload: SubmissionIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$"
    ),
) -> Status:
    client_id = api_client(request).client_id
    # A refused application leaves no file it brought behind.
    with files_removed_on_failure():
        submission, _created = submission_receive(
            client_id=client_id,
            idempotency_key=idempotency_key,
            form=payload.form,
            place=payload.place,
            answers=payload.answers,
            files=[
                FileIn(path=attachment.path, name=attachment.filename, data=attachment.content())
                for attachment in payload.attachments
            ],
        )
    return Status(202, _out(submission))


@router.get(
    "/{public_id}",
    auth=submitting_client,
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
    submission = submission_of_client(public_id=public_id, client_id=api_client(request).client_id)
    if submission is None:
        raise NotFound("Diesen Antrag gibt es nicht oder er stammt nicht von diesem Zugang.")
    return _out(submission)

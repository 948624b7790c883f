"""Submissions by trusted clients (partner portals) on an applicant's behalf:
OAuth2 client credentials with scope `antraege:einreichen`, an
`Idempotency-Key` per application, the same checks as the online form."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Field, Header, Router, Schema, Status
from oauth2_provider.models import Application

from openamt.core.api_auth import ScopedClient, api_client
from openamt.core.errors import Conflict, InvalidInput, NotFound
from openamt.core.files import files_removed_on_failure
from openamt.core.lookups import unique_or_none
from openamt.core.recent import recent
from openamt.core.schemas import Base64File, ProblemOut, status_link
from openamt.forms.answers import validate_all
from openamt.forms.selectors import published_form_recent
from openamt.oidc.selectors import client_settings
from openamt.regions.models import Region
from openamt.submissions.attachments import answer_set, describe, file_field, file_store
from openamt.submissions.models import Attachment, Draft, Submission
from openamt.submissions.services import draft_new, submission_create

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


def _same(submission: Submission, payload: SubmissionIn) -> bool:
    """Whether a repeated request carries the application accepted under its key."""
    version = submission.version
    answers = copy.deepcopy(payload.answers)
    for attachment in payload.attachments:
        answer_set(answers, attachment.path, describe(attachment.content(), attachment.filename))
    cleaned = validate_all(version.definition, answers).answers
    return (version.form.key, submission.place.ags, submission.answers) == (
        payload.form,
        payload.place,
        cleaned,
    )


def _attach(draft: Draft, payload: SubmissionIn) -> tuple[dict[str, Any], list[Attachment]]:
    """The answers with each attachment stored and named at its path."""
    answers = copy.deepcopy(payload.answers)
    stored = []
    for attachment in payload.attachments:
        spec = file_field(draft.version.definition, attachment.path)
        if spec is None:
            raise InvalidInput(
                f"„{attachment.path}“ ist kein Dateifeld dieses Formulars.", field=attachment.path
            )
        if not answer_set(answers, attachment.path, None):  # checked before storing
            raise InvalidInput(
                f"Zu „{attachment.path}“ gibt es keinen Eintrag in den Antworten.",
                field=attachment.path,
            )
        file, value = file_store(
            path=attachment.path, spec=spec, name=attachment.filename, data=attachment.content()
        )
        stored.append(file)
        answer_set(answers, attachment.path, value)
    return answers, stored


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
    earlier = unique_or_none(
        Submission.objects.filter(client_id=client_id, idempotency_key=idempotency_key)
    )
    if earlier is not None:
        if not _same(earlier, payload):
            raise Conflict("Dieser Idempotency-Key wurde schon für einen anderen Antrag verwendet.")
        return Status(202, _out(earlier))
    version = published_form_recent(key=payload.form)
    place = recent(
        f"openamt:gemeinde:{payload.place}",
        lambda: Region.objects.active().filter(level="gemeinde", ags=payload.place).first(),
    )
    if place is None:
        raise NotFound(f"Keine Gemeinde mit dem AGS {payload.place}.")
    try:
        # A refused application leaves no draft behind, nor any file it brought.
        with files_removed_on_failure(), transaction.atomic():
            draft = draft_new(user=None, version=version, place=place)
            draft.answers, uploaded = _attach(draft, payload)
            submission = submission_create(
                draft=draft,
                client_id=client_id,
                idempotency_key=idempotency_key,
                uploaded=uploaded,
            )
    except IntegrityError:  # the same key, accepted meanwhile by a parallel request
        submission = Submission.objects.get(client_id=client_id, idempotency_key=idempotency_key)
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
    submission = (
        Submission.objects.select_related("authority")
        .filter(public_id=public_id, client_id=api_client(request).client_id)
        .first()
    )
    if submission is None:
        raise NotFound("Diesen Antrag gibt es nicht oder er stammt nicht von diesem Zugang.")
    return _out(submission)

"""Drafts become submissions: validated against the version they began with,
numbered per authority and year, and recorded together with their delivery
jobs, so that an accepted application can be neither lost nor sent twice."""

from __future__ import annotations

import copy
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.db import atomic_retried
from openamt.core.errors import InvalidInput, InvalidTransition, NotFound
from openamt.core.idempotency import idempotent_create, request_digest
from openamt.core.recent import recent
from openamt.core.tasks import enqueue_on_commit
from openamt.forms.answers import fees_for, validate_all
from openamt.forms.constants import VersionStatus
from openamt.forms.inputs import answers_checked
from openamt.forms.models import FormVersion
from openamt.forms.selectors import published_form_recent
from openamt.regions.models import Region
from openamt.responsibility.selectors import responsibility_find_recent
from openamt.submissions.attachments import (
    answer_set,
    attachments_named,
    file_field,
    file_store,
)
from openamt.submissions.constants import TRANSITIONS, SubmissionStatus
from openamt.submissions.models import (
    Attachment,
    DeliveryJob,
    Draft,
    ReceiptJob,
    Submission,
)
from openamt.submissions.registry import default_targets
from openamt.submissions.selectors import (
    gemeinde_find,
    submission_by_key,
    submission_from_draft,
)
from openamt.submissions.tasks import deliver_submission


def draft_start(*, user: User | None, version: FormVersion, place: Region) -> Draft:
    """A new draft; the Zuständigkeitsfinder fixes the receiving authority."""
    draft = draft_new(user=user, version=version, place=place)
    draft.save()
    return draft


def draft_new(*, user: User | None, version: FormVersion, place: Region) -> Draft:
    """A draft not saved (yet): for an application submitted in one request."""
    if version.status != VersionStatus.PUBLISHED:
        raise InvalidInput("Dieses Formular ist nicht veröffentlicht.")
    finding = responsibility_find_recent(service=version.form.service, region=place)
    if finding is None:
        raise InvalidInput(
            f"Für {place.name} ist keine zuständige Stelle für diese Leistung hinterlegt."
        )
    if version.form.owner_id not in (None, finding.authority.pk):
        raise InvalidInput(
            f"Dieses Formular gilt nur bei {version.form.owner}, nicht für {place.name}."
        )
    return Draft(version=version, user=user, authority=finding.authority, place=place)


class AnswersRefused(InvalidInput):
    """Answers a draft may not keep: `errors` by answer path, `answers` what
    was typed without its control characters (to show it again)."""

    def __init__(self, errors: dict[str, str], answers: dict[str, Any]) -> None:
        path, message = next(iter(errors.items()))
        super().__init__(message, field=path)
        self.errors = errors
        self.answers = answers


def draft_answers_check(*, draft: Draft, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers of a step as a draft may keep them: in NFC and trimmed,
    only the form's fields. Raises AnswersRefused if a text part holds control
    characters or is longer than its limit (`forms.inputs`)."""
    kept, problems = answers_checked(draft.version.definition, answers)
    if problems:
        raise AnswersRefused(problems, kept)
    return kept


def draft_answer(*, draft: Draft, answers: dict[str, Any], step: str) -> Draft:
    """Keep what the applicant entered in a step, as entered (checked on
    submission) but read by `draft_answers_check`; a refused step keeps nothing."""
    draft.answers = {**draft.answers, **draft_answers_check(draft=draft, answers=answers)}
    draft.step = step
    draft.save(update_fields=["answers", "step", "updated_at"])
    return draft


def draft_delete_own(*, user: User, public_id: uuid.UUID) -> bool:
    """Delete the holder's draft (and its files' links); False if it has none by that id."""
    deleted, _ = Draft.objects.filter(public_id=public_id, user=user).delete()
    return bool(deleted)


_NEXT_NUMBER = (
    "INSERT INTO submissions_referencecounter (authority_id, year, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (authority_id, year) DO UPDATE SET "
    "last = submissions_referencecounter.last + 1 RETURNING last"
)


def reference_next(*, authority_id: int) -> str:
    """The authority's next reference, "2026-000123": the next number of the
    year, in one statement. The row lock it takes lasts until commit, so
    parallel submissions (and cases opened by hand) never share a number."""
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER, [authority_id, year])
        (number,) = cursor.fetchone()
    return f"{year}-{number:06d}"


def submission_create(
    *, draft: Draft, assurance_level: str = "", consent: bool = False
) -> Submission:
    """Submit a saved draft: check every visible step and file, then accept
    (snapshot, reference, delivery jobs, audit entry) and delete the draft.

    One draft gives at most one application: the draft row is locked first, so
    a second "Antrag absenden" of the same draft (a double click, two tabs)
    waits and then gets the application the first one created. Raises
    InvalidInput if the answers are incomplete, NotFound if the draft is gone
    without having been submitted (deleted, expired)."""

    def attempt() -> Submission:
        current = Draft.objects.select_for_update().filter(pk=draft.pk).first()
        if current is None:
            earlier = submission_from_draft(draft_public_id=draft.public_id)
            if earlier is None:
                raise NotFound("Diesen Antragsentwurf gibt es nicht (mehr).")
            return earlier
        draft.answers = current.answers  # what the last saved step left
        return _checked_accept(draft=draft, assurance_level=assurance_level, consent=consent)

    try:
        return atomic_retried(attempt)
    except IntegrityError:  # accepted meanwhile where the row lock is not there (SQLite)
        earlier = submission_from_draft(draft_public_id=draft.public_id)
        if earlier is None:
            raise
        return earlier


@dataclass(frozen=True)
class FileIn:
    """A file sent with an application: the answer path of its file field
    ("nachweis", "hunde.1.nachweis"), the sender's file name and the bytes."""

    path: str
    name: str
    data: bytes


def submission_receive(
    *,
    client_id: str,
    idempotency_key: str,
    form: str,
    place: str,
    answers: dict[str, Any],
    files: list[FileIn],
) -> tuple[Submission, bool]:
    """An application a trusted portal submits in one request: (submission,
    created). `form` is the form key, `place` the AGS of the Gemeinde; files
    are checked and stored like uploads (size, scanner, type).

    The Idempotency-Key makes a repeat return the first application; the same
    key with other content (compared by the request digest, also when a
    parallel request won the race) raises Conflict (409). Raises NotFound for
    an unknown place, InvalidInput for refused answers or files; a refused
    application leaves no draft and no submission."""
    digest = request_digest(
        {
            "form": form,
            "place": place,
            "answers": answers,
            "files": [[f.path, f.name, hashlib.sha256(f.data).hexdigest()] for f in files],
        }
    )

    def create() -> Submission:
        version = published_form_recent(key=form)
        region = recent(f"openamt:gemeinde:{place}", lambda: gemeinde_find(ags=place))
        if region is None:
            raise NotFound(f"Keine Gemeinde mit dem AGS {place}.")
        draft = draft_new(user=None, version=version, place=region)
        draft.answers, uploaded = _files_attached(draft, answers, files)
        return _checked_accept(
            draft=draft,
            client_id=client_id,
            idempotency_key=idempotency_key,
            digest=digest,
            uploaded=uploaded,
        )

    return idempotent_create(
        find=lambda: submission_by_key(client_id=client_id, idempotency_key=idempotency_key),
        create=create,
        digest=digest,
        conflict="Dieser Idempotency-Key wurde schon für einen anderen Antrag verwendet.",
    )


def _files_attached(
    draft: Draft, answers: dict[str, Any], files: list[FileIn]
) -> tuple[dict[str, Any], list[Attachment]]:
    """The answers with each file stored and named at its path; the stored files."""
    answers = copy.deepcopy(answers)
    stored = []
    for file in files:
        spec = file_field(draft.version.definition, file.path)
        if spec is None:
            raise InvalidInput(
                f"„{file.path}“ ist kein Dateifeld dieses Formulars.", field=file.path
            )
        if not answer_set(answers, file.path, None):  # checked before storing
            raise InvalidInput(
                f"Zu „{file.path}“ gibt es keinen Eintrag in den Antworten.", field=file.path
            )
        attachment, value = file_store(path=file.path, spec=spec, name=file.name, data=file.data)
        stored.append(attachment)
        answer_set(answers, file.path, value)
    return answers, stored


def _checked_accept(
    *,
    draft: Draft,
    assurance_level: str = "",
    consent: bool = False,
    client_id: str = "",
    idempotency_key: str = "",
    digest: str = "",
    uploaded: list[Attachment] | None = None,
) -> Submission:
    """Check every visible step and file, then accept: snapshot, reference, jobs.
    `uploaded`: the files of an unsaved draft (stored, not yet attached)."""
    definition = draft.version.definition
    result = validate_all(definition, draft.answers)
    if result.errors:
        path, message = next(iter(result.errors.items()))
        raise InvalidInput(f"Der Antrag ist noch nicht vollständig ({path}: {message})", field=path)
    attachments = attachments_named(draft=draft, answers=result.answers, uploaded=uploaded)
    return _accept(
        draft=draft,
        answers=result.answers,
        attachments=attachments,
        assurance_level=assurance_level,
        consent=consent,
        client_id=client_id,
        idempotency_key=idempotency_key,
        digest=digest,
    )


# Checked before: nothing in here refuses, so no savepoint is needed inside a caller's transaction.
@transaction.atomic(savepoint=False)
def _accept(
    *,
    draft: Draft,
    answers: dict[str, Any],
    attachments: list[Attachment],
    assurance_level: str,
    consent: bool,
    client_id: str,
    idempotency_key: str,
    digest: str,
) -> Submission:
    # Lock order, the same in every transaction that accepts an application:
    # 1. the authority's reference counter row (parallel submissions to one
    #    authority queue here), 2. the rows the new rows refer to (foreign-key
    #    checks, which audit_record runs before its lock), 3. the audit chain. A
    #    delivery holding an authority row while it waits for the chain then
    #    never waits for a transaction that holds the chain.
    definition = draft.version.definition
    submission = Submission.objects.create(
        reference=reference_next(authority_id=draft.authority_id),
        version=draft.version,
        authority=draft.authority,
        place=draft.place,
        user=draft.user,
        answers=answers,
        fees=[
            {"key": f.key, "label": f.label, "cents": f.cents, "example": f.example}
            for f in fees_for(definition, answers)
        ],
        assurance_level=assurance_level,
        prefill_consent=consent,
        client_id=client_id,
        idempotency_key=idempotency_key,
        request_digest=digest,
        draft_public_id=draft.public_id if draft.pk is not None else None,
    )
    for attachment in attachments:
        attachment.submission = submission
    Attachment.objects.bulk_create(attachments)
    now = timezone.now()
    DeliveryJob.objects.bulk_create(
        DeliveryJob(submission=submission, channel=channel, next_attempt_at=now)
        for channel in definition.get("delivery") or default_targets()
    )
    # Every submission also confirms its receipt to the applicant.
    ReceiptJob.objects.create(submission=submission, next_attempt_at=now)
    if draft.pk is not None:
        draft.delete()
    audit_record(
        actor=draft.user,
        action="submission.submit",
        target=submission,
        authority_id=submission.authority_id,
        changes={
            "form": draft.version.form.key,
            "version": draft.version.number,
            "reference": submission.reference,
        },
    )
    enqueue_on_commit(deliver_submission, submission_id=submission.pk)
    return submission


@transaction.atomic
def submission_transition(*, actor: User | None, submission: Submission, to: str) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if to not in TRANSITIONS[SubmissionStatus(submission.status)]:
        raise InvalidTransition(
            f"Ein Antrag im Status „{submission.get_status_display()}“ kann nicht "
            f"„{SubmissionStatus(to).label}“ werden."
        )
    audit_record(
        actor=actor,
        action="submission.status",
        target=submission,
        authority_id=submission.authority_id,
        changes={"status": [submission.status, to]},
    )
    submission.status = to
    submission.save(update_fields=["status"])
    return submission

"""Drafts become submissions: validated against the version they began with,
numbered per authority and year, and recorded together with their delivery
jobs, so that an accepted application can be neither lost nor sent twice."""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from openamt.accounts.models import User
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, InvalidTransition
from openamt.core.tasks import enqueue_on_commit
from openamt.forms.answers import fees_for, validate_all
from openamt.forms.constants import VersionStatus
from openamt.forms.inputs import answers_checked
from openamt.forms.models import FormVersion
from openamt.regions.models import Region
from openamt.responsibility.selectors import responsibility_find_recent
from openamt.submissions.attachments import attachments_named
from openamt.submissions.constants import TRANSITIONS, SubmissionStatus
from openamt.submissions.models import (
    Attachment,
    DeliveryJob,
    Draft,
    Submission,
)
from openamt.submissions.receipt import RECEIPT
from openamt.submissions.registry import default_targets
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


_NEXT_NUMBER = (
    "INSERT INTO submissions_referencecounter (authority_id, year, last) VALUES (%s, %s, 1) "
    "ON CONFLICT (authority_id, year) DO UPDATE SET "
    "last = submissions_referencecounter.last + 1 RETURNING last"
)


def _reference(authority_id: int) -> str:
    """The next number of the authority's year, in one statement: the row lock it
    takes lasts until commit, so parallel submissions never share a number."""
    year = timezone.localdate().year
    with connection.cursor() as cursor:
        cursor.execute(_NEXT_NUMBER, [authority_id, year])
        (number,) = cursor.fetchone()
    return f"{year}-{number:06d}"


def submission_create(
    *,
    draft: Draft,
    assurance_level: str = "",
    consent: bool = False,
    client_id: str = "",
    idempotency_key: str = "",
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
) -> Submission:
    definition = draft.version.definition
    submission = Submission.objects.create(
        reference=_reference(draft.authority_id),
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
    )
    for attachment in attachments:
        attachment.submission = submission
    Attachment.objects.bulk_create(attachments)
    DeliveryJob.objects.bulk_create(
        DeliveryJob(submission=submission, channel=channel, next_attempt_at=timezone.now())
        # Every submission also confirms its receipt to the applicant.
        for channel in [*(definition.get("delivery") or default_targets()), RECEIPT]
    )
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

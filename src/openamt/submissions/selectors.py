"""Reading drafts and submissions: for the applicant (by account or by the
browser session that holds them) and for the portal that submitted them."""

from __future__ import annotations

import uuid

from django.db.models import Q, QuerySet

from openamt.accounts.models import User
from openamt.core.lookups import unique_or_none
from openamt.regions.models import Region
from openamt.submissions.models import Draft, Submission


def gemeinde_find(*, ags: str) -> Region | None:
    """The active Gemeinde with this AGS (8 digits), where an application is made."""
    if not (ags.isdigit() and len(ags) == 8):
        return None
    return Region.objects.active().filter(level="gemeinde", ags=ags).first()


def draft_find(*, public_id: uuid.UUID) -> Draft | None:
    """The draft with what its pages show (form, authority, place); None if
    there is none (never begun, deleted, or submitted meanwhile)."""
    return unique_or_none(
        Draft.objects.select_related("version__form__service", "authority", "place").filter(
            public_id=public_id
        )
    )


def draft_anonymous_find(*, public_id: uuid.UUID) -> Draft | None:
    """A draft begun without an account (the ones a resume link continues)."""
    return unique_or_none(
        Draft.objects.select_related("version").filter(public_id=public_id, user=None)
    )


def drafts_of_holder(*, user: User) -> QuerySet[Draft]:
    """The holder's drafts, last worked on first."""
    return (
        Draft.objects.filter(user=user)
        .select_related("version__form", "authority")
        .order_by("-updated_at")
    )


def submissions_of_holder(*, user: User) -> QuerySet[Submission]:
    """The holder's submissions, newest first."""
    return (
        Submission.objects.filter(user=user)
        .select_related("version__form", "authority")
        .order_by("-submitted_at")
    )


def submission_from_draft(*, draft_public_id: uuid.UUID) -> Submission | None:
    """The application a draft became, if it was submitted."""
    return unique_or_none(Submission.objects.filter(draft_public_id=draft_public_id))


def submission_of_applicant(
    *, public_id: uuid.UUID, user: User | None, in_session: bool
) -> Submission | None:
    """The applicant's own submission: known to this browser session
    (`in_session`), or else the account's (`user`); None for anyone else's."""
    if in_session:
        mine = Q(public_id=public_id)
    elif user is not None:
        mine = Q(public_id=public_id, user=user)
    else:
        return None
    return unique_or_none(
        Submission.objects.select_related("version__form", "authority", "place").filter(mine)
    )


def submission_of_client(*, public_id: uuid.UUID, client_id: str) -> Submission | None:
    """A submission by the portal (OAuth client) that sent it; None for others'."""
    return unique_or_none(
        Submission.objects.select_related("authority").filter(
            public_id=public_id, client_id=client_id
        )
    )


def submission_by_key(*, client_id: str, idempotency_key: str) -> Submission | None:
    """What a portal submitted under an Idempotency-Key."""
    return unique_or_none(
        Submission.objects.select_related("authority").filter(
            client_id=client_id, idempotency_key=idempotency_key
        )
    )

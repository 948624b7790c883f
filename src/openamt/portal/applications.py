""" "Meine Anträge" with the case work's view of each application.

The page lives in the portal because it needs both halves: the applicant's
submissions (`submissions`) and what the authority does with them (`cases`:
the plain-language status and open Nachforderungen). `submissions` must not
import `cases` (cases depend on submissions, GUIDE §2); the portal shell may
use every app, so the join is made here and nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from openamt.cases.constants import STATUS_FOR_APPLICANT
from openamt.cases.models import InformationRequest
from openamt.submissions.models import Submission


@dataclass(frozen=True)
class Expected:
    """An open Nachforderung as the applicant reads it."""

    items: list[dict[str, object]]
    deadline: date
    overdue: bool
    message_id: str  # the Postfach message to answer


@dataclass(frozen=True)
class ApplicationRow:
    submission: Submission
    status: str  # one plain sentence
    expected: list[Expected]


def applicant_status(submission: Submission) -> str:
    """The application's status in one sentence: the case's, once the
    authority processes it on the platform, else the delivery's."""
    case = getattr(submission, "case", None)
    if case is not None:
        return STATUS_FOR_APPLICANT[case.status]
    return submission.status_explanation


def application_rows(
    submissions: Iterable[Submission], *, today: date | None = None
) -> list[ApplicationRow]:
    """One row per submission (which must come with `select_related("case")`);
    one query for the open Nachforderungen of the whole page."""
    today = today or timezone.localdate()
    submissions = list(submissions)
    case_ids = [s.case.pk for s in submissions if getattr(s, "case", None) is not None]
    expected: dict[int, list[Expected]] = defaultdict(list)
    if case_ids:
        for request in (
            InformationRequest.objects.filter(
                case_id__in=case_ids, status=InformationRequest.Status.OPEN
            )
            .select_related("message")
            .order_by("deadline", "id")
        ):
            expected[request.case_id].append(
                Expected(
                    items=request.items,
                    deadline=request.deadline,
                    overdue=request.deadline < today,
                    message_id=str(request.message.public_id),
                )
            )
    return [
        ApplicationRow(
            submission=s,
            status=applicant_status(s),
            expected=expected.get(s.case.pk, []) if getattr(s, "case", None) else [],
        )
        for s in submissions
    ]

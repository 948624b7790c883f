"""The Eingangsbestätigung: every answer, the reference, the date and the
authority, as a PDF (WeasyPrint) in the applicant's Postfach."""

from __future__ import annotations

from openamt.core.pdf import pdf_render
from openamt.forms.display import answer_rows, display
from openamt.submissions.channels import reach_own_system
from openamt.submissions.models import Submission

ROUTES = {
    True: "Übermittlung an das System der Behörde, in dem sie Anträge bearbeitet",
    False: "elektronischer Eingang der Behörde auf dieser Plattform",
}


def receipt_route(submission: Submission) -> str:
    """How the application reaches its authority, as the receipt states it: into
    the authority's own system only where a channel reaches it."""
    return ROUTES[reach_own_system(submission.jobs.values_list("channel", flat=True))]


def receipt_pdf(submission: Submission) -> bytes:
    return pdf_render(
        template="submissions/receipt.html",
        context={
            "submission": submission,
            "title": submission.version.definition.get("title", submission.version.form.title),
            "route": receipt_route(submission),
            "sections": answer_rows(submission.version.definition, submission.answers),
            "fees": [
                {**fee, "display": display({"type": "money"}, fee["cents"])}
                for fee in submission.fees
            ],
        },
    )

"""The Eingangsbestätigung: every answer, the reference, the date and the
authority, as a PDF (WeasyPrint) in the applicant's Postfach."""

from __future__ import annotations

from openamt.core.pdf import pdf_render
from openamt.forms.display import answer_rows, display
from openamt.submissions.models import Submission


def receipt_pdf(submission: Submission) -> bytes:
    return pdf_render(
        template="submissions/receipt.html",
        context={
            "submission": submission,
            "title": submission.version.definition.get("title", submission.version.form.title),
            "sections": answer_rows(submission.version.definition, submission.answers),
            "fees": [
                {**fee, "display": display({"type": "money"}, fee["cents"])}
                for fee in submission.fees
            ],
        },
    )

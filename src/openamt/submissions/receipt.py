"""The Eingangsbestätigung: every answer, the reference, the date and the
authority, as a PDF (WeasyPrint) in the applicant's Postfach."""

from __future__ import annotations

from openamt.core.outbox import OutboxKind, outbox_kind_register
from openamt.core.pdf import pdf_render
from openamt.forms.display import answer_rows, display
from openamt.submissions.models import ReceiptJob, Submission
from openamt.submissions.registry import reach_own_system

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


def receipt_deliver(submission: Submission) -> None:
    """Put the Eingangsbestätigung into the applicant's Postfach (nothing
    without an account); one message per submission (idempotency key)."""
    from openamt.mailbox.models import Mailbox
    from openamt.mailbox.services import Upload, message_deliver

    mailbox = (
        Mailbox.objects.filter(account__user_id=submission.user_id).first()
        if submission.user_id
        else None
    )
    if mailbox is None:
        return
    message_deliver(
        sender=submission.authority,
        address=mailbox.address,
        subject=f"Eingangsbestätigung {submission.reference}",
        body=(
            f"Ihr Antrag „{submission.version.form.title}“ ist bei {submission.authority.name} eingegangen. "
            f"Aktenzeichen: {submission.reference}. Die Bestätigung mit allen Angaben liegt bei."
        ),
        files=[
            Upload(
                name=f"eingangsbestaetigung-{submission.reference}.pdf",
                data=receipt_pdf(submission),
            )
        ],
        reference=submission.reference,
        idempotency_key=f"receipt-{submission.public_id}",
    )


class ReceiptOutbox(OutboxKind[ReceiptJob]):
    """Runs the receipt jobs (`openamt deliver-due`). The Postfach keeps one
    message per idempotency key, so a repeat after a crash delivers nothing twice."""

    model = ReceiptJob

    def idempotent_receiver(self, job: ReceiptJob) -> bool:
        return True

    def send(self, job: ReceiptJob) -> None:
        submission = Submission.objects.select_related("authority", "version__form").get(
            pk=job.submission_id
        )
        receipt_deliver(submission)


RECEIPTS = ReceiptOutbox()
outbox_kind_register("receipt", RECEIPTS)

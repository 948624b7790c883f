"""What the applicant sees around the form: the confirmation with the receipt,
the deletion of a draft, and the e-mailed link that continues an
anonymous draft (signed, expiring; the address is used once and not kept)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from openamt.accounts.auth import account_required, holder
from openamt.core.links import public_url
from openamt.submissions import flow
from openamt.submissions.models import Draft, Submission
from openamt.submissions.receipt import receipt_pdf
from openamt.submissions.selectors import (
    draft_anonymous_find,
    submission_of_applicant,
)
from openamt.submissions.services import draft_delete_own
from openamt.submissions.views import SESSION_DRAFTS, SESSION_SUBMITTED, open_draft, remember

RESUME_SALT = "openamt.submissions.resume"


def _submission(request: HttpRequest, public_id: uuid.UUID) -> Submission:
    """The applicant's own submission: by account, or by this browser's session."""
    submission = submission_of_applicant(
        public_id=public_id,
        user=holder(request),
        in_session=str(public_id) in request.session.get(SESSION_SUBMITTED, []),
    )
    if submission is None:
        raise Http404("Diesen Antrag gibt es nicht oder er gehört nicht zu Ihnen.")
    return submission


def submitted(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    return render(
        request, "submissions/submitted.html", {"submission": _submission(request, public_id)}
    )


def receipt(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    submission = _submission(request, public_id)
    response = HttpResponse(receipt_pdf(submission), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="eingangsbestaetigung-{submission.reference}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@account_required
def draft_delete(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = holder(request)
    if user is None or not draft_delete_own(user=user, public_id=public_id):
        raise Http404("Diesen Antragsentwurf gibt es nicht (mehr).")
    return redirect("portal:my-applications")


def continue_url(draft: Draft) -> str:
    steps = [step["key"] for step in flow.visible_steps(draft)]
    key = draft.step if draft.step in steps else steps[0]
    return reverse("submissions:step", kwargs={"public_id": draft.public_id, "step": key})


@require_http_methods(["GET", "POST"])
def resume_link(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """An anonymous applicant saves: the link to continue goes to an address they give."""
    draft = open_draft(request, public_id)
    if isinstance(draft, HttpResponse):
        return draft
    if draft.user_id is not None:  # saved in the account already
        return redirect(continue_url(draft))
    context = {"draft": draft, "days": settings.OPENAMT_RESUME_LINK_DAYS, "email": ""}
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        context["email"] = email
        try:
            validate_email(email)
        except ValidationError:
            context["error"] = (
                "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
            )
        else:
            token = signing.dumps(str(draft.public_id), salt=RESUME_SALT)
            link = public_url(reverse("submissions:resume", kwargs={"token": token}))
            send_mail(
                f"Ihr Antrag „{draft.version.form.title}“: weiter ausfüllen",
                f"Mit diesem Link können Sie Ihren gespeicherten Antrag weiter ausfüllen. "
                f"Er gilt {settings.OPENAMT_RESUME_LINK_DAYS} Tage:\n\n{link}\n\n"
                "Geben Sie den Link nicht weiter: Wer ihn hat, kann den Antrag sehen und ändern.",
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            return render(request, "submissions/resume_sent.html", context)
    return render(
        request,
        "submissions/resume_link.html",
        context,
        status=422 if "error" in context else 200,
    )


def resume(request: HttpRequest, token: str) -> HttpResponse:
    try:
        public_id = signing.loads(
            token, salt=RESUME_SALT, max_age=settings.OPENAMT_RESUME_LINK_DAYS * 86400
        )
    except signing.SignatureExpired:
        return render(request, "submissions/resume_invalid.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "submissions/resume_invalid.html", {}, status=404)
    draft = draft_anonymous_find(public_id=public_id)
    if draft is None:
        return render(request, "submissions/resume_invalid.html", {}, status=404)
    remember(request, SESSION_DRAFTS, draft.public_id)
    return redirect(continue_url(draft))

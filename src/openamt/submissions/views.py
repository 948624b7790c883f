"""The online application: start with the responsible authority fixed, steps
with progress, summary with "ändern" links, declaration, submit. Everything
works without JavaScript; the step page asks the server which fields show
when JavaScript is there (`aktion=sichtbar`)."""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_http_methods

from openamt.accounts import profile
from openamt.accounts.auth import holder, is_holder, login_redirect, session_level
from openamt.accounts.constants import level_at_least
from openamt.accounts.models import User
from openamt.accounts.profile import profile_prefill
from openamt.core.errors import InvalidInput, NotFound
from openamt.forms.answers import fees_for, validate_all, validate_step
from openamt.forms.display import answer_rows, display
from openamt.forms.models import FormVersion
from openamt.forms.selectors import published_form
from openamt.responsibility.selectors import responsibility_find
from openamt.submissions import flow
from openamt.submissions.models import Draft, Submission
from openamt.submissions.selectors import draft_find, gemeinde_find, submission_from_draft
from openamt.submissions.services import (
    AnswersRefused,
    draft_answer,
    draft_answers_check,
    draft_start,
    submission_create,
)

SESSION_DRAFTS = "openamt.drafts"  # anonymous drafts this browser may continue
SESSION_SUBMITTED = "openamt.submitted"  # submissions this browser may look at
DECLARATION = "Bitte bestätigen Sie, dass Ihre Angaben richtig und vollständig sind."


def remember(request: HttpRequest, key: str, public_id: uuid.UUID) -> None:
    known = [*request.session.get(key, [])][-19:]
    request.session[key] = [*known, str(public_id)]


def _gate(request: HttpRequest, definition: dict[str, Any]) -> HttpResponse | None:
    """Login or step-up where the form needs it; None if the applicant may go on."""
    level = definition.get("assurance_level", "niedrig")
    if definition.get("anonymous") and level == "niedrig":
        return None
    if not is_holder(request):
        return login_redirect(request)
    if not level_at_least(session_level(request), level):
        return login_redirect(request, level)
    return None


def _version(key: str) -> FormVersion:
    try:
        return published_form(key=key)
    except NotFound as error:
        raise Http404(error.message) from error


def open_draft(request: HttpRequest, public_id: uuid.UUID) -> Draft | HttpResponse:
    """The applicant's draft, or the login (or step-up) it needs first. A draft
    belongs to its account, or, begun without one, to the sessions that hold it.
    A draft submitted meanwhile (the second click of a double click, another
    tab) leads its owner to the confirmation of the application it became."""
    draft = draft_find(public_id=public_id)
    if draft is None:
        return _submitted_from(request, public_id)
    if draft.user_id is not None:
        if not is_holder(request):
            return login_redirect(request)
        if request.user.pk != draft.user_id:
            raise Http404("Diesen Antragsentwurf gibt es nicht (mehr).")
    elif str(public_id) not in request.session.get(SESSION_DRAFTS, []):
        raise Http404("Diesen Antragsentwurf gibt es nicht (mehr).")
    return _gate(request, draft.version.definition) or draft


def _submitted_from(request: HttpRequest, draft_public_id: uuid.UUID) -> HttpResponse:
    """The confirmation of the application a draft became, for whoever held the
    draft (its account, or the session that began it); 404 for anyone else."""
    submission = submission_from_draft(draft_public_id=draft_public_id)
    held = submission is not None and (
        str(draft_public_id) in request.session.get(SESSION_DRAFTS, [])
        if submission.user_id is None
        else request.user.pk == submission.user_id
    )
    if submission is None or not held:
        raise Http404("Diesen Antragsentwurf gibt es nicht (mehr).")
    return _confirmation(request, submission)


def _confirmation(request: HttpRequest, submission: Submission) -> HttpResponse:
    remember(request, SESSION_SUBMITTED, submission.public_id)
    return redirect("submissions:submitted", public_id=submission.public_id)


def _step_url(draft: Draft, step_key: str) -> str:
    return reverse("submissions:step", kwargs={"public_id": draft.public_id, "step": step_key})


def _sources(request: HttpRequest, draft: Draft) -> dict[str, str]:
    """Which answers came from the Servicekonto, and from where (shown next to them)."""
    user = holder(request)
    if not (draft.prefill_consent and user is not None and user.pk == draft.user_id):
        return {}
    attributes = profile_prefill(user=user, names=profile.NAMES, consented=True)
    sources = {}
    for step in draft.version.definition["steps"]:
        for spec in step["items"]:
            attribute = attributes.get(spec.get("prefill", ""))
            if attribute is not None and draft.answers.get(spec["key"]) == attribute.value:
                origin = "selbst eingetragen" if attribute.source == "selbst" else attribute.source
                sources[spec["key"]] = f"aus Ihrem Servicekonto ({origin})"
    return sources


def _prefill(user: User, definition: dict[str, Any]) -> dict[str, Any]:
    attributes = profile_prefill(user=user, names=profile.NAMES, consented=True)
    values = {name: attribute.value for name, attribute in attributes.items()}
    values["email"] = user.email
    answers: dict[str, Any] = {}
    for step in definition["steps"]:
        for spec in step["items"]:
            name = spec.get("prefill")
            if not name:
                continue
            if spec["type"] in flow.PARTS:
                answers[spec["key"]] = {
                    part: values.get(part, "") for part in flow.PARTS[spec["type"]]
                }
            elif values.get(name):
                answers[spec["key"]] = values[name]
    return answers


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, key: str) -> HttpResponse:
    version = _version(key)
    service = version.form.service
    ags = request.GET.get("ort", "")
    place = gemeinde_find(ags=ags)
    finding = responsibility_find(service=service, region=place) if place else None
    if place is None or finding is None:  # the service page finds the place first
        query = f"?{urlencode({'ort': ags})}" if ags else ""
        return redirect(
            reverse("portal:service-detail", kwargs={"leika_key": service.leika_key}) + query
        )
    definition = version.definition
    applicant = holder(request)
    error = ""
    if request.method == "POST":
        gate = _gate(request, definition)
        if gate is not None:
            return gate
        try:
            draft = draft_start(user=applicant, version=version, place=place)
        except InvalidInput as refused:
            error = refused.message
        else:
            if applicant is not None and request.POST.get("profil"):
                draft.prefill_consent = True
                draft.answers = _prefill(applicant, definition)
                draft.save(update_fields=["prefill_consent", "answers"])
            if applicant is None:
                remember(request, SESSION_DRAFTS, draft.public_id)
            return redirect(_step_url(draft, flow.visible_steps(draft)[0]["key"]))
    prefills = any(spec.get("prefill") for step in definition["steps"] for spec in step["items"])
    return render(
        request,
        "submissions/start.html",
        {
            "version": version,
            "definition": definition,
            "place": place,
            "finding": finding,
            "holder": applicant is not None,
            "needs_account": not definition.get("anonymous")
            or definition.get("assurance_level", "niedrig") != "niedrig",
            "offer_prefill": prefills and applicant is not None,
            "error": error,
        },
    )


def _render_step(
    request: HttpRequest,
    draft: Draft,
    step: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    steps = flow.visible_steps(draft)
    keys = [s["key"] for s in steps]
    index = keys.index(step["key"]) if step["key"] in keys else 0
    page = flow.step_page(draft, step, errors=errors, sources=_sources(request, draft))
    return render(
        request,
        "submissions/step.html",
        {
            "draft": draft,
            "definition": draft.version.definition,
            "step": step,
            "page": page,
            "number": index + 1,
            "total": len(steps) + 1,  # and the summary
            "notice": notice,
            "first": index == 0,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, public_id: uuid.UUID, step: str) -> HttpResponse:
    draft = open_draft(request, public_id)
    if isinstance(draft, HttpResponse):
        return draft
    definition = draft.version.definition
    steps = {s["key"]: s for s in flow.visible_steps(draft)}
    if step not in steps:
        return redirect(_step_url(draft, next(iter(steps))))
    current = steps[step]
    if request.method == "GET":
        saved = "Ihr Entwurf ist gespeichert." if request.GET.get("gespeichert") else ""
        return _render_step(request, draft, current, notice=saved)
    action = request.POST.get("aktion", "weiter")
    if action == "sichtbar":  # JavaScript asks which fields the answers show; nothing is kept
        answers, _ = flow.read_step(draft, current, request.POST, MultiValueDict())
        earlier = flow.earlier_answers(draft, step)
        shown = validate_step(definition, current, {**draft.answers, **answers}, earlier).visible
        return JsonResponse({"visible": sorted(shown)})
    try:  # checked before any upload is kept: a refused step keeps nothing
        draft_answers_check(
            draft=draft, answers=flow.read_step(draft, current, request.POST, MultiValueDict())[0]
        )
    except AnswersRefused as refused:
        draft.answers = {**draft.answers, **refused.answers}  # shown again, not saved
        return _render_step(request, draft, current, errors=refused.errors, status=422)
    answers, upload_errors = flow.read_step(draft, current, request.POST, request.FILES)
    focus = flow.group_change(current, answers, action)
    draft_answer(draft=draft, answers=answers, step=step)
    if upload_errors:
        return _render_step(request, draft, current, errors=upload_errors, status=422)
    if focus:
        return redirect(f"{_step_url(draft, step)}#{focus}")
    if action == "speichern":
        if draft.user_id is None:
            return redirect("submissions:resume-link", public_id=draft.public_id)
        return redirect(f"{_step_url(draft, step)}?gespeichert=1")
    keys = [s["key"] for s in flow.visible_steps(draft)]
    position = keys.index(step) if step in keys else 0
    if action == "zurueck":
        if position == 0:
            return redirect(
                reverse("submissions:start", kwargs={"key": draft.version.form.key})
                + f"?ort={draft.place.ags}"
            )
        return redirect(_step_url(draft, keys[position - 1]))
    result = validate_step(definition, current, draft.answers, flow.earlier_answers(draft, step))
    # Fields the answers just revealed were not on the page yet: show them, no error.
    rendered = request.POST.getlist("__shown")
    appeared = result.visible - set(rendered) if rendered else set()
    errors = {path: message for path, message in result.errors.items() if path not in appeared}
    if errors or appeared:
        notice = (
            "Nach Ihren Antworten sind weitere Angaben nötig. Bitte ergänzen Sie die neu angezeigten Felder."
            if appeared
            else ""
        )
        return _render_step(
            request, draft, current, errors=errors, notice=notice, status=422 if errors else 200
        )
    if position + 1 < len(keys):
        return redirect(_step_url(draft, keys[position + 1]))
    return redirect("submissions:summary", public_id=draft.public_id)


def _summary_context(draft: Draft) -> dict[str, Any]:
    definition = draft.version.definition
    result = validate_all(definition, draft.answers)
    owner = {spec["key"]: step["key"] for step in definition["steps"] for spec in step["items"]}
    titles = {step["key"]: step["title"] for step in definition["steps"]}
    problems = [
        (
            _step_url(draft, owner[path.split(".", 1)[0]]),
            titles[owner[path.split(".", 1)[0]]],
            message,
        )
        for path, message in result.errors.items()
    ]
    return {
        "draft": draft,
        "definition": definition,
        "sections": [
            (step, rows, _step_url(draft, step["key"]))
            for step, rows in answer_rows(definition, result.answers)
        ],
        "problems": problems,
        "fees": [
            {"fee": fee, "display": display({"type": "money"}, fee.cents)}
            for fee in fees_for(definition, result.answers)
        ],
        "total": len(result.steps) + 1,
    }


@require_http_methods(["GET", "POST"])
def summary(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    draft = open_draft(request, public_id)
    if isinstance(draft, HttpResponse):
        return draft
    context = _summary_context(draft)
    if request.method == "POST" and not context["problems"]:
        if not request.POST.get("versicherung"):
            context["declaration_error"] = DECLARATION
        else:
            try:
                submission = submission_create(
                    draft=draft,
                    assurance_level=session_level(request),
                    consent=draft.prefill_consent,
                )
            except InvalidInput as refused:
                context["submit_error"] = refused.message
            except NotFound as gone:  # deleted meanwhile (another tab)
                raise Http404(gone.message) from gone
            else:
                # Also the answer to a repeated click: the application the first one created.
                return _confirmation(request, submission)
    status = 422 if request.method == "POST" else 200
    return render(request, "submissions/summary.html", context, status=status)

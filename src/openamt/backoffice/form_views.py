"""Staff pages: the form editor. Land admins edit the Land's forms, an
authority's admins its own; everyone on staff may look at what they see.
Everything is a plain HTML form (no JavaScript needed): steps and fields are
added, moved and removed with buttons, a field is set on its own page, and
the whole definition can be edited, imported and exported as JSON."""

from __future__ import annotations

import difflib
import json
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openamt.accounts.models import User
from openamt.backoffice.form_forms import (
    ConditionForm,
    FieldForm,
    GroupForm,
    NewForm,
    PartForm,
    SettingsForm,
    StepForm,
    fee_formset,
)
from openamt.core.errors import DomainError, NotFound
from openamt.forms import editor
from openamt.forms.constants import FIELD_TYPES, VersionStatus
from openamt.forms.definition import definition_problems
from openamt.forms.models import FormDefinition, FormVersion
from openamt.forms.selectors import form_for_user, forms_for_user
from openamt.forms.services import draft_save, form_create, may_edit, published, version_publish
from openamt.submissions import flow
from openamt.submissions.models import Draft

PAGE_SIZE = 25


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required


def _form(request: HttpRequest, key: str) -> FormDefinition:
    try:
        return form_for_user(user=request.user, key=key)
    except NotFound as error:
        raise Http404(error.message) from error


def _editable(request: HttpRequest, form: FormDefinition) -> FormVersion:
    """The form's draft (begun from the published version if there is none)."""
    if not may_edit(request.user, form.owner):
        raise PermissionDenied("Sie dürfen dieses Formular nicht bearbeiten.")
    draft = form.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        current = published(form) or form.versions.first()
        draft = draft_save(
            actor=_actor(request),
            form=form,
            definition=current.definition if current else editor.new_definition(form.title),
        )
    return draft


def _version(form: FormDefinition, number: int) -> FormVersion:
    version = form.versions.filter(number=number).first()
    if version is None:
        raise Http404("Diese Version gibt es nicht.")
    return version


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    new = NewForm(request.POST or None, user=request.user)
    if request.method == "POST" and new.is_valid():
        try:
            form = form_create(
                actor=_actor(request),
                key=new.cleaned_data["key"],
                service=new.cleaned_data["leika_key"],
                title=new.cleaned_data["title"],
                owner=new.cleaned_data["owner"],
            )
        except DomainError as error:
            new.add_error(error.field or None, error.message)
        else:
            draft_save(
                actor=_actor(request),
                form=form,
                definition=editor.new_definition(form.title),
            )
            return redirect("backoffice:form-draft", form_key=form.key)
    page = Paginator(forms_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("seite")
    )
    return render(
        request,
        "backoffice/form_list.html",
        {
            "page": page,
            "new": new,
            "may_create": bool(cast(forms.ChoiceField, new.fields["owner"]).choices),
        },
        status=422 if new.errors else 200,
    )


@login_required
def form_detail(request: HttpRequest, form_key: str) -> HttpResponse:
    form = _form(request, form_key)
    versions = list(form.versions.order_by("-number")[:50])
    return render(
        request,
        "backoffice/form_detail.html",
        {"form": form, "versions": versions, "may_edit": may_edit(request.user, form.owner)},
    )


def _position(text: str) -> list[int]:
    try:
        position = [int(part) for part in text.split(".")]
    except ValueError:
        raise Http404("Diesen Schritt oder dieses Feld gibt es nicht.") from None
    if not 1 <= len(position) <= 3 or min(position) < 0:
        raise Http404("Diesen Schritt oder dieses Feld gibt es nicht.")
    return position


def _edited(request: HttpRequest, definition: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The definition after the editor's button (aktion) was applied, and the id
    of the element the page then shows and focuses: the new or moved step or
    field, or what held the removed one ("" for the top of the page)."""
    action, _, where = request.POST.get("aktion", "").partition(":")
    if action == "schritt-neu":
        changed = editor.step_add(definition, request.POST.get("titel", ""))
        return changed, _anchor([len(changed["steps"]) - 1])
    if action == "json":
        try:
            edited = json.loads(request.POST.get("definition", ""))
        except ValueError as error:
            raise DomainError(f"Kein gültiges JSON: {error}") from None
        if not isinstance(edited, dict):
            raise DomainError("Eine Formulardefinition ist ein JSON-Objekt.")
        return edited, ""
    if action not in ("feld-neu", "hoch", "runter", "entfernen"):
        raise Http404("Diese Aktion gibt es nicht.")
    position = _position(where)
    if action == "feld-neu":
        changed = editor.item_add(
            definition,
            position,
            request.POST.get(f"typ-{where}", ""),
            request.POST.get(f"bezeichnung-{where}", ""),
        )
        step = changed["steps"][position[0]]
        items = step["items"] if len(position) == 1 else step["items"][position[1]]["group"]
        return changed, _anchor([*position, len(items) - 1])
    if action in ("hoch", "runter"):
        delta = -1 if action == "hoch" else 1
        changed = editor.move(definition, position, delta)
        moved = changed != definition
        return changed, _anchor([*position[:-1], position[-1] + (delta if moved else 0)])
    # entfernen: the step or group that held the field, or the step before
    changed = editor.remove(definition, position)
    if len(position) > 1:
        return changed, _anchor(position[:-1])
    return changed, _anchor([max(position[0] - 1, 0)]) if changed["steps"] else ""


def _anchor(position: list[int]) -> str:
    """The id of the step ([s]) or field ([s, i] or [s, i, g]) in the editor page."""
    if len(position) == 1:
        return f"schritt-{position[0]}"
    return "feld-" + ".".join(str(part) for part in position)


def _outline(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Steps and items with the positions the editor's buttons and links name."""
    outline = []
    for s, step in enumerate(definition.get("steps") or []):
        items = []
        for i, item in enumerate(step.get("items") or []):
            inner = [
                {"pos": f"{s}.{i}.{g}", "field": field}
                for g, field in enumerate(item.get("group") or [])
            ]
            items.append({"pos": f"{s}.{i}", "item": item, "inner": inner})
        outline.append({"pos": str(s), "index": s, "number": s + 1, "step": step, "items": items})
    return outline


def _fee_errors(fees: forms.BaseFormSet) -> list[tuple[str, str]]:
    """The fee rows' problems for the error summary: (field id, message)."""
    if not fees.is_bound:
        return []
    errors = [("", str(error)) for error in fees.non_form_errors()]
    for number, fee in enumerate(fees, start=1):
        for field in fee:
            errors += [
                (field.id_for_label, f"Gebühr {number}, {field.label}: {error}")
                for error in field.errors
            ]
    return errors


@login_required
def draft_edit(request: HttpRequest, form_key: str) -> HttpResponse:
    form = _form(request, form_key)
    draft = _editable(request, form)
    definition = draft.definition
    posted = request.POST if request.POST.get("aktion") == "einstellungen" else None
    settings_form = SettingsForm(posted, definition=definition)
    fees = fee_formset(posted, definition)
    error = anchor = ""
    # Settings and fees report their problems next to each field (and in their summary).
    settings_valid = posted is not None and (settings_form.is_valid() & fees.is_valid())
    if request.method == "POST" and (posted is None or settings_valid):
        try:
            if posted is not None:
                changed = settings_form.applied(definition, fees.fees())
            else:
                changed, anchor = _edited(request, definition)
            draft_save(actor=_actor(request), form=form, definition=changed)
        except DomainError as refused:
            error = refused.message
        else:
            messages.success(request, "Der Entwurf ist gespeichert.")
            url = reverse("backoffice:form-draft", kwargs={"form_key": form.key})
            return redirect(f"{url}#{anchor}" if anchor else url)
    return render(
        request,
        "backoffice/form_draft.html",
        {
            "form": form,
            "draft": draft,
            "definition": definition,
            "settings_form": settings_form,
            "fees": fees,
            "fee_errors": _fee_errors(fees),
            "outline": _outline(definition),
            "problems": definition_problems(definition),
            "json": json.dumps(definition, ensure_ascii=False, indent=2),
            "field_types": FIELD_TYPES.items(),
            "error": error,
        },
        status=422 if error or (posted is not None and not settings_valid) else 200,
    )


def _settings_page(
    request: HttpRequest,
    form: FormDefinition,
    draft: FormVersion,
    where: list[int],
    page_form: PartForm | FieldForm,
    *,
    kind: str,
    template: str,
) -> HttpResponse:
    """The page that sets one step, group or field (`kind`) of the draft. Its
    condition builder ("aktion=bedingung") writes the rule it builds into the
    rule field and shows the page again, to be checked and saved."""
    name = "title" if kind == "Schritt" else "label"
    title = f"{kind} „{page_form.initial.get(name, '')}“"
    rules = [("show_if", "Anzeigen, wenn")]
    if isinstance(page_form, FieldForm):
        rules.append(("required_if", "Pflicht, wenn"))
    builder = ConditionForm(
        request.POST if request.POST.get("aktion") == "bedingung" else None,
        definition=draft.definition,
        rules=rules,
    )
    if builder.is_bound:
        built = builder.rule()
        if built is not None:
            setting, logic = built
            data = request.POST.copy()
            data[setting] = json.dumps(logic, ensure_ascii=False)
            page_form = page_form.rebound(data)
            messages.info(
                request,
                f"Die Bedingung steht jetzt im Feld „{dict(rules)[setting]} (JSON Logic)“. "
                "Speichern Sie, um sie zu übernehmen.",
            )
        return render(
            request,
            template,
            {"form": form, "title": title, "page_form": page_form, "builder": builder},
            status=422 if builder.errors else 200,
        )
    if request.method == "POST" and page_form.is_valid():
        update = editor.field_update if isinstance(page_form, FieldForm) else editor.part_update
        try:
            changed = update(draft.definition, where, page_form.cleaned_data)
            draft_save(actor=_actor(request), form=form, definition=changed)
        except DomainError as error:
            page_form.add_error(error.field or None, error.message)
        else:
            messages.success(request, f"{kind} „{page_form.cleaned_data[name]}“ ist gespeichert.")
            return redirect("backoffice:form-draft", form_key=form.key)
    return render(
        request,
        template,
        {"form": form, "title": title, "page_form": page_form, "builder": builder},
        status=422 if page_form.errors else 200,
    )


@login_required
def step_edit(request: HttpRequest, form_key: str, step: int) -> HttpResponse:
    form = _form(request, form_key)
    draft = _editable(request, form)
    steps = draft.definition.get("steps") or []
    if step >= len(steps):
        raise Http404("Diesen Schritt gibt es nicht.")
    page_form = StepForm(request.POST or None, part=steps[step])
    return _settings_page(
        request,
        form,
        draft,
        [step],
        page_form,
        kind="Schritt",
        template="backoffice/form_part.html",
    )


@login_required
def field_edit(request: HttpRequest, form_key: str, position: str) -> HttpResponse:
    form = _form(request, form_key)
    where = _position(position)
    if len(where) < 2:
        raise Http404("Dieses Feld gibt es nicht.")
    draft = _editable(request, form)
    try:
        field = editor.item_at(draft.definition, where)
    except DomainError as error:
        raise Http404(error.message) from error
    if "group" in field:
        page_form: PartForm | FieldForm = GroupForm(request.POST or None, part=field)
        kind, template = "Gruppe", "backoffice/form_part.html"
    else:
        page_form = FieldForm(request.POST or None, field=field)
        kind, template = "Feld", "backoffice/form_field.html"
    return _settings_page(request, form, draft, where, page_form, kind=kind, template=template)


@login_required
@require_POST
def draft_publish(request: HttpRequest, form_key: str) -> HttpResponse:
    form = _form(request, form_key)
    draft = _editable(request, form)
    try:
        version_publish(actor=_actor(request), version=draft)
    except DomainError as error:
        messages.error(request, f"Nicht veröffentlicht: {error.message}")
        return redirect("backoffice:form-draft", form_key=form.key)
    messages.success(request, f"Version {draft.number} ist veröffentlicht.")
    return redirect("backoffice:form-detail", form_key=form.key)


class ImportForm(forms.Form):
    datei = forms.FileField(label="JSON-Datei", help_text="eine exportierte Formulardatei")


@login_required
@require_POST
def draft_import(request: HttpRequest, form_key: str) -> HttpResponse:
    form = _form(request, form_key)
    _editable(request, form)
    upload = ImportForm(request.POST, request.FILES)
    try:
        if not upload.is_valid():
            raise DomainError("Bitte wählen Sie eine JSON-Datei.")
        data = json.loads(upload.cleaned_data["datei"].read(2_000_000))
        definition = data.get("definition", data) if isinstance(data, dict) else data
        draft_save(actor=_actor(request), form=form, definition=definition)
    except ValueError as error:
        messages.error(request, f"Keine gültige JSON-Datei: {error}")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Die Datei ist als Entwurf übernommen.")
    return redirect("backoffice:form-draft", form_key=form.key)


@login_required
def version_export(request: HttpRequest, form_key: str, number: int) -> HttpResponse:
    form = _form(request, form_key)
    version = _version(form, number)
    body = {"key": form.key, "leika_key": form.service.leika_key, "definition": version.definition}
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{form.key}-v{version.number}.json"'
    return response


@login_required
def version_preview(request: HttpRequest, form_key: str, number: int) -> HttpResponse:
    """A version's step as applicants see it (nothing can be sent from here)."""
    form = _form(request, form_key)
    version = _version(form, number)
    draft = Draft(version=version, answers={})
    steps = version.definition.get("steps") or []
    keys = [step.get("key") for step in steps]
    wanted = request.GET.get("schritt", keys[0] if keys else "")
    if wanted not in keys or definition_problems(version.definition):
        return render(
            request,
            "backoffice/form_preview_broken.html",
            {"form": form, "version": version, "problems": definition_problems(version.definition)},
        )
    index = keys.index(wanted)
    return render(
        request,
        "submissions/step.html",
        {
            "draft": draft,
            "definition": version.definition,
            "step": steps[index],
            "page": flow.step_page(draft, steps[index]),
            "number": index + 1,
            "total": len(steps) + 1,
            "preview": {"form": form, "version": version, "steps": steps},
        },
    )


@login_required
def version_diff(request: HttpRequest, form_key: str) -> HttpResponse:
    form = _form(request, form_key)
    numbers = sorted(form.versions.values_list("number", flat=True))
    try:
        old = int(request.GET.get("von", numbers[-2] if len(numbers) > 1 else numbers[0]))
        new = int(request.GET.get("zu", numbers[-1]))
    except (ValueError, IndexError):
        raise Http404("Diese Versionen gibt es nicht.") from None
    before, after = _version(form, old), _version(form, new)
    lines = list(
        difflib.unified_diff(
            # Sorted keys: PostgreSQL's jsonb keeps no key order, and a diff must not show one.
            json.dumps(
                before.definition, ensure_ascii=False, indent=2, sort_keys=True
            ).splitlines(),
            json.dumps(after.definition, ensure_ascii=False, indent=2, sort_keys=True).splitlines(),
            fromfile=f"Version {old}",
            tofile=f"Version {new}",
            lineterm="",
            n=3,
        )
    )
    return render(
        request,
        "backoffice/form_diff.html",
        {"form": form, "old": old, "new": new, "numbers": numbers, "lines": lines},
    )

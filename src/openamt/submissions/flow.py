"""The applicant's way through a form, step by step: what a step shows, what the
browser sent back, which step comes next. The rules themselves live in
`forms.answers`; this module only translates between them and HTML forms.

Names in the HTML form are answer paths ("hunde.1.name"); parts of a place or
an address add "__street", "__postcode", "__city". A group's entry count
travels as "<group>__anzahl", so that entries can be added and removed
without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from openamt.core.errors import InvalidInput
from openamt.forms.answers import validate_all, validate_step
from openamt.forms.inputs import (
    PART_LABELS,
    PART_LIMITS,
    PARTS,
    Unreadable,
    date_read,
    limit_of,
    relative_day,
)
from openamt.submissions.attachments import attachment_upload, field_limits
from openamt.submissions.models import Draft

# autocomplete token and KERN width class of each part's input
_PART_INPUTS = {
    "street": ("street-address", ""),
    "postcode": ("postal-code", "5"),
    "city": ("address-level2", ""),
}
AUTOCOMPLETE = {
    "given_name": "given-name",
    "family_name": "family-name",
    "birth_date": "bday",
    "phone": "tel",
    "email": "email",
}
_FILE_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


@dataclass
class Widget:
    """One field as the template renders it."""

    is_group = False
    path: str
    spec: dict[str, Any]
    value: Any
    error: str = ""
    hidden: bool = False
    required: bool = False
    source: str = ""  # where a prefilled value came from

    @property
    def id(self) -> str:
        return "f-" + self.path.replace(".", "-").replace("_", "-")

    @property
    def kind(self) -> str:
        return str(self.spec["type"])

    @property
    def autocomplete(self) -> str:
        return AUTOCOMPLETE.get(self.spec.get("prefill", ""), "")

    @property
    def input_value(self) -> str:
        """A date as the date input expects it (ISO), read as the server reads
        it ("1.1.85" too); everything else as entered."""
        text = "" if self.value is None else str(self.value)
        if self.kind == "date" and text:
            today = date.today()
            latest = relative_day(self.spec["date_max"], today) if "date_max" in self.spec else None
            try:
                return date_read(text, today=today, latest=latest).isoformat()
            except Unreadable:
                return text
        return text

    @property
    def max_length(self) -> int:
        """The most characters the server takes (`maxlength` of the input)."""
        return limit_of(self.spec)

    @property
    def chosen(self) -> list[str]:
        values = self.value if isinstance(self.value, list) else [self.value]
        return [str(v) for v in values if v not in (None, "")]

    @property
    def parts(self) -> dict[str, str]:
        return self.value if isinstance(self.value, dict) else {}

    @property
    def error_part(self) -> str:
        """The part of a place or address the error is about ("" for the whole field)."""
        return str(getattr(self.error, "part", ""))

    @property
    def error_anchor(self) -> str:
        """The id of the input the error summary links to: the wrong part of a
        place or address, the first option of a radio or checkbox group."""
        kind = self.kind
        if kind in PARTS:
            part = self.error_part if self.error_part in PARTS[kind] else PARTS[kind][0]
            return f"{self.id}-{part}"
        if kind == "yes_no":
            return f"{self.id}-ja"
        if kind == "choice" and self.spec.get("widget") != "select":
            return f"{self.id}-1"
        return self.id

    @property
    def part_inputs(self) -> list[dict[str, Any]]:
        """The inputs of a place or address, each marked invalid if the error is
        about it (or about the whole field)."""
        inputs = []
        for part in PARTS.get(self.kind, ()):
            autocomplete, width = _PART_INPUTS[part]
            inputs.append(
                {
                    "part": part,
                    "label": PART_LABELS[part],
                    "max_length": PART_LIMITS[part],
                    "autocomplete": autocomplete,
                    "width": width,
                    "value": self.parts.get(part, ""),
                    "invalid": bool(self.error) and self.error_part in ("", part),
                    "error_here": bool(self.error) and self.error_part == part,
                }
            )
        return inputs

    @property
    def file_hint(self) -> str:
        allowed, max_bytes = field_limits(self.spec)
        types = ", ".join(sorted(_FILE_TYPES[kind] for kind in allowed))
        megabytes = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
        return f"{types}, höchstens {megabytes} MB"


@dataclass
class Entry:
    index: int
    widgets: list[Widget]


@dataclass
class Group:
    is_group = True
    key: str
    spec: dict[str, Any]
    entries: list[Entry]
    error: str = ""
    hidden: bool = False

    @property
    def can_add(self) -> bool:
        return len(self.entries) < self.spec.get("max", 1)

    @property
    def can_remove(self) -> bool:
        return len(self.entries) > self.spec.get("min", 1)


@dataclass
class StepPage:
    items: list[Widget | Group]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (anchor id, message)


def earlier_answers(draft: Draft, step_key: str) -> dict[str, Any]:
    return validate_all(draft.version.definition, draft.answers, until=step_key).answers


def visible_steps(draft: Draft) -> list[dict[str, Any]]:
    definition = draft.version.definition
    shown = set(validate_all(definition, draft.answers).steps)
    return [step for step in definition["steps"] if step["key"] in shown]


def _required(spec: dict[str, Any]) -> bool:
    return bool(spec.get("required") or spec.get("required_if"))


def step_page(
    draft: Draft,
    step: dict[str, Any],
    *,
    errors: dict[str, str] | None = None,
    sources: dict[str, str] | None = None,
) -> StepPage:
    """The step with the draft's answers, which fields the rules show, and errors."""
    definition = draft.version.definition
    # Every entry a group shows takes part, also the empty ones not answered yet.
    shown_answers = dict(draft.answers)
    for spec in step["items"]:
        if "group" in spec:
            saved = shown_answers.get(spec["key"])
            entries = saved if isinstance(saved, list) else []
            padding = max(0, spec.get("min", 1) - len(entries))
            shown_answers[spec["key"]] = [*entries, *({} for _ in range(padding))]
    visible = validate_step(
        definition, step, shown_answers, earlier_answers(draft, step["key"])
    ).visible
    errors = errors or {}
    sources = sources or {}
    page = StepPage(items=[])

    def widget(spec: dict[str, Any], path: str, value: Any) -> Widget:
        item = Widget(
            path=path,
            spec=spec,
            value=value,
            error=errors.get(path, ""),
            hidden=path not in visible,
            required=_required(spec),
            source=sources.get(path, ""),
        )
        if item.error:
            page.errors.append((item.error_anchor, f"{spec['label']}: {item.error}"))
        return item

    for spec in step["items"]:
        key = spec["key"]
        if "group" not in spec:
            page.items.append(widget(spec, key, draft.answers.get(key)))
            continue
        saved = draft.answers.get(key)
        entries = saved if isinstance(saved, list) else []
        count = max(len(entries), spec.get("min", 1))
        group = Group(key=key, spec=spec, entries=[], hidden=key not in visible)
        for index in range(count):
            entry = (
                entries[index] if index < len(entries) and isinstance(entries[index], dict) else {}
            )
            group.entries.append(
                Entry(
                    index=index,
                    widgets=[
                        widget(inner, f"{key}.{index}.{inner['key']}", entry.get(inner["key"]))
                        for inner in spec["group"]
                    ],
                )
            )
        group.error = errors.get(key, "")
        if group.error:
            page.errors.append((f"gruppe-{key}", group.error))
        page.items.append(group)
    return page


def _read(spec: dict[str, Any], path: str, post: QueryDict, current: Any) -> Any:
    kind = spec["type"]
    if kind == "info":
        return None
    if kind in PARTS:
        return {part: post.get(f"{path}__{part}", "") for part in PARTS[kind]}
    if kind == "choice" and spec.get("widget") == "checkbox":
        return post.getlist(path)
    if kind == "file":
        return None if post.get(f"{path}__entfernen") else current
    return post.get(path, "")


def read_step(
    draft: Draft, step: dict[str, Any], post: QueryDict, files: MultiValueDict
) -> tuple[dict[str, Any], dict[str, str]]:
    """The step's answers as the browser sent them, uploads stored; and the
    messages of refused uploads (the rest of the step is kept regardless)."""
    answers: dict[str, Any] = {}
    upload_errors: dict[str, str] = {}

    def read(spec: dict[str, Any], path: str, current: Any) -> Any:
        value = _read(spec, path, post, current)
        upload = files.get(path) if spec["type"] == "file" else None
        if upload is not None and upload.size:
            try:
                value = attachment_upload(draft=draft, path=path, spec=spec, upload=upload)
            except InvalidInput as error:
                upload_errors[path] = error.message
        return value

    for spec in step["items"]:
        key = spec["key"]
        if "group" not in spec:
            answers[key] = read(spec, key, draft.answers.get(key))
            continue
        saved = draft.answers.get(key)
        saved_entries = saved if isinstance(saved, list) else []
        try:
            count = int(post.get(f"{key}__anzahl", "0"))
        except ValueError:
            count = 0
        count = max(0, min(count, spec.get("max", 1)))
        entries = []
        for index in range(count):
            before = saved_entries[index] if index < len(saved_entries) else {}
            before = before if isinstance(before, dict) else {}
            entries.append(
                {
                    inner["key"]: read(
                        inner, f"{key}.{index}.{inner['key']}", before.get(inner["key"])
                    )
                    for inner in spec["group"]
                }
            )
        answers[key] = entries
    return answers, upload_errors


def group_change(step: dict[str, Any], answers: dict[str, Any], action: str) -> str:
    """Apply "hinzufuegen:<gruppe>" or "entfernen:<gruppe>:<n>" to `answers`.
    Returns the id of the element the page then brings into view and focus (the
    new entry "gruppe-<gruppe>-<n>", or after a removal the group
    "gruppe-<gruppe>"); "" if the action changed no group."""
    parts = action.split(":")
    groups = {spec["key"]: spec for spec in step["items"] if "group" in spec}
    if len(parts) < 2 or parts[1] not in groups:
        return ""
    spec, entries = groups[parts[1]], answers.setdefault(parts[1], [])
    if parts[0] == "hinzufuegen" and len(entries) < spec.get("max", 1):
        entries.append({})
        return f"gruppe-{parts[1]}-{len(entries) - 1}"
    if parts[0] == "entfernen" and len(parts) == 3 and parts[2].isdigit():
        index = int(parts[2])
        if index < len(entries) and len(entries) > spec.get("min", 1):
            del entries[index]
            return f"gruppe-{parts[1]}"
    return ""

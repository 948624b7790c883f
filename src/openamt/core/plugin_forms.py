"""A staff form for any plugin's options, built from its pydantic Options
model, so that no page needs to know a plugin's settings (GUIDE §2).

The form only turns what was typed into values (a JWK text into a JSON
object, empty into "not given"); the plugin's model decides what is valid,
and its German messages are shown at the option (`registry.options_error`).
Secret options are password fields that are never filled in again: left
empty, the stored secret stays.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from django import forms
from pydantic import AnyUrl, BaseModel

KEEP_HINT = "leer lassen, um das hinterlegte Geheimnis zu behalten"


class JsonObjectField(forms.CharField):
    """A text area holding one JSON object (a JWK, say)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        return json.dumps(value, indent=2) if isinstance(value, dict) else value

    def to_python(self, value: Any) -> Any:
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            parsed = json.loads(text)
        except ValueError:
            raise forms.ValidationError("Das ist kein gültiges JSON.") from None
        if not isinstance(parsed, dict):
            raise forms.ValidationError("Erwartet ist ein JSON-Objekt ({…}).")
        return parsed


def _is(annotation: Any, kind: type) -> bool:
    candidates = typing.get_args(annotation) or (annotation,)
    return any(isinstance(c, type) and issubclass(c, kind) for c in candidates) or (
        typing.get_origin(annotation) is kind
    )


def options_form_class(
    options: type[BaseModel], *, secret_options: frozenset[str], has_secrets: bool
) -> type[forms.Form]:
    """A Form class with one optional field per option of `options`, labelled
    with the option's title and described by its description. `has_secrets`:
    secrets are stored already (their fields then say so)."""
    fields: dict[str, forms.Field] = {}
    for name, info in options.model_fields.items():
        label = info.title or name
        help_text = info.description or ""
        annotation = info.annotation
        field: forms.Field
        if name in secret_options:
            field = forms.CharField(widget=forms.PasswordInput, max_length=500)
            help_text = KEEP_HINT if has_secrets else help_text
        elif _is(annotation, dict):
            field = JsonObjectField()
        elif _is(annotation, AnyUrl):
            field = forms.URLField(assume_scheme="https", max_length=500)
        elif _is(annotation, int):
            field = forms.IntegerField()
        else:
            field = forms.CharField(max_length=500)
        field.required = False  # the plugin's model says what is required, in German
        field.label, field.help_text = label, help_text
        fields[name] = field
    return type("OptionsForm", (forms.Form,), fields)

"""Changes the form editor makes to a draft definition: add, move and remove
steps and fields, set a field's settings. Each takes a definition and returns
a changed copy; whether the result is publishable is `definition_problems`'
job, so a draft may be incomplete while it is worked on."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from openamt.core.errors import InvalidInput
from openamt.forms.answers import clean_value
from openamt.forms.constants import FIELD_TYPES

# Settings of a field the editor offers, in the order it shows them.
TEXT_SETTINGS = (
    "help",
    "text",
    "pattern",
    "pattern_message",
    "date_min",
    "date_max",
    "widget",
    "code_list",
)
NUMBER_SETTINGS = ("min", "max", "min_length", "max_length", "max_size_mb")
# Settings written as JSON: rules in JSON Logic, relations to earlier fields.
RULE_SETTINGS = ("show_if", "required_if", "relations")
_JSON_EXAMPLES = {"relations": '[{"op": ">=", "field": "datum_von"}]'}
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def new_definition(title: str) -> dict[str, Any]:
    return {
        "title": title,
        "steps": [
            {
                "key": "angaben",
                "title": "Angaben",
                "items": [{"key": "name", "type": "text", "label": "Name", "required": True}],
            }
        ],
    }


def _keys(definition: dict[str, Any]) -> set[str]:
    keys = {step["key"] for step in definition.get("steps", [])}
    for step in definition.get("steps", []):
        for item in step.get("items", []):
            keys.add(item.get("key", ""))
            keys |= {inner.get("key", "") for inner in item.get("group", [])}
    return keys


def unique_key(definition: dict[str, Any], label: str) -> str:
    """A key from a label ("Name des Hundes" -> name_des_hundes), unique in the form."""
    german = label.lower().translate(_UMLAUTS)
    base = slugify(german).replace("-", "_")[:36].strip("_") or "feld"
    if not base[0].isalpha():
        base = f"f_{base}"[:36]
    taken = _keys(definition)
    key, number = base, 2
    while key in taken:
        key, number = f"{base}_{number}", number + 1
    return key


def _steps(definition: dict[str, Any]) -> list[dict[str, Any]]:
    steps = definition.setdefault("steps", [])
    assert isinstance(steps, list)
    return steps


def _items(definition: dict[str, Any], position: list[int]) -> list[dict[str, Any]]:
    """The list that holds the item at a position [step, item] or [step, item, inner]."""
    try:
        items = _steps(definition)[position[0]]["items"]
        if len(position) == 3:
            items = items[position[1]]["group"]
    except (IndexError, KeyError, TypeError):
        raise InvalidInput("Diesen Schritt oder dieses Feld gibt es nicht (mehr).") from None
    assert isinstance(items, list)
    if not 0 <= position[-1] < len(items) + 1:
        raise InvalidInput("Diesen Schritt oder dieses Feld gibt es nicht (mehr).")
    return items


def step_add(definition: dict[str, Any], title: str) -> dict[str, Any]:
    changed = copy.deepcopy(definition)
    title = title.strip() or "Neuer Schritt"
    _steps(changed).append(
        {
            "key": unique_key(changed, title),
            "title": title,
            "items": [
                {"key": unique_key(changed, title + " Feld"), "type": "text", "label": "Neues Feld"}
            ],
        }
    )
    return changed


def item_add(
    definition: dict[str, Any], position: list[int], kind: str, label: str
) -> dict[str, Any]:
    """A new field at the end of a step ([step]) or of a group ([step, item])."""
    if kind not in FIELD_TYPES and kind != "group":
        raise InvalidInput("Bitte wählen Sie einen Feldtyp.", field="type")
    label = label.strip()
    if not label:
        raise InvalidInput("Bitte geben Sie eine Bezeichnung ein.", field="label")
    if kind == "group" and len(position) == 2:
        raise InvalidInput("Eine Gruppe kann keine weitere Gruppe enthalten.", field="type")
    changed = copy.deepcopy(definition)
    items = _items(changed, [*position, 0])
    key = unique_key(changed, label)
    if kind == "group":
        item: dict[str, Any] = {
            "key": key,
            "label": label,
            "min": 1,
            "max": 5,
            "group": [{"key": unique_key(changed, "name"), "type": "text", "label": "Name"}],
        }
    else:
        item = {"key": key, "type": kind, "label": label}
        if kind == "choice":
            item |= {"widget": "radio", "options": [{"value": "ja", "label": "Ja"}]}
        if kind in ("info", "declaration"):
            item["text"] = label
    items.append(item)
    return changed


def move(definition: dict[str, Any], position: list[int], delta: int) -> dict[str, Any]:
    """Move a step ([step]) or an item one place up (-1) or down (+1)."""
    changed = copy.deepcopy(definition)
    items = _steps(changed) if len(position) == 1 else _items(changed, position)
    index, target = position[-1], position[-1] + delta
    if 0 <= index < len(items) and 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    return changed


def remove(definition: dict[str, Any], position: list[int]) -> dict[str, Any]:
    changed = copy.deepcopy(definition)
    items = _steps(changed) if len(position) == 1 else _items(changed, position)
    if 0 <= position[-1] < len(items):
        del items[position[-1]]
    return changed


def item_at(definition: dict[str, Any], position: list[int]) -> dict[str, Any]:
    items = _items(definition, position)
    if position[-1] >= len(items):
        raise InvalidInput("Diesen Schritt oder dieses Feld gibt es nicht (mehr).")
    return items[position[-1]]


def _options(text: str) -> list[dict[str, str]]:
    """Options as the editor writes them: one per line, "wert = Bezeichnung"."""
    options = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        value, _, label = line.partition("=")
        if not value.strip() or not label.strip():
            raise InvalidInput(
                f"Zeile {number}: bitte „Wert = Bezeichnung“ schreiben.", field="options"
            )
        options.append({"value": value.strip(), "label": label.strip()})
    return options


def options_text(options: list[dict[str, str]]) -> str:
    return "\n".join(f"{option['value']} = {option['label']}" for option in options)


def _rule(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        if name in _JSON_EXAMPLES:
            message = f"Bitte als JSON angeben, z. B. {_JSON_EXAMPLES[name]}."
        else:
            message = 'Bitte eine Regel in JSON Logic angeben, z. B. {"===": [{"var": "gefaehrlich"}, true]}.'
        raise InvalidInput(message, field=name) from None


def field_update(
    definition: dict[str, Any], position: list[int], values: dict[str, Any]
) -> dict[str, Any]:
    """Set a field's settings from the editor's form (empty means: not set)."""
    changed = copy.deepcopy(definition)
    items = _items(changed, position)
    if position[-1] >= len(items):
        raise InvalidInput("Diesen Schritt oder dieses Feld gibt es nicht (mehr).")
    old = items[position[-1]]
    field: dict[str, Any] = {"key": values["key"], "type": values["type"], "label": values["label"]}
    if values.get("required"):
        field["required"] = True
    for name in TEXT_SETTINGS:
        if values.get(name):
            field[name] = values[name]
    for name in NUMBER_SETTINGS:
        if values.get(name) is not None:
            number = values[name]
            field[name] = int(number) if number == int(number) else float(number)
    for name in RULE_SETTINGS:
        if values.get(name):
            field[name] = _rule(values[name], name)
    if values.get("options"):
        field["options"] = _options(values["options"])
    if values.get("accept"):
        field["accept"] = list(values["accept"])
    if values.get("prefill"):
        field["prefill"] = values["prefill"]
    if values["key"] != old.get("key") and values["key"] in _keys(changed):
        raise InvalidInput("Diese Kennung gibt es in diesem Formular schon.", field="key")
    items[position[-1]] = field
    return changed


def part_update(
    definition: dict[str, Any], position: list[int], values: dict[str, Any]
) -> dict[str, Any]:
    """Set the settings of a step ([step]: key, title, condition) or of a
    repeatable group ([step, item]: key, label, button text, how many, condition);
    its fields stay as they are. Empty means: not set."""
    changed = copy.deepcopy(definition)
    items = _steps(changed) if len(position) == 1 else _items(changed, position)
    if position[-1] >= len(items):
        raise InvalidInput("Diesen Schritt oder dieses Feld gibt es nicht (mehr).")
    part = items[position[-1]]
    if values["key"] != part.get("key") and values["key"] in _keys(changed):
        raise InvalidInput("Diese Kennung gibt es in diesem Formular schon.", field="key")
    for name, value in values.items():
        if value in (None, ""):
            part.pop(name, None)
        else:
            part[name] = _rule(value, name) if name in RULE_SETTINGS else value
    return changed


# Comparisons the editor's condition builder offers: id -> (German wording, JSON Logic operator).
COMPARISONS = {
    "gleich": ("ist gleich", "==="),
    "ungleich": ("ist nicht gleich", "!=="),
    "groesser": ("ist größer als", ">"),
    "kleiner": ("ist kleiner als", "<"),
    "ausgefuellt": ("ist ausgefüllt", "!!"),
    "leer": ("ist nicht ausgefüllt", "!"),
}
ORDERED_TYPES = ("number", "money", "date")
# Field types a condition cannot compare a value with.
NO_CONDITION_TYPES = ("info", "file", "place", "address", "declaration")


def condition_fields(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Fields a condition may test, in the form's order (those of groups too:
    inside a group a rule sees its own entry's fields first)."""
    found = []
    for step in definition.get("steps") or []:
        for item in step.get("items") or []:
            for spec in item.get("group", [item]):
                if spec.get("type") not in NO_CONDITION_TYPES:
                    found.append(spec)
    return found


def condition_rule(
    definition: dict[str, Any], *, key: str, comparison: str, value: str
) -> dict[str, Any]:
    """The JSON Logic of "field `key` <comparison> `value`", the value read as the
    field reads an answer (German numbers and dates, "ja"/"nein", an option's value
    or label). Raises InvalidInput naming the builder's part ("feld", "vergleich",
    "wert") that does not fit."""
    spec = next((s for s in condition_fields(definition) if s["key"] == key), None)
    if spec is None:
        raise InvalidInput("Bitte wählen Sie ein Feld des Formulars.", field="feld")
    if comparison not in COMPARISONS:
        raise InvalidInput("Bitte wählen Sie einen Vergleich.", field="vergleich")
    variable = {"var": key}
    operator = COMPARISONS[comparison][1]
    if operator in ("!!", "!"):
        return {operator: [variable]}
    if operator in (">", "<") and spec["type"] not in ORDERED_TYPES:
        raise InvalidInput(
            "„größer“ und „kleiner“ gibt es nur bei Zahlen, Beträgen und Daten.", field="vergleich"
        )
    text = value.strip()
    if spec["type"] == "choice":
        labels = {o["label"].casefold(): o["value"] for o in spec.get("options") or []}
        text = labels.get(text.casefold(), text)
    elif spec["type"] == "yes_no":
        text = text.casefold()
    # Only the value's form counts here, not the field's limits for answers.
    shape = {"type": spec["type"], "options": spec.get("options") or [], "widget": "radio"}
    cleaned, problem = clean_value(shape, text, today=timezone.localdate())
    if cleaned is None:
        raise InvalidInput("Bitte geben Sie den Wert an, mit dem verglichen wird.", field="wert")
    if problem:
        raise InvalidInput(problem, field="wert")
    return {operator: [variable, cleaned]}

"""Checking a form definition before it may be published.

First the committed JSON Schema (`docs/form-schema.json`), then what a schema
cannot say: keys are unique, every rule and fee names only fields that exist
and uses only JSON Logic operations, each field carries only the settings its
type knows, and a relation compares with an earlier field of the same type. Every problem names its place ("Schritt 2 „Hund“, Feld
„rasse“") so that the editor can fix it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from json_logic import operations
from jsonschema import Draft202012Validator

from openamt.core.errors import InvalidInput
from openamt.forms.code_lists import CODE_LISTS
from openamt.forms.constants import FIELD_TYPES

SCHEMA_PATH = Path(settings.PROJECT_DIR) / "docs" / "form-schema.json"
# Operations JSON Logic evaluates itself rather than through its table.
_SPECIAL_OPERATIONS = {
    "if",
    "?:",
    "and",
    "or",
    "var",
    "missing",
    "missing_some",
    "map",
    "filter",
    "reduce",
    "all",
    "none",
    "some",
}
_TYPE_SETTINGS = {
    "options": {"choice"},
    "code_list": {"choice"},
    "widget": {"choice"},
    "min": {"number", "money"},
    "max": {"number", "money"},
    "date_min": {"date"},
    "date_max": {"date"},
    "accept": {"file"},
    "max_size_mb": {"file"},
    "min_length": {"text", "long_text"},
    "max_length": {"text", "long_text"},
    "pattern": {"text"},
    "pattern_message": {"text"},
    "relations": {"date", "number", "money", "text"},
}


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


_KINDS = {
    "steps": "Schritt",
    "items": "Feld",
    "group": "Feld",
    "fees": "Gebühr",
    "options": "Option",
    "relations": "Beziehung",
}


def _place(definition: dict[str, Any], path: list[Any]) -> str:
    """A JSON path as a person reads it: Schritt 2 „Hund“, Feld 3 „rasse“."""
    parts: list[str] = []
    node: Any = definition
    container = ""
    for segment in path:
        try:
            node = node[segment]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(segment, str):
            if segment not in _KINDS:
                parts.append(f"Angabe „{segment}“")
            container = segment
            continue
        kind = _KINDS.get(container, "Eintrag")
        if kind == "Feld" and isinstance(node, dict) and "group" in node:
            kind = "Gruppe"
        name = (
            (node.get("title") or node.get("key") or node.get("label") or "")
            if isinstance(node, dict)
            else ""
        )
        parts.append(f"{kind} {segment + 1}" + (f" „{name}“" if name else ""))
    return ", ".join(parts) or "Formular"


def logic_names(rule: Any) -> Iterator[str]:
    """The answers a JSON Logic rule reads (first part of each `var` path)."""
    if isinstance(rule, list):
        for item in rule:
            yield from logic_names(item)
    elif isinstance(rule, dict):
        for operator, argument in rule.items():
            if operator == "var":
                name = argument[0] if isinstance(argument, list) and argument else argument
                if isinstance(name, str) and name:
                    yield name.split(".", 1)[0]
            else:
                yield from logic_names(argument)


def logic_operators(rule: Any) -> Iterator[str]:
    if isinstance(rule, list):
        for item in rule:
            yield from logic_operators(item)
    elif isinstance(rule, dict):
        for operator, argument in rule.items():
            yield operator
            if operator != "var":
                yield from logic_operators(argument)


def _rule_problems(rule: Any, known: set[str], place: str) -> Iterator[str]:
    for operator in logic_operators(rule):
        if operator not in operations and operator not in _SPECIAL_OPERATIONS:
            yield f"{place}: unbekannte Regel-Operation „{operator}“."
    for name in logic_names(rule):
        if name not in known:
            yield f"{place}: die Regel nennt das Feld „{name}“, das es nicht gibt."


def _semantic_problems(definition: dict[str, Any]) -> Iterator[str]:
    seen: dict[str, str] = {}
    top_level: set[str] = set()
    for s_index, step in enumerate(definition["steps"]):
        for i_index, item in enumerate(step["items"]):
            place = _place(definition, ["steps", s_index, "items", i_index])
            if item["key"] in seen:
                yield f"{place}: die Kennung „{item['key']}“ gibt es schon ({seen[item['key']]})."
            seen[item["key"]] = place
            top_level.add(item["key"])
    earlier: dict[str, str] = {}  # the fields before the one checked: key -> type
    for s_index, step in enumerate(definition["steps"]):
        step_place = _place(definition, ["steps", s_index])
        if "show_if" in step:
            yield from _rule_problems(step["show_if"], top_level, f"{step_place}, Bedingung")
        for i_index, item in enumerate(step["items"]):
            path = ["steps", s_index, "items", i_index]
            place = _place(definition, path)
            if "show_if" in item:
                yield from _rule_problems(item["show_if"], top_level, f"{place}, Bedingung")
            if "group" in item:
                inner = {field["key"] for field in item["group"]}
                if len(inner) != len(item["group"]):
                    yield f"{place}: eine Kennung kommt in der Gruppe doppelt vor."
                if item.get("min", 1) > item.get("max", 1):
                    yield f"{place}: „min“ ist größer als „max“."
                in_entry = dict(earlier)
                for f_index, field in enumerate(item["group"]):
                    yield from _field_problems(
                        field,
                        top_level | inner,
                        _place(definition, [*path, "group", f_index]),
                        in_entry,
                    )
                    in_entry[field["key"]] = field["type"]
            else:
                yield from _field_problems(item, top_level, place, earlier)
                earlier[item["key"]] = item["type"]
    for f_index, fee in enumerate(definition.get("fees", [])):
        if isinstance(fee["amount_cents"], dict):
            yield from _rule_problems(
                fee["amount_cents"], top_level, f"{_place(definition, ['fees', f_index])}, Betrag"
            )


def _relation_problems(
    field: dict[str, Any], known: set[str], place: str, earlier: dict[str, str]
) -> Iterator[str]:
    """A relation compares with an earlier field of the same type (in a group
    also one of the same entry), so that its message can stand at this field."""
    for number, relation in enumerate(field.get("relations", []), start=1):
        where = f"{place}, Beziehung {number}"
        other = relation["field"]
        if other == field["key"]:
            yield f"{where}: ein Feld kann nicht mit sich selbst verglichen werden."
        elif other not in earlier:
            yield (
                f"{where}: „{other}“ ist kein Feld vor diesem; verglichen wird mit einem "
                "früheren Feld."
            )
        elif earlier[other] != field["type"]:
            yield (
                f"{where}: „{other}“ hat den Feldtyp „{FIELD_TYPES[earlier[other]]}“, dieses Feld "
                f"„{FIELD_TYPES[field['type']]}“; verglichen werden nur Felder gleichen Typs."
            )
        if "when" in relation:
            yield from _rule_problems(relation["when"], known, f"{where}, Bedingung")


def _field_problems(
    field: dict[str, Any], known: set[str], place: str, earlier: dict[str, str]
) -> Iterator[str]:
    kind = field["type"]
    for setting, types in _TYPE_SETTINGS.items():
        if setting in field and kind not in types:
            yield f"{place}: „{setting}“ passt nicht zum Feldtyp „{kind}“."
    if "relations" in field and kind in _TYPE_SETTINGS["relations"]:
        yield from _relation_problems(field, known, place, earlier)
    if kind == "choice" and "options" not in field and "code_list" not in field:
        yield f"{place}: eine Auswahl braucht Optionen."
    if "code_list" in field and field["code_list"] not in CODE_LISTS:
        yield (
            f"{place}: die Codeliste „{field['code_list']}“ gibt es nicht "
            f"(vorhanden: {', '.join(CODE_LISTS)})."
        )
    if kind in ("info", "declaration") and not field.get("text"):
        yield f"{place}: ein Hinweistext oder eine Erklärung braucht einen Text."
    if "min" in field and "max" in field and field["min"] > field["max"]:
        yield f"{place}: „min“ ist größer als „max“."
    if "options" in field:
        values = [option["value"] for option in field["options"]]
        if len(set(values)) != len(values):
            yield f"{place}: ein Optionswert kommt doppelt vor."
    for setting in ("show_if", "required_if"):
        if setting in field:
            label = "Bedingung" if setting == "show_if" else "Pflicht-Bedingung"
            yield from _rule_problems(field[setting], known, f"{place}, {label}")


def definition_problems(definition: Any) -> list[str]:
    """Every problem of a definition, in German with its place; empty if publishable."""
    schema_errors = sorted(
        (specific for error in _validator().iter_errors(definition) for specific in _meant(error)),
        key=lambda e: [str(part) for part in e.absolute_path],
    )
    if schema_errors:
        return [
            f"{_place(definition, list(error.absolute_path))}: {_schema_message(error)}"
            for error in schema_errors[:20]
        ]
    return list(_semantic_problems(definition))


def _meant(error: Any) -> list[Any]:
    """An item that is neither a valid field nor a valid group: the errors of
    the one it means (a group if it has "group"), which name the wrong setting."""
    if error.validator == "oneOf" and isinstance(error.instance, dict) and error.context:
        branch = 1 if "group" in error.instance else 0
        chosen = [e for e in error.context if e.relative_schema_path[0] == branch]
        if chosen:
            return [specific for inner in chosen for specific in _meant(inner)]
    return [error]


def _schema_message(error: Any) -> str:
    """jsonschema's messages are English; the common cases in German."""
    validator, value = error.validator, error.validator_value
    messages = {
        "required": lambda: (
            "es fehlt " + ", ".join(f"„{name}“" for name in value if name not in error.instance)
        ),
        "additionalProperties": lambda: (
            "unbekannte Angabe "
            + ", ".join(
                f"„{name}“"
                for name in error.instance
                if name not in error.schema.get("properties", {})
            )
        ),
        "enum": lambda: "erlaubt sind " + ", ".join(f"„{v}“" for v in value),
        "pattern": lambda: f"„{error.instance}“ hat nicht die erwartete Form",
        "type": lambda: "falscher Datentyp",
        "minLength": lambda: "ist leer oder zu kurz",
        "maxLength": lambda: f"ist länger als {value} Zeichen",
        "minItems": lambda: f"braucht mindestens {value} Einträge",
        "maxItems": lambda: f"hat mehr als {value} Einträge",
        "oneOf": lambda: "ist weder ein Feld noch eine Gruppe nach Vorgabe",
        "minimum": lambda: f"ist kleiner als {value}",
        "maximum": lambda: f"ist größer als {value}",
    }
    return messages.get(validator, lambda: error.message)()


def definition_check(definition: Any) -> None:
    problems = definition_problems(definition)
    if problems:
        raise InvalidInput(
            " ".join(problems[:5])
            + (f" (und {len(problems) - 5} weitere)" if len(problems) > 5 else "")
        )

"""Answers to a form: conditions, validation with German messages, fees.

Answers arrive as the browser sends them (strings, lists for checkboxes and
repeatable groups) and leave cleaned: numbers as int or float, money in
cents, dates as ISO strings, yes/no as booleans. Conditions and fees are JSON
Logic over the cleaned answers; inside a repeatable group a rule sees the
fields of its own entry first. Hidden fields are neither checked nor kept.
A field may compare itself with an earlier one (`relations`: an end date not
before its start date); the message stands next to the later field. Fee
amounts are computed in Decimal and rounded commercially to whole cents.
"""

from __future__ import annotations

import json
import logging
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import reduce
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from json_logic import jsonLogic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from openamt.core.errors import InvalidInput
from openamt.core.money import cents_round, decimal_of, euros_display
from openamt.core.recent import recent
from openamt.forms.display import display, number_display
from openamt.forms.inputs import (
    ISO_DATE,
    PARTS,
    PartMessage,
    Unreadable,
    date_read,
    field_specs,
    number_read,
    part_read,
    relative_day,
    value_read,
)
from openamt.regions.models import Postcode
from openamt.regions.names import place_fold

logger = logging.getLogger(__name__)
REQUIRED = "Bitte füllen Sie dieses Feld aus."
_PHONE = re.compile(r"\+?[0-9 ()/\-]{6,30}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
YES, NO = "ja", "nein"


@dataclass
class Result:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # path ("hunde.1.name") -> message
    visible: set[str] = field(default_factory=set)  # paths of the fields shown
    steps: list[str] = field(default_factory=list)  # keys of the steps shown, in order


RULE_FAILED = (
    "Eine Regel dieses Formulars lässt sich mit diesen Angaben nicht auswerten. Das ist ein "
    "Fehler im Formular: bitte wenden Sie sich an die zuständige Behörde."
)


class _Entries(list):
    """A list whose missing index is a missing key: what `var` then yields is null."""

    def __getitem__(self, index: Any) -> Any:
        try:
            return super().__getitem__(index)
        except IndexError:
            raise KeyError(index) from None


def _null_past_end(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _null_past_end(item) for key, item in value.items()}
    if isinstance(value, list):
        return _Entries(_null_past_end(item) for item in value)
    return value


class RuleFailed(InvalidInput):
    """A rule of the form that cannot be evaluated with these answers."""


def evaluate(rule: Any, data: dict[str, Any]) -> Any:
    """A JSON Logic rule over the answers. A path past the end of a list
    ("baeume.5" with two trees) is null, as JSON Logic specifies; the library
    raises IndexError there. A rule that fails otherwise (arithmetic on text or
    on an unanswered field) is the form's error: logged without the answers."""
    try:
        try:
            return jsonLogic(rule, data)
        except IndexError:
            return jsonLogic(rule, _null_past_end(data))
    except (TypeError, ValueError, ArithmeticError) as error:
        logger.warning("form rule failed: %s (%s)", json.dumps(rule)[:500], type(error).__name__)
        raise RuleFailed(RULE_FAILED) from None


def holds(rule: Any, data: dict[str, Any]) -> bool:
    """Whether a condition holds; no condition always holds. A condition that
    cannot be evaluated does not hold: an applicant is not stopped by the form's
    error in what to show, only by one in what to pay (`fees_for`)."""
    if rule is None:
        return True
    try:
        return bool(evaluate(rule, data))
    except RuleFailed:
        return False


def _german(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _place_names(postcode: str) -> frozenset[str] | None:
    """The folded names of the places and Gemeinden with this postcode."""
    rows = Postcode.objects.filter(code=postcode).values_list("place_folded", "region__name_folded")
    names = frozenset(place for place, _ in rows) | {region.split(",", 1)[0] for _, region in rows}
    return names or None


def _place(postcode: str, city: str) -> PartMessage | None:
    """None if postcode and place fit, else the message about the part that is
    wrong. Both sides are folded alike (`place_fold`): "Sankt Gangloff" is the
    register's "St. Gangloff"."""
    if not postcode:
        return PartMessage("Bitte geben Sie die Postleitzahl an.", part="postcode")
    if not (len(postcode) == 5 and postcode.isdigit()):
        return PartMessage("Die Postleitzahl hat fünf Ziffern.", part="postcode")
    names = recent(f"openamt:plz:{postcode}", lambda: _place_names(postcode))
    if names is None:
        return PartMessage("Diese Postleitzahl gibt es nicht.", part="postcode")
    if not city:
        return PartMessage("Bitte geben Sie den Ort an.", part="city")
    if place_fold(city) not in names:
        return PartMessage(f"Der Ort passt nicht zur Postleitzahl {postcode}.", part="city")
    return None


def _parts(kind: str, raw: Any) -> tuple[dict[str, str] | None, PartMessage | None]:
    parts = raw if isinstance(raw, dict) else {}
    values: dict[str, str] = {}
    for part in PARTS[kind]:
        text, problem = part_read(part, parts.get(part) or "")
        if problem:
            return {**values, part: text}, problem
        values[part] = text
    if not any(values.values()):
        return None, None
    if kind == "address" and not values["street"]:
        return values, PartMessage("Bitte geben Sie Straße und Hausnummer an.", part="street")
    return values, _place(values["postcode"], values["city"])


def _bound(kind: str, bound: int | float) -> str:
    """A field's `min` or `max` (euros for money) as German readers write it."""
    amount = decimal_of(bound)
    return euros_display(cents_round(amount * 100)) if kind == "money" else number_display(amount)


def _number(spec: dict[str, Any], text: str) -> tuple[Any, str | None]:
    kind = spec["type"]
    try:
        number = number_read(text, money=kind == "money")
    except Unreadable as unreadable:
        return text, unreadable.message
    if "min" in spec and number < decimal_of(spec["min"]):
        return text, f"Der Wert muss mindestens {_bound(kind, spec['min'])} sein."
    if "max" in spec and number > decimal_of(spec["max"]):
        return text, f"Der Wert darf höchstens {_bound(kind, spec['max'])} sein."
    if kind == "money":
        if number != number.quantize(Decimal("0.01")):
            return text, "Höchstens zwei Stellen nach dem Komma."
        return cents_round(number * 100), None
    # JSON-friendly, and usable in rules: whole numbers as int, others as float.
    return (int(number) if number == number.to_integral_value() else float(number)), None


def _date(spec: dict[str, Any], text: str, today: date) -> tuple[Any, str | None]:
    earliest = relative_day(spec["date_min"], today) if "date_min" in spec else None
    latest = relative_day(spec["date_max"], today) if "date_max" in spec else None
    try:
        day = date_read(text, today=today, latest=latest)
    except Unreadable as unreadable:
        return text, unreadable.message
    if earliest is not None and day < earliest:
        return text, f"Das Datum darf nicht vor dem {_german(earliest)} liegen."
    if latest is not None and day > latest:
        return text, f"Das Datum darf nicht nach dem {_german(latest)} liegen."
    return day.isoformat(), None


def clean_value(spec: dict[str, Any], raw: Any, *, today: date) -> tuple[Any, str | None]:
    """(cleaned value, German message or None) for one field; empty values are None.
    Every text part is read by `forms.inputs` (NFC, no control characters,
    bounded), numbers and dates as German readers write them."""
    kind = spec["type"]
    if kind == "info":
        return None, None
    if kind == "file":
        return _file(raw)
    if kind in PARTS:
        return _parts(kind, raw)
    if kind == "choice" and spec.get("widget") == "checkbox":
        chosen: list[str] = []
        for item in raw if isinstance(raw, list) else [raw] if raw else []:
            value, problem = value_read(spec, item)
            if problem:
                return chosen, problem
            chosen.append(value)
        allowed = {option["value"] for option in spec["options"]}
        if any(value not in allowed for value in chosen):
            return chosen, "Bitte wählen Sie nur angebotene Möglichkeiten."
        return chosen or None, None
    text, problem = value_read(spec, raw)
    if problem:
        return text, problem
    if not text:
        return None, None
    if kind in ("text", "long_text"):
        if "min_length" in spec and len(text) < spec["min_length"]:
            return text, f"Mindestens {spec['min_length']} Zeichen."
        if "pattern" in spec and not re.fullmatch(spec["pattern"], text):
            return text, spec.get("pattern_message", "Die Eingabe hat nicht die erwartete Form.")
        return text, None
    if kind in ("number", "money"):
        return _number(spec, text)
    if kind == "date":
        return _date(spec, text, today)
    if kind == "choice":
        if text not in {option["value"] for option in spec["options"]}:
            return text, "Bitte wählen Sie eine der Möglichkeiten."
        return text, None
    if kind == "yes_no":
        if text not in (YES, NO):
            return text, "Bitte wählen Sie „Ja“ oder „Nein“."
        return text == YES, None
    if kind == "declaration":
        return (True, None) if text in ("1", "on", "true", YES) else (None, None)
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            return text, "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
        return text.lower(), None
    if kind == "phone":
        if not _PHONE.fullmatch(text):
            return text, "Bitte geben Sie eine Telefonnummer mit Vorwahl ein, z. B. 0361 123456."
        return text, None
    if kind == "iban":
        try:
            return stdnum_iban.compact(stdnum_iban.validate(text)), None
        except StdnumError:
            return text, "Dies ist keine gültige IBAN."
    raise ValueError(f"unknown field type {kind}")


def _file(raw: Any) -> tuple[Any, str | None]:
    """A file answer is the stored document's description, written by the upload."""
    if not raw:
        return None, None
    if (
        isinstance(raw, dict)
        and isinstance(raw.get("sha256"), str)
        and _SHA256.fullmatch(raw["sha256"])
        and isinstance(raw.get("name"), str)
        and isinstance(raw.get("size"), int)
        and isinstance(raw.get("content_type"), str)
    ):
        return {key: raw[key] for key in ("sha256", "name", "size", "content_type")}, None
    return None, "Bitte laden Sie die Datei hoch."


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_DATE_RELATIONS = {
    "<": "Das Datum muss vor dem {value} liegen („{label}“).",
    "<=": "Das Datum darf nicht nach dem {value} liegen („{label}“).",
    ">": "Das Datum muss nach dem {value} liegen („{label}“).",
    ">=": "Das Datum darf nicht vor dem {value} liegen („{label}“).",
}
_VALUE_RELATIONS = {
    "<": "Der Wert muss kleiner sein als {value} („{label}“).",
    "<=": "Der Wert darf nicht größer sein als {value} („{label}“).",
    ">": "Der Wert muss größer sein als {value} („{label}“).",
    ">=": "Der Wert darf nicht kleiner sein als {value} („{label}“).",
}


def _comparable(kind: str, value: Any) -> bool:
    """Whether an earlier answer is clean: one with an error keeps what was typed."""
    if kind == "date":
        return isinstance(value, str) and ISO_DATE.fullmatch(value) is not None
    if kind in ("number", "money"):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return kind == "text" and isinstance(value, str)


def _relation_problem(
    spec: dict[str, Any], value: Any, context: dict[str, Any], fields: dict[str, Any]
) -> str | None:
    """The message of the first relation to an earlier field that the value
    breaks ("datum_bis" >= "datum_von"); an earlier field not answered or not
    shown, or a relation whose `when` does not hold, is no objection."""
    for relation in spec.get("relations", []):
        other_spec = fields.get(relation["field"], {})  # a draft may name no field yet
        other = context.get(relation["field"])
        if not _comparable(other_spec.get("type", ""), other) or not holds(
            relation.get("when"), context
        ):
            continue
        if _COMPARISONS[relation["op"]](value, other):
            continue
        if "message" in relation:
            return str(relation["message"])
        messages = _DATE_RELATIONS if spec["type"] == "date" else _VALUE_RELATIONS
        return messages[relation["op"]].format(
            value=display(other_spec, other), label=other_spec["label"]
        )
    return None


def _field(
    spec: dict[str, Any],
    raw: Any,
    context: dict[str, Any],
    path: str,
    result: Result,
    today: date,
    target: dict[str, Any],
    fields: dict[str, Any],
) -> None:
    if not holds(spec.get("show_if"), context):
        return
    result.visible.add(path)
    value, message = clean_value(spec, raw, today=today)
    if message is None and value is not None:
        message = _relation_problem(spec, value, context, fields)
    required = spec.get("required", False) or (
        "required_if" in spec and holds(spec["required_if"], context)
    )
    if message:
        result.errors[path] = message
    elif value is None and required:
        result.errors[path] = (
            "Bitte bestätigen Sie die Erklärung." if spec["type"] == "declaration" else REQUIRED
        )
    if value is not None:
        target[spec["key"]] = value
        context[spec["key"]] = value


def validate_step(
    definition: dict[str, Any],
    step: dict[str, Any],
    raw: dict[str, Any],
    earlier: dict[str, Any],
    *,
    today: date | None = None,
) -> Result:
    """Check one step's answers, given what earlier steps answered."""
    today = today or date.today()
    result = Result()
    context = dict(earlier)
    fields = field_specs(definition)
    for item in step["items"]:
        if "group" not in item:
            _field(
                item,
                raw.get(item["key"]),
                context,
                item["key"],
                result,
                today,
                result.answers,
                fields,
            )
            continue
        if not holds(item.get("show_if"), context):
            continue
        result.visible.add(item["key"])
        entries = raw.get(item["key"]) or []
        entry_fields = {**fields, **{spec["key"]: spec for spec in item["group"]}}
        cleaned_entries = []
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            cleaned: dict[str, Any] = {}
            entry_context = {**context}
            for spec in item["group"]:
                value = entry.get(spec["key"]) if isinstance(entry, dict) else None
                _field(
                    spec,
                    value,
                    entry_context,
                    f"{item['key']}.{index}.{spec['key']}",
                    result,
                    today,
                    cleaned,
                    entry_fields,
                )
            cleaned_entries.append(cleaned)
        if len(cleaned_entries) < item.get("min", 1):
            result.errors[item["key"]] = (
                f"Bitte geben Sie mindestens {item.get('min', 1)} × „{item['label']}“ an."
            )
        elif len(cleaned_entries) > item.get("max", 1):
            result.errors[item["key"]] = f"Höchstens {item.get('max', 1)} × „{item['label']}“."
        result.answers[item["key"]] = cleaned_entries
        context[item["key"]] = cleaned_entries
    return result


def validate_all(
    definition: dict[str, Any],
    raw: dict[str, Any],
    *,
    today: date | None = None,
    until: str | None = None,
) -> Result:
    """All visible steps in order (or those before step `until`): the check before
    a submission is accepted. A step's condition sees the cleaned answers of the
    steps before it."""
    total = Result()
    for step in definition["steps"]:
        if step["key"] == until:
            break
        if not holds(step.get("show_if"), total.answers):
            continue
        total.steps.append(step["key"])
        part = validate_step(definition, step, raw, total.answers, today=today)
        total.answers.update(part.answers)
        total.errors.update(part.errors)
        total.visible |= part.visible
    return total


@dataclass(frozen=True)
class Fee:
    key: str
    label: str
    cents: int
    example: bool


_ARITHMETIC: dict[str, Callable[[list[Decimal]], Decimal]] = {
    "+": lambda numbers: sum(numbers, Decimal(0)),
    "*": lambda numbers: reduce(operator.mul, numbers, Decimal(1)),
    "-": lambda numbers: -numbers[0] if len(numbers) == 1 else numbers[0] - numbers[1],
    "/": lambda numbers: numbers[0] if len(numbers) == 1 else numbers[0] / numbers[1],
    "min": min,
    "max": max,
}


def _amount(rule: Any, data: dict[str, Any]) -> Decimal | None:
    """A fee rule's value, its arithmetic done in Decimal (JSON Logic itself
    multiplies binary floats); conditions and answers are read by JSON Logic.
    None where the rule gives nothing (an `if` without an else)."""
    if isinstance(rule, dict) and len(rule) == 1:
        name, argument = next(iter(rule.items()))
        arguments = argument if isinstance(argument, list) else [argument]
        if name in _ARITHMETIC:
            numbers = [_amount(item, data) for item in arguments]
            if any(number is None for number in numbers):
                raise TypeError("arithmetic on nothing")
            return _ARITHMETIC[name](numbers)  # type: ignore[arg-type]
        if name in ("if", "?:"):
            for index in range(0, len(arguments) - 1, 2):
                if evaluate(arguments[index], data):
                    return _amount(arguments[index + 1], data)
            return _amount(arguments[-1], data) if len(arguments) % 2 else None
        if name == "reduce":
            total = _amount(arguments[2], data) if len(arguments) > 2 else None
            for entry in evaluate(arguments[0], data) or []:
                total = _amount(arguments[1], {"current": entry, "accumulator": total})
            return total
    value = evaluate(rule, data)
    return None if value is None else decimal_of(value)


def amount_cents(rule: Any, answers: dict[str, Any]) -> int:
    """Whole cents of a fee rule over the answers: computed in Decimal and
    rounded half away from zero (`core.money.cents_round`): 1.5 m² × 115 cents
    are 173 cents, not 172. A rule that gives text or does arithmetic on
    nothing is the form's error (RuleFailed); a rule that gives nothing is 0."""
    try:
        amount = _amount(rule, answers)
        return 0 if amount is None else cents_round(amount)
    except (TypeError, ValueError, ArithmeticError) as error:
        logger.warning("fee rule failed: %s (%s)", json.dumps(rule)[:500], type(error).__name__)
        raise RuleFailed(RULE_FAILED) from None


def fees_for(definition: dict[str, Any], answers: dict[str, Any]) -> list[Fee]:
    """The fees of a definition for cleaned answers, in whole cents."""
    result = []
    for fee in definition.get("fees", []):
        amount = fee["amount_cents"]
        cents = amount if isinstance(amount, int) else amount_cents(amount, answers)
        result.append(Fee(fee["key"], fee["label"], cents, bool(fee.get("example"))))
    return result

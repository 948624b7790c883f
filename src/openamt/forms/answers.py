"""Answers to a form: conditions, validation with German messages, fees.

Answers arrive as the browser sends them (strings, lists for checkboxes and
repeatable groups) and leave cleaned: numbers as Decimal, money in cents,
dates as ISO strings, yes/no as booleans. Conditions and fees are JSON Logic
over the cleaned answers; inside a repeatable group a rule sees the fields of
its own entry first. Hidden fields are neither checked nor kept.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from json_logic import jsonLogic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from openamt.core.errors import InvalidInput
from openamt.core.recent import recent
from openamt.core.text import fold
from openamt.regions.models import Postcode

logger = logging.getLogger(__name__)
REQUIRED = "Bitte füllen Sie dieses Feld aus."
_PHONE = re.compile(r"\+?[0-9 ()/\-]{6,30}")
_RELATIVE = re.compile(r"([+-])(\d{1,4})d")
_SHA256 = re.compile(r"[0-9a-f]{64}")
YES, NO = "ja", "nein"


@dataclass
class Result:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)  # path ("hunde.1.name") -> message
    visible: set[str] = field(default_factory=set)  # paths of the fields shown
    steps: list[str] = field(default_factory=list)  # keys of the steps shown, in order


class PartMessage(str):
    """A message about one part of a place or an address (`part`: "street",
    "postcode" or "city"). The step page shows it next to that input and marks
    that input invalid; everywhere else it is simply the field's message."""

    part: str

    def __new__(cls, text: str, *, part: str) -> PartMessage:
        message = super().__new__(cls, text)
        message.part = part
        return message


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


def _relative_day(value: str, today: date) -> date:
    if value == "today":
        return today
    match = _RELATIVE.fullmatch(value)
    assert match is not None  # the form schema allows nothing else
    days = int(match.group(2))
    return today + timedelta(days=days if match.group(1) == "+" else -days)


def _german(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _number(raw: str) -> Decimal:
    text = raw.strip().replace(" ", "")
    if "," in text:  # German notation: 1.234,50
        text = text.replace(".", "").replace(",", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


def _place_names(postcode: str) -> frozenset[str] | None:
    """The folded names of the places and Gemeinden with this postcode."""
    rows = Postcode.objects.filter(code=postcode).values_list("place_folded", "region__name_folded")
    names = frozenset(place for place, _ in rows) | {region.split(",", 1)[0] for _, region in rows}
    return names or None


def _place(postcode: str, city: str) -> PartMessage | None:
    """None if postcode and place fit, else the message about the part that is wrong."""
    if not postcode:
        return PartMessage("Bitte geben Sie die Postleitzahl an.", part="postcode")
    if not (len(postcode) == 5 and postcode.isdigit()):
        return PartMessage("Die Postleitzahl hat fünf Ziffern.", part="postcode")
    names = recent(f"openamt:plz:{postcode}", lambda: _place_names(postcode))
    if names is None:
        return PartMessage("Diese Postleitzahl gibt es nicht.", part="postcode")
    if not city:
        return PartMessage("Bitte geben Sie den Ort an.", part="city")
    if fold(city) not in names:
        return PartMessage(f"Der Ort passt nicht zur Postleitzahl {postcode}.", part="city")
    return None


def clean_value(spec: dict[str, Any], raw: Any, *, today: date) -> tuple[Any, str | None]:
    """(cleaned value, German message or None) for one field; empty values are None."""
    kind = spec["type"]
    if kind == "info":
        return None, None
    if kind == "file":
        return _file(raw)
    if kind in ("place", "address"):
        parts = raw if isinstance(raw, dict) else {}
        values = {
            k: str(v).strip() for k, v in parts.items() if k in ("street", "postcode", "city")
        }
        if not any(values.values()):
            return None, None
        if kind == "address" and not values.get("street"):
            return values, PartMessage("Bitte geben Sie Straße und Hausnummer an.", part="street")
        return values, _place(values.get("postcode", ""), values.get("city", ""))
    if kind == "choice" and spec.get("widget") == "checkbox":
        chosen = [str(v) for v in (raw if isinstance(raw, list) else [raw] if raw else [])]
        allowed = {option["value"] for option in spec["options"]}
        if any(value not in allowed for value in chosen):
            return chosen, "Bitte wählen Sie nur angebotene Möglichkeiten."
        return chosen or None, None
    text = "" if raw is None else str(raw).strip()
    if not text:
        return None, None
    if kind in ("text", "long_text"):
        if "max_length" in spec and len(text) > spec["max_length"]:
            return text, f"Höchstens {spec['max_length']} Zeichen."
        if "min_length" in spec and len(text) < spec["min_length"]:
            return text, f"Mindestens {spec['min_length']} Zeichen."
        if "pattern" in spec and not re.fullmatch(spec["pattern"], text):
            return text, spec.get("pattern_message", "Die Eingabe hat nicht die erwartete Form.")
        return text, None
    if kind in ("number", "money"):
        try:
            number = _number(text)
        except (InvalidOperation, ValueError):
            return (
                text,
                "Bitte geben Sie einen Betrag in Euro ein, z. B. 12,50."
                if kind == "money"
                else "Bitte geben Sie eine Zahl ein.",
            )
        if "min" in spec and number < Decimal(str(spec["min"])):
            return text, f"Der Wert muss mindestens {spec['min']} sein."
        if "max" in spec and number > Decimal(str(spec["max"])):
            return text, f"Der Wert darf höchstens {spec['max']} sein."
        if kind == "money":
            if number != number.quantize(Decimal("0.01")):
                return text, "Höchstens zwei Stellen nach dem Komma."
            return int(number * 100), None
        # JSON-friendly, and usable in rules: whole numbers as int, others as float.
        return (int(number) if number == number.to_integral_value() else float(number)), None
    if kind == "date":
        try:
            day = (
                date.fromisoformat(text)
                if "-" in text
                else date(*reversed([int(p) for p in text.split(".")]))
            )
        except (ValueError, TypeError):
            return text, "Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."
        if "date_min" in spec and day < _relative_day(spec["date_min"], today):
            return (
                text,
                f"Das Datum darf nicht vor dem {_german(_relative_day(spec['date_min'], today))} liegen.",
            )
        if "date_max" in spec and day > _relative_day(spec["date_max"], today):
            return (
                text,
                f"Das Datum darf nicht nach dem {_german(_relative_day(spec['date_max'], today))} liegen.",
            )
        return day.isoformat(), None
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


def _field(
    spec: dict[str, Any],
    raw: Any,
    context: dict[str, Any],
    path: str,
    result: Result,
    today: date,
    target: dict[str, Any],
) -> None:
    if not holds(spec.get("show_if"), context):
        return
    result.visible.add(path)
    value, message = clean_value(spec, raw, today=today)
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
    for item in step["items"]:
        if "group" not in item:
            _field(item, raw.get(item["key"]), context, item["key"], result, today, result.answers)
            continue
        if not holds(item.get("show_if"), context):
            continue
        result.visible.add(item["key"])
        entries = raw.get(item["key"]) or []
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


def fees_for(definition: dict[str, Any], answers: dict[str, Any]) -> list[Fee]:
    result = []
    for fee in definition.get("fees", []):
        amount = fee["amount_cents"]
        cents = amount if isinstance(amount, int) else evaluate(amount, answers)
        try:
            cents = round(float(cents or 0))
        except (TypeError, ValueError):  # a rule that gives text, not cents
            raise RuleFailed(RULE_FAILED) from None
        result.append(Fee(fee["key"], fee["label"], cents, bool(fee.get("example"))))
    return result

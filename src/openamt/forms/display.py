"""Answers as people read them: on the summary page, in the receipt PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from openamt.core.money import decimal_of, euros_display
from openamt.forms.inputs import ISO_DATE


def number_display(value: int | float | Decimal) -> str:
    """A number as German readers write it: decimal comma, and from five digits
    on thousands separated by dots (1500,5; 12.500) so that a year stays 1985."""
    number = decimal_of(value)
    grouped = f"{number:,f}" if abs(number) >= 10000 else f"{number:f}"
    return grouped.replace(",", " ").replace(".", ",").replace(" ", ".")


def display(spec: dict[str, Any], value: Any) -> str:
    kind = spec["type"]
    if value is None or value == "" or value == []:
        return "–"
    if kind == "yes_no":
        return "Ja" if value else "Nein"
    if kind == "declaration":
        return "bestätigt"
    if kind == "money":
        return euros_display(value)
    if kind == "number" and isinstance(value, int | float):  # else: as typed, not accepted
        return number_display(value)
    if kind == "date" and ISO_DATE.fullmatch(str(value)):
        year, month, day = str(value).split("-")
        return f"{day}.{month}.{year}"
    if kind == "choice":
        labels = {option["value"]: option["label"] for option in spec["options"]}
        values = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in values)
    if kind in ("place", "address"):
        street = str(value.get("street") or "")
        town = f"{value.get('postcode') or ''} {value.get('city') or ''}".strip()
        return ", ".join(part for part in (street, town) if part)
    if kind == "file":
        return f"{value['name']} ({max(1, round(value['size'] / 1024))} kB)"
    return str(value)


def answer_rows(
    definition: dict[str, Any], answers: dict[str, Any]
) -> list[tuple[dict[str, Any], list[tuple[str, str]]]]:
    """(step, [(label, value)]) in the form's order; groups numbered per entry."""
    sections = []
    for step in definition["steps"]:
        rows: list[tuple[str, str]] = []
        for item in step["items"]:
            if "group" in item:
                for number, entry in enumerate(answers.get(item["key"], []), start=1):
                    for spec in item["group"]:
                        if spec["key"] in entry:
                            rows.append(
                                (
                                    f"{item['label']} {number}: {spec['label']}",
                                    display(spec, entry[spec["key"]]),
                                )
                            )
            elif item["type"] != "info" and item["key"] in answers:
                rows.append((item["label"], display(item, answers[item["key"]])))
        if rows:
            sections.append((step, rows))
    return sections

"""The Eingangsbestätigung: every answer, the reference, the date and the
authority, as a PDF (WeasyPrint) in the applicant's Postfach."""

from __future__ import annotations

from typing import Any

import weasyprint
from django.template.loader import render_to_string

from openamt.submissions.models import Submission


def _display(spec: dict[str, Any], value: Any) -> str:
    kind = spec["type"]
    if value is None or value == "" or value == []:
        return "–"
    if kind == "yes_no":
        return "Ja" if value else "Nein"
    if kind == "declaration":
        return "bestätigt"
    if kind == "money":
        return f"{value / 100:,.2f} €".replace(",", "X").replace(".", ",").replace("X", ".")
    if kind == "date":
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
        return "Datei übermittelt"
    return str(value)


def answer_rows(
    definition: dict[str, Any], answers: dict[str, Any]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(step title, [(label, value)]) in the form's order; groups numbered per entry."""
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
                                    _display(spec, entry[spec["key"]]),
                                )
                            )
            elif item["type"] != "info" and item["key"] in answers:
                rows.append((item["label"], _display(item, answers[item["key"]])))
        if rows:
            sections.append((step["title"], rows))
    return sections


def receipt_pdf(submission: Submission) -> bytes:
    html = render_to_string(
        "submissions/receipt.html",
        {
            "submission": submission,
            "title": submission.version.definition.get("title", submission.version.form.title),
            "sections": answer_rows(submission.version.definition, submission.answers),
            "fees": [
                {**fee, "display": _display({"type": "money"}, fee["cents"])}
                for fee in submission.fees
            ],
        },
    )
    return weasyprint.HTML(string=html).write_pdf()

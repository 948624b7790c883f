"""What an applicant needs before starting a form, read from its published
definition: the account and assurance level, the documents to upload, the fees."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openamt.forms.display import display

# What each assurance level (eIDAS: low, substantial, high) asks of the applicant here.
ACCOUNT_NEEDS = {
    "niedrig": ("Servicekonto mit E-Mail-Adresse und Passwort (Vertrauensniveau „niedrig“)"),
    "substanziell": (
        "Servicekonto mit Anmeldung über die Online-Ausweisfunktion des Personalausweises "
        "oder einen gleichwertigen Zugang (Vertrauensniveau „substanziell“)"
    ),
    "hoch": (
        "Servicekonto mit Anmeldung über die Online-Ausweisfunktion des Personalausweises "
        "(Vertrauensniveau „hoch“)"
    ),
}
WITHOUT_ACCOUNT = "Kein Servicekonto nötig: Sie können den Antrag auch ohne Anmeldung stellen."


@dataclass(frozen=True)
class Document:
    label: str
    hint: str
    always: bool  # False: only in some cases (a condition, or an optional field)


@dataclass(frozen=True)
class FeeOutline:
    label: str
    amounts: str  # "40,00 €", "30,70 € oder 61,40 €", or what it depends on
    example: bool
    basis: str


@dataclass(frozen=True)
class Requirements:
    account: str
    documents: list[Document]
    fees: list[FeeOutline]


def _file_fields(definition: dict[str, Any]) -> Iterator[tuple[dict[str, Any], bool]]:
    """(file field, whether every applicant must upload it)."""
    for step in definition.get("steps", []):
        step_always = "show_if" not in step
        for item in step.get("items", []):
            if "group" in item:
                group_always = step_always and "show_if" not in item and item.get("min", 0) > 0
                for spec in item["group"]:
                    if spec.get("type") == "file":
                        yield spec, group_always and _always(spec)
            elif item.get("type") == "file":
                yield item, step_always and _always(item)


def _always(spec: dict[str, Any]) -> bool:
    return bool(spec.get("required")) and "show_if" not in spec


def _outcomes(rule: Any) -> set[int] | None:
    """Every amount a fee rule can give, where it only chooses between fixed
    amounts (`if` chains); None where it computes from the answers."""
    if isinstance(rule, bool):
        return None
    if isinstance(rule, int):
        return {rule}
    if isinstance(rule, dict) and list(rule) == ["if"] and isinstance(rule["if"], list):
        args = rule["if"]
        branches = [args[i] for i in range(1, len(args), 2)]
        if len(args) % 2:
            branches.append(args[-1])
        found: set[int] = set()
        for branch in branches:
            amounts = _outcomes(branch)
            if amounts is None:
                return None
            found |= amounts
        return found
    return None


def _amounts(rule: Any) -> str:
    outcomes = _outcomes(rule)
    if outcomes is None:
        return "richtet sich nach Ihren Angaben im Antrag"
    money = [display({"type": "money"}, cents) for cents in sorted(outcomes)]
    if len(money) == 1:
        return money[0]
    return f"{', '.join(money[:-1])} oder {money[-1]}, je nach Ihren Angaben"


def form_requirements(definition: dict[str, Any]) -> Requirements:
    """What the service page tells before the start. Anonymous forms of level
    "niedrig" need no account (as the application gate lets them in); the
    documents are the form's file fields, marked where only some must upload them;
    a fee rule that chooses between fixed amounts lists them all."""
    level = definition.get("assurance_level", "niedrig")
    anonymous = definition.get("anonymous") and level == "niedrig"
    return Requirements(
        account=WITHOUT_ACCOUNT if anonymous else ACCOUNT_NEEDS[level],
        documents=[
            Document(label=spec["label"], hint=spec.get("help", ""), always=always)
            for spec, always in _file_fields(definition)
        ],
        fees=[
            FeeOutline(
                label=fee["label"],
                amounts=_amounts(fee["amount_cents"]),
                example=bool(fee.get("example")),
                basis=fee.get("basis", ""),
            )
            for fee in definition.get("fees") or []
        ],
    )

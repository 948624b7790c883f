"""Forms of the caseworker's decision pages: choosing a template for a new
draft, editing the draft, and the posting day of a post batch. They only
read the input; the rules of a decision live in `cases.decisions`."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone

from openamt.cases.models import Case, DecisionTemplate

# "25", "25,5", "25,50", "1.234,50" and "1234,50" euros; a dot only groups thousands.
EUROS = re.compile(r"^(?P<whole>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<cents>\d{1,2}))?$")
MAX_FEE_CENTS = 100_000_000  # one million euros: beyond any fee of a municipal service


def cents_of(text: str) -> int:
    """Euros as a German writes them ("25,50 €", "1.234,5") as integer cents
    (2550, 123450). ValidationError for anything else, a negative amount and
    more than two decimal places (no rounding of an amount the user typed)."""
    cleaned = text.replace("€", "").replace("\u00a0", "").replace(" ", "").strip()
    match = EUROS.match(cleaned)
    if match is None:
        raise forms.ValidationError(
            "Bitte geben Sie die Gebühr in Euro an, mit Komma vor den Cent, z. B. 25,50."
        )
    cents = int(match["whole"].replace(".", "")) * 100 + int((match["cents"] or "0").ljust(2, "0"))
    if cents > MAX_FEE_CENTS:
        raise forms.ValidationError("Die Gebühr ist zu hoch.")
    return cents


def euros_input(cents: int) -> str:
    """Cents as the fee field shows them: 2550 -> "25,50", 0 -> "0,00"."""
    return f"{cents // 100},{cents % 100:02d}"


class DraftForm(forms.Form):
    """A new draft from one of the authority's active templates for the
    case's service or for any service."""

    template = forms.ModelChoiceField(
        label="Vorlage",
        queryset=DecisionTemplate.objects.none(),
        empty_label="Bitte wählen",
        error_messages={
            "required": "Bitte wählen Sie eine Vorlage.",
            "invalid_choice": "Diese Vorlage gibt es nicht oder sie passt nicht zum Vorgang.",
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = DecisionTemplate.objects.filter(
            Q(service__isnull=True) | Q(service_id=case.service_id),
            authority_id=case.authority_id,
            active=True,
        ).order_by("title")


class DecisionForm(forms.Form):
    """The texts and the fee of a draft. Texts may name placeholders; the
    service checks them and reports an unknown one at its field."""

    subject = forms.CharField(
        label="Betreff",
        max_length=200,
        error_messages={"required": "Bitte geben Sie einen Betreff an."},
    )
    operative = forms.CharField(
        label="Entscheidung (Tenor)",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Bitte formulieren Sie die Entscheidung."},
    )
    reasons = forms.CharField(
        label="Begründung",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    fee = forms.CharField(
        label="Gebühr in Euro",
        max_length=20,
        required=False,
        help_text="z. B. 25,50; leer oder 0 für gebührenfrei",
    )
    fee_legal_basis = forms.CharField(
        label="Rechtsgrundlage der Gebühr", max_length=300, required=False
    )
    legal_remedy = forms.CharField(
        label="Rechtsbehelfsbelehrung",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Die Rechtsbehelfsbelehrung fehlt."},
    )

    def clean_fee(self) -> int:
        text = self.cleaned_data.get("fee", "")
        return cents_of(text) if text.strip() else 0

    def data_for_service(self) -> dict[str, Any]:
        """The cleaned input in the shape `decision_update` takes."""
        data = dict(self.cleaned_data)
        data["fee_cents"] = data.pop("fee")
        return data

    @staticmethod
    def initial_of(decision: Any) -> dict[str, Any]:
        return {
            "subject": decision.subject,
            "operative": decision.operative,
            "reasons": decision.reasons,
            "fee": euros_input(decision.fee_cents),
            "fee_legal_basis": decision.fee_legal_basis,
            "legal_remedy": decision.legal_remedy,
        }


class PostBatchForm(forms.Form):
    posted_on = forms.DateField(
        label="Tag der Aufgabe zur Post",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Ab diesem Tag wird die Bekanntgabe berechnet (§ 41 Abs. 2 VwVfG).",
        error_messages={
            "required": "Bitte geben Sie den Tag der Aufgabe zur Post an.",
            "invalid": "Bitte geben Sie den Tag als Datum an, z. B. 2026-12-31.",
        },
    )

    def clean_posted_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["posted_on"]
        if day < timezone.localdate():
            # A batch is handed over today or later; a past day would shorten
            # the objection period the citizen actually has.
            raise forms.ValidationError(
                "Der Tag der Aufgabe darf nicht in der Vergangenheit liegen."
            )
        return day

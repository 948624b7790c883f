"""The inbox's filter form (GET) and its bulk action form (POST)."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from openamt.cases.constants import CaseStatus
from openamt.cases.inbox import (
    ALL,
    DEFAULT_SORT,
    MAX_BULK,
    ME,
    NO_TEAM,
    NOBODY,
    OPEN,
    SORT_LABELS,
    InboxChoices,
    InboxQuery,
)

ASSIGN, ASSIGN_ME, TRANSITION = "zuweisen", "mir", "status"
# A bulk status change offers what caseworkers do by hand: not "neu" (a case
# is opened so) nor "ausgesondert" (the archive's receipt does that).
BULK_TARGETS = [
    (value, label)
    for value, label in CaseStatus.choices
    if value not in (CaseStatus.NEW, CaseStatus.DISPOSED)
]


INVALID_CHOICE = "Bitte wählen Sie einen Eintrag aus der Liste."


def select_options(form: forms.Form) -> dict[str, SafeString]:
    """The <option>s of each select of the form, the current value selected:
    built once here, since the lists (services, staff) make template loops slow."""
    options = {}
    for name, field in form.fields.items():
        if not isinstance(field, forms.ChoiceField):
            continue
        current = form[name].value()
        current = "" if current is None else str(current)
        options[name] = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (value, mark_safe(" selected") if str(value) == current else "", label)
                for value, label in cast(list[tuple[Any, str]], field.choices)
            ),
        )
    return options


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = cast(forms.ChoiceField, form.fields[name])
    field.error_messages["invalid_choice"] = INVALID_CHOICE
    return field


class InboxFilterForm(forms.Form):
    q = forms.CharField(
        label="Suche",
        required=False,
        max_length=100,
        help_text="Vorgangsnummer, Aktenzeichen, Name, Leistung oder ein Wort aus dem Antrag",
    )
    status = forms.ChoiceField(label="Status", required=False)
    leistung = forms.TypedChoiceField(
        label="Leistung", required=False, coerce=int, empty_value=None
    )
    bearbeitung = forms.ChoiceField(label="Bearbeitung", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    ueberfaellig = forms.BooleanField(label="nur überfällige", required=False)
    wiedervorlage = forms.BooleanField(label="Wiedervorlage heute oder früher", required=False)
    sortierung = forms.ChoiceField(
        label="Sortierung", required=False, choices=list(SORT_LABELS.items())
    )

    def __init__(self, data: Any, *, choices: InboxChoices) -> None:
        super().__init__(data, auto_id="filter-%s")
        _choice(self, "status").choices = [
            (OPEN, "alle offenen"),
            (ALL, "alle"),
            *CaseStatus.choices,
        ]
        _choice(self, "leistung").choices = [("", "alle Leistungen"), *choices.services]
        _choice(self, "sortierung")
        _choice(self, "bearbeitung").choices = [
            ("", "alle"),
            (ME, "mir zugewiesen"),
            (NOBODY, "niemandem zugewiesen"),
            *((str(pk), label) for pk, label in choices.staff),
        ]
        _choice(self, "team").choices = [
            ("", "alle Teams"),
            (NO_TEAM, "ohne Team"),
            *((str(pk), label) for pk, label in choices.teams),
        ]

    def query(self) -> InboxQuery:
        """The filters of the valid fields (an invalid one filters nothing;
        the page names it in its error summary)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return InboxQuery(
            status=data.get("status") or OPEN,
            service_id=data.get("leistung"),
            assignee=data.get("bearbeitung") or "",
            team=data.get("team") or "",
            overdue=bool(data.get("ueberfaellig")),
            resubmission_due=bool(data.get("wiedervorlage")),
            q=(data.get("q") or "").strip(),
            sort=data.get("sortierung") or DEFAULT_SORT,
        )


class InboxBulkForm(forms.Form):
    """Assign the selected cases (to me, a person, nobody; and a team) or change
    their status. The selection arrives as `vorgang` (one per checked box)."""

    aktion = forms.ChoiceField(
        choices=[(ASSIGN, "zuweisen"), (ASSIGN_ME, "mir zuweisen"), (TRANSITION, "Status")],
        error_messages={
            "required": "Bitte wählen Sie eine Aktion.",
            "invalid_choice": "Bitte wählen Sie eine Aktion.",
        },
    )
    an = forms.ChoiceField(label="Zuweisen an", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    status = forms.ChoiceField(
        label="Neuer Status", required=False, choices=[("", "bitte wählen"), *BULK_TARGETS]
    )

    def __init__(self, data: Any, *, choices: InboxChoices) -> None:
        super().__init__(data, auto_id="sammel-%s")
        _choice(self, "status")
        _choice(self, "an").choices = [
            ("", "bitte wählen"),
            (ME, "mir"),
            *((str(pk), label) for pk, label in choices.staff),
            (NOBODY, "niemandem"),
        ]
        _choice(self, "team").choices = [
            ("", "Team nicht ändern"),
            (NO_TEAM, "kein Team (alle der Behörde)"),
            *((str(pk), label) for pk, label in choices.teams),
        ]
        self.selected: list[uuid.UUID] = []
        self.selection_error = ""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = self.data.getlist("vorgang") if hasattr(self.data, "getlist") else []
        try:
            self.selected = list(dict.fromkeys(uuid.UUID(value) for value in raw))
        except ValueError:
            self.selected = []
            self.selection_error = "Die Auswahl ist ungültig. Bitte wählen Sie die Vorgänge neu."
        if not self.selection_error and not self.selected:
            self.selection_error = "Bitte wählen Sie mindestens einen Vorgang aus."
        elif len(self.selected) > MAX_BULK:
            self.selection_error = f"Bitte wählen Sie höchstens {MAX_BULK} Vorgänge auf einmal."
        if self.selection_error:
            # Shown in the error summary, linked to the list (not a form field).
            raise forms.ValidationError(self.selection_error, code="selection")
        action = data.get("aktion")
        if action == ASSIGN and not data.get("an"):
            self.add_error(
                "an",
                "Bitte wählen Sie, wem die Vorgänge zugewiesen werden "
                "(für ein Team: „niemandem“ und das Team).",
            )
        if action == TRANSITION and not data.get("status"):
            self.add_error("status", "Bitte wählen Sie den neuen Status.")
        return data

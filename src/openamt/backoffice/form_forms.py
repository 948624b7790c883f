"""The HTML forms of the form editor: a new form, the form's settings, a step,
a repeatable group, one field."""

from __future__ import annotations

import copy
import json
from typing import Any, cast

from django import forms
from django.utils import timezone

from openamt.catalogue.models import Service
from openamt.core.errors import DomainError
from openamt.forms import editor
from openamt.forms.answers import clean_value
from openamt.forms.code_lists import CODE_LISTS
from openamt.forms.constants import FIELD_TYPES
from openamt.forms.display import display
from openamt.organisations import permissions
from openamt.organisations.models import Authority
from openamt.submissions.registry import default_targets, delivery_targets

LAND = "land"
LEVELS = [("niedrig", "niedrig"), ("substanziell", "substanziell"), ("hoch", "hoch")]
PREFILL = [
    ("", "– keine –"),
    ("given_name", "Vorname"),
    ("family_name", "Familienname"),
    ("birth_date", "Geburtsdatum"),
    ("street", "Straße und Hausnummer"),
    ("postcode", "Postleitzahl"),
    ("city", "Ort"),
    ("phone", "Telefon"),
    ("email", "E-Mail-Adresse"),
]
ACCEPT = [("application/pdf", "PDF"), ("image/png", "PNG"), ("image/jpeg", "JPEG")]
WIDGETS = [
    ("", "– Standard –"),
    ("radio", "Optionsfelder"),
    ("select", "Auswahlliste"),
    ("checkbox", "Kontrollkästchen (mehrere)"),
]


def _key_field() -> forms.RegexField:
    return forms.RegexField(
        label="Kennung",
        regex=r"^[a-z][a-z0-9_]{0,39}$",
        error_messages={"invalid": "Kleinbuchstaben, Ziffern und _, am Anfang ein Buchstabe."},
    )


def _show_if_field() -> forms.CharField:
    return forms.CharField(
        label="Anzeigen, wenn (JSON Logic)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='z. B. {"===": [{"var": "gefaehrlich"}, true]}',
    )


class NewForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    key = forms.SlugField(
        label="Kennung", max_length=60, help_text="für Adressen, z. B. „hundesteuer-anmeldung“"
    )
    leika_key = forms.CharField(label="Leistungsschlüssel (LeiKa)", max_length=14)
    owner = forms.ChoiceField(label="Formular von")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        if permissions.is_land_admin(user):
            choices.append((LAND, "dem Land (für alle Kommunen)"))
        admin_of = permissions.authority_ids(user, roles={"admin"})
        choices += [
            (str(a.pk), a.name) for a in Authority.objects.filter(pk__in=admin_of).order_by("name")
        ]
        cast(forms.ChoiceField, self.fields["owner"]).choices = choices

    def clean_leika_key(self) -> Service:
        service = Service.objects.filter(leika_key=self.cleaned_data["leika_key"].strip()).first()
        if service is None:
            raise forms.ValidationError("Diesen Leistungsschlüssel gibt es im Katalog nicht.")
        return service

    def clean_owner(self) -> Authority | None:
        owner = self.cleaned_data["owner"]
        return None if owner == LAND else Authority.objects.get(pk=int(owner))


class SettingsForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=200)
    intro = forms.CharField(
        label="Einleitung", required=False, widget=forms.Textarea, max_length=5000
    )
    assurance_level = forms.ChoiceField(label="Vertrauensniveau", choices=LEVELS)
    anonymous = forms.BooleanField(label="auch ohne Servicekonto nutzbar", required=False)
    retention_days = forms.IntegerField(
        label="Aufbewahrung nach Zustellung (Tage)", min_value=1, max_value=3650
    )
    delivery = forms.MultipleChoiceField(
        label="Zustellwege", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, data: Any = None, *, definition: dict[str, Any]) -> None:
        super().__init__(
            data,
            initial={
                "title": definition.get("title", ""),
                "intro": definition.get("intro", ""),
                "assurance_level": definition.get("assurance_level", "niedrig"),
                "anonymous": definition.get("anonymous", False),
                "retention_days": definition.get("retention_days", 365),
                "delivery": definition.get("delivery") or default_targets(),
            },
        )
        cast(forms.ChoiceField, self.fields["delivery"]).choices = delivery_targets.choices()

    def applied(self, definition: dict[str, Any], fees: list[dict[str, Any]]) -> dict[str, Any]:
        changed = copy.deepcopy(definition)
        data = {**self.cleaned_data, "fees": fees}
        for name in ("title", "assurance_level", "retention_days"):
            changed[name] = data[name]
        for name in ("intro", "anonymous", "fees", "delivery"):
            if data[name]:
                changed[name] = data[name]
            else:
                changed.pop(name, None)
        return changed


class FeeForm(forms.Form):
    """One fee: a fixed amount in euros, or a JSON Logic rule that gives cents."""

    label = forms.CharField(label="Bezeichnung", max_length=200)
    key = _key_field()
    amount = forms.CharField(
        label="Betrag",
        max_length=5000,
        help_text="in Euro, z. B. 40,00; oder eine Regel in JSON Logic, die Cent ergibt",
    )
    basis = forms.CharField(label="Rechtsgrundlage", max_length=300, required=False)
    example = forms.BooleanField(
        label="Beispielwert (nicht aus einer amtlichen Gebührenordnung)", required=False
    )

    def clean_amount(self) -> int | dict[str, Any]:
        text = self.cleaned_data["amount"].strip()
        if text.startswith("{"):
            try:
                rule = json.loads(text)
            except ValueError:
                rule = None
            if not isinstance(rule, dict):
                raise forms.ValidationError("Die Regel ist kein gültiges JSON-Objekt.")
            return rule
        cents, message = clean_value({"type": "money", "min": 0}, text, today=timezone.localdate())
        if message:
            raise forms.ValidationError(message)
        return int(cents)

    def fee(self) -> dict[str, Any]:
        data = self.cleaned_data
        fee = {"key": data["key"], "label": data["label"], "amount_cents": data["amount"]}
        if data["basis"]:
            fee["basis"] = data["basis"]
        if data["example"]:
            fee["example"] = True
        return fee


class BaseFeeFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if forms.formsets.DELETION_FIELD_NAME in form.fields:
            form.fields[forms.formsets.DELETION_FIELD_NAME].label = "Diese Gebühr entfernen"

    def clean(self) -> None:
        keys = [form.cleaned_data["key"] for form in self._kept()]
        if len(keys) != len(set(keys)):
            raise forms.ValidationError("Jede Gebühr braucht eine eigene Kennung.")

    def fees(self) -> list[dict[str, Any]]:
        return [cast(FeeForm, form).fee() for form in self._kept()]

    def _kept(self) -> list[forms.Form]:
        """The filled-in rows not marked for removal."""
        return [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get(forms.formsets.DELETION_FIELD_NAME)
        ]


FeeFormSet = forms.formset_factory(
    FeeForm, formset=BaseFeeFormSet, extra=1, can_delete=True, max_num=20, validate_max=True
)


def fee_formset(data: Any, definition: dict[str, Any]) -> BaseFeeFormSet:
    """The form's fees as rows, and one empty row for a new fee."""
    initial = [
        {
            **fee,
            "amount": (
                display({"type": "money"}, fee["amount_cents"]).removesuffix(" €")
                if isinstance(fee.get("amount_cents"), int)
                else json.dumps(fee.get("amount_cents"), ensure_ascii=False)
            ),
        }
        for fee in definition.get("fees") or []
    ]
    return cast(BaseFeeFormSet, FeeFormSet(data, initial=initial, prefix="gebuehr"))


class PartForm(forms.Form):
    """A step's or a group's settings; its condition shown as JSON."""

    def __init__(self, data: Any = None, *, part: dict[str, Any]) -> None:
        self.part = part
        initial = {**part}
        if "show_if" in part:
            initial["show_if"] = json.dumps(part["show_if"], ensure_ascii=False)
        super().__init__(data, initial=initial)

    def rebound(self, data: Any) -> PartForm:
        """The same page's form with other submitted values (the condition builder's)."""
        return type(self)(data, part=self.part)


class StepForm(PartForm):
    title = forms.CharField(label="Titel", max_length=120)
    key = _key_field()
    show_if = _show_if_field()


class GroupForm(PartForm):
    label = forms.CharField(label="Bezeichnung", max_length=120)
    key = _key_field()
    add_label = forms.CharField(
        label="Text der Schaltfläche zum Hinzufügen",
        max_length=60,
        required=False,
        help_text="z. B. „weiteren Hund angeben“",
    )
    min = forms.IntegerField(label="Mindestzahl der Einträge", min_value=0, max_value=50)
    max = forms.IntegerField(label="Höchstzahl der Einträge", min_value=1, max_value=50)
    show_if = _show_if_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("min") is not None
            and data.get("max") is not None
            and data["min"] > data["max"]
        ):
            self.add_error("max", "Die Höchstzahl darf nicht kleiner als die Mindestzahl sein.")
        return data


class FieldForm(forms.Form):
    label = forms.CharField(label="Bezeichnung", max_length=300)
    key = _key_field()
    type = forms.ChoiceField(label="Feldtyp", choices=list(FIELD_TYPES.items()))
    required = forms.BooleanField(label="Pflichtfeld", required=False)
    help = forms.CharField(label="Hilfetext", max_length=500, required=False)
    text = forms.CharField(
        label="Text (Hinweis oder Erklärung)",
        max_length=5000,
        required=False,
        widget=forms.Textarea,
    )
    options = forms.CharField(
        label="Optionen",
        required=False,
        widget=forms.Textarea,
        help_text="eine pro Zeile: „wert = Bezeichnung“",
    )
    code_list = forms.ChoiceField(
        label="Optionen aus einer Codeliste",
        required=False,
        help_text="statt eigener Optionen; beim Speichern eingetragen (am besten als Auswahlliste)",
    )
    widget = forms.ChoiceField(label="Darstellung der Auswahl", choices=WIDGETS, required=False)
    min = forms.DecimalField(label="kleinster Wert", required=False)
    max = forms.DecimalField(label="größter Wert", required=False)
    min_length = forms.IntegerField(label="mindestens Zeichen", min_value=0, required=False)
    max_length = forms.IntegerField(label="höchstens Zeichen", min_value=1, required=False)
    pattern = forms.CharField(label="Muster (regulärer Ausdruck)", max_length=200, required=False)
    pattern_message = forms.CharField(
        label="Meldung bei falschem Muster", max_length=200, required=False
    )
    date_min = forms.RegexField(
        label="frühestes Datum",
        regex=r"^(today|[+-]\d{1,4}d)$",
        required=False,
        help_text="relativ zu heute: today, +30d, -6570d",
    )
    date_max = forms.RegexField(
        label="spätestes Datum", regex=r"^(today|[+-]\d{1,4}d)$", required=False
    )
    accept = forms.MultipleChoiceField(
        label="erlaubte Dateitypen",
        choices=ACCEPT,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_size_mb = forms.DecimalField(
        label="höchstens MB", min_value=0, max_value=20, required=False
    )
    prefill = forms.ChoiceField(
        label="Vorbelegen aus dem Servicekonto", choices=PREFILL, required=False
    )
    show_if = _show_if_field()
    required_if = forms.CharField(
        label="Pflicht, wenn (JSON Logic)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    relations = forms.CharField(
        label="Vergleich mit früheren Feldern (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            'z. B. [{"op": ">=", "field": "datum_von"}]: nicht vor „datum_von“; '
            "op: <, <=, >, >=; optional „when“ (JSON Logic) und „message“"
        ),
    )

    def __init__(self, data: Any = None, *, field: dict[str, Any]) -> None:
        self.spec = field
        initial = {**field}
        if "options" in field and "code_list" not in field:  # a list's options are its own
            initial["options"] = editor.options_text(field["options"])
        else:
            initial.pop("options", None)
        for name in editor.RULE_SETTINGS:
            if name in field:
                initial[name] = json.dumps(field[name], ensure_ascii=False)
        super().__init__(data, initial=initial)
        cast(forms.ChoiceField, self.fields["code_list"]).choices = [
            ("", "– keine –"),
            *((name, f"{c.title} ({c.source})") for name, c in CODE_LISTS.items()),
        ]

    def rebound(self, data: Any) -> FieldForm:
        """The same page's form with other submitted values (the condition builder's)."""
        return FieldForm(data, field=self.spec)


class ConditionForm(forms.Form):
    """The condition builder: field, comparison and value give the JSON Logic of
    a rule (no JavaScript needed); the rule text fields stay for anything else."""

    regel = forms.ChoiceField(label="Regel", choices=[("show_if", "Anzeigen, wenn")])
    feld = forms.ChoiceField(label="Feld")
    vergleich = forms.ChoiceField(
        label="Vergleich",
        choices=[(key, wording) for key, (wording, _op) in editor.COMPARISONS.items()],
    )
    wert = forms.CharField(
        label="Wert",
        required=False,
        max_length=200,
        help_text="bei Ja/Nein-Feldern „ja“ oder „nein“, bei Auswahlfeldern die Bezeichnung "
        "einer Möglichkeit, bei Beträgen z. B. 1.500,00, bei Daten TT.MM.JJJJ",
    )

    def __init__(
        self, data: Any = None, *, definition: dict[str, Any], rules: list[tuple[str, str]]
    ) -> None:
        super().__init__(data, prefix="bedingung")
        self.definition = definition
        cast(forms.ChoiceField, self.fields["regel"]).choices = rules
        cast(forms.ChoiceField, self.fields["feld"]).choices = [
            (spec["key"], f"{spec['label']} ({spec['key']})")
            for spec in editor.condition_fields(definition)
        ]

    def rule(self) -> tuple[str, dict[str, Any]] | None:
        """(rule setting, JSON Logic), or None with the problem next to its part."""
        if not self.is_valid():
            return None
        data = self.cleaned_data
        try:
            logic = editor.condition_rule(
                self.definition, key=data["feld"], comparison=data["vergleich"], value=data["wert"]
            )
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
            return None
        return data["regel"], logic

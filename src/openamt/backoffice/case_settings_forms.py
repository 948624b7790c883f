"""Forms of the case-work settings of an authority (teams, Aktenplan,
Bescheidvorlagen, Bearbeitungsfristen). They check only the shape of the
input; the rules are in `openamt.cases.settings`, whose errors name these
fields."""

from decimal import Decimal
from typing import Any

from django import forms

from openamt.accounts.models import User
from openamt.cases.decisions import PLACEHOLDERS
from openamt.cases.models import FilingPlanEntry
from openamt.cases.settings import MAX_RETENTION_YEARS, team_member_candidates
from openamt.catalogue.models import Service
from openamt.organisations.models import Authority

REQUIRED = "Bitte geben Sie „{label}“ an."


class _SettingsForm(forms.Form):
    def __init__(self, *args: Any, authority: Authority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.authority = authority
        for field in self.fields.values():
            field.error_messages["required"] = REQUIRED.format(label=field.label)
            field.error_messages.setdefault("invalid", "Bitte prüfen Sie diese Angabe.")


class ServiceKeysField(forms.CharField):
    """Services by their Leistungsschlüssel (LeiKa), one or more separated by
    lines, commas or spaces: the catalogue has thousands of services, too many
    for a list to choose from. Cleans to a list of Service (one query)."""

    def __init__(self, *, many: bool, **kwargs: Any) -> None:
        self.many = many
        super().__init__(**kwargs)
        self.error_messages["required"] = REQUIRED.format(label=self.label)

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        keys = list(dict.fromkeys(text.replace(",", " ").split()))
        if not self.many and len(keys) > 1:
            raise forms.ValidationError("Bitte nur einen Leistungsschlüssel angeben.")
        found = {s.leika_key: s for s in Service.objects.filter(leika_key__in=keys)}
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise forms.ValidationError(f"Den Leistungsschlüssel „{unknown[0]}“ gibt es nicht.")
        services = [found[key] for key in keys]
        if self.many:
            return services
        return services[0] if services else None


def _service_field(*, required: bool, many: bool = False) -> forms.Field:
    if many:
        return ServiceKeysField(
            many=True,
            required=required,
            label="Leistungen (Leistungsschlüssel)",
            help_text="Leistungsschlüssel aus dem LeiKa, einer je Zeile. Jede Leistung "
            "gehört zu höchstens einem Eintrag des Aktenplans.",
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    return ServiceKeysField(
        many=False,
        required=required,
        label="Leistung (Leistungsschlüssel)",
        help_text="Leistungsschlüssel aus dem LeiKa, zum Beispiel 99108001000000"
        + ("" if required else "; leer: für alle Leistungen"),
        max_length=14,
    )


class _UsernameChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_username())


class TeamForm(_SettingsForm):
    name = forms.CharField(label="Name", max_length=100)
    members = _UsernameChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Mitglieder",
        help_text="Nur Beschäftigte mit Sachbearbeitung oder Administration in dieser Behörde.",
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, authority: Authority, **kwargs: Any) -> None:
        super().__init__(*args, authority=authority, **kwargs)
        members = self.fields["members"]
        assert isinstance(members, forms.ModelMultipleChoiceField)
        members.queryset = team_member_candidates(authority=authority)
        members.error_messages["invalid_choice"] = (
            "Mitglied eines Teams kann nur sein, wer in dieser Behörde "
            "Sachbearbeitung oder Administration ist."
        )


class FilingPlanEntryForm(_SettingsForm):
    code = forms.CharField(label="Aktenplankennzeichen", max_length=40)
    title = forms.CharField(label="Betreff", max_length=200)
    retention_years = forms.IntegerField(
        label="Aufbewahrungsfrist (Jahre)",
        min_value=0,
        max_value=MAX_RETENTION_YEARS,
        initial=10,
        help_text="nach Abschluss des Vorgangs, 0 bis 100 Jahre",
    )
    appraisal = forms.ChoiceField(
        label="Bewertungsvorschlag",
        choices=FilingPlanEntry.Appraisal.choices,
        initial=FilingPlanEntry.Appraisal.REVIEW,
    )

    def __init__(self, *args: Any, authority: Authority, **kwargs: Any) -> None:
        super().__init__(*args, authority=authority, **kwargs)
        self.fields["services"] = _service_field(required=False, many=True)
        for name in ("retention_years",):
            self.fields[name].error_messages.update(
                min_value="Die Aufbewahrungsfrist liegt zwischen 0 und 100 Jahren.",
                max_value="Die Aufbewahrungsfrist liegt zwischen 0 und 100 Jahren.",
                invalid="Bitte geben Sie eine ganze Zahl von Jahren an.",
            )
        self.fields["appraisal"].error_messages["invalid_choice"] = (
            "Bitte wählen Sie einen Bewertungsvorschlag."
        )


PLACEHOLDER_HELP = "Platzhalter: " + ", ".join(
    f"{{{{ {name} }}}} ({label})" for name, label in PLACEHOLDERS.items()
)


class DecisionTemplateForm(_SettingsForm):
    title = forms.CharField(label="Bezeichnung", max_length=200)
    subject = forms.CharField(label="Betreff", max_length=200, help_text=PLACEHOLDER_HELP)
    operative = forms.CharField(
        label="Entscheidung (Tenor)", widget=forms.Textarea, help_text=PLACEHOLDER_HELP
    )
    reasons = forms.CharField(label="Begründung", widget=forms.Textarea, required=False)
    fee_euros = forms.DecimalField(
        label="Gebühr (Euro)",
        required=False,
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        localize=True,
        help_text="zum Beispiel 30,00; leer oder 0: gebührenfrei",
    )
    fee_legal_basis = forms.CharField(
        label="Rechtsgrundlage der Gebühr", max_length=300, required=False
    )
    legal_remedy = forms.CharField(label="Rechtsbehelfsbelehrung", widget=forms.Textarea)
    cosign_required = forms.BooleanField(label="Mitzeichnung nötig", required=False)
    active = forms.BooleanField(label="aktiv", required=False, initial=True)

    def __init__(self, *args: Any, authority: Authority, **kwargs: Any) -> None:
        super().__init__(*args, authority=authority, **kwargs)
        self.fields = {"service": _service_field(required=False), **self.fields}
        self.fields["fee_euros"].error_messages.update(
            invalid="Bitte geben Sie die Gebühr als Betrag in Euro an, zum Beispiel 30,00.",
            min_value="Die Gebühr kann nicht negativ sein.",
            max_decimal_places="Bitte höchstens zwei Nachkommastellen (Cent).",
            max_digits="Diese Gebühr ist zu hoch.",
            max_whole_digits="Diese Gebühr ist zu hoch.",
        )

    def service_values(self) -> dict[str, Any]:
        """The cleaned data as `decision_template_save` takes it (fee in cents)."""
        data = dict(self.cleaned_data)
        euros = data.pop("fee_euros") or Decimal("0")
        data["fee_cents"] = int(euros * 100)
        return data


class ServiceDeadlineForm(_SettingsForm):
    processing_working_days = forms.IntegerField(
        label="Bearbeitungsfrist (Arbeitstage)", min_value=1, max_value=999
    )
    warning_working_days = forms.IntegerField(
        label="Warnung (Arbeitstage vor Fristende)", min_value=0, max_value=998, initial=5
    )
    approval_fiction = forms.BooleanField(label="Genehmigungsfiktion (§ 42a VwVfG)", required=False)
    fiction_months = forms.IntegerField(
        label="Fiktionsfrist (Monate)", min_value=1, max_value=12, initial=3
    )
    fiction_legal_basis = forms.CharField(
        label="Rechtsgrundlage der Genehmigungsfiktion",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="die Vorschrift, die die Fiktion anordnet, i. V. m. § 42a VwVfG",
    )
    legal_basis = forms.CharField(
        label="Rechtsgrundlage der Frist", widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from = forms.DateField(label="gültig ab", help_text="TT.MM.JJJJ")
    valid_to = forms.DateField(
        label="gültig bis (einschließlich)",
        required=False,
        help_text="TT.MM.JJJJ; leer: unbefristet",
    )

    def __init__(self, *args: Any, authority: Authority, **kwargs: Any) -> None:
        super().__init__(*args, authority=authority, **kwargs)
        self.fields = {"service": _service_field(required=True), **self.fields}
        for name in ("processing_working_days", "warning_working_days", "fiction_months"):
            field = self.fields[name]
            field.error_messages.update(
                invalid="Bitte geben Sie eine ganze Zahl an.",
                min_value="Diese Zahl ist zu klein.",
                max_value="Diese Zahl ist zu groß.",
            )
        for name in ("valid_from", "valid_to"):
            self.fields[name].error_messages["invalid"] = (
                "Bitte geben Sie ein Datum als TT.MM.JJJJ an."
            )

from django import forms

from openamt.organisations.constants import WEEKDAYS


class AuthorityContactForm(forms.Form):
    street = forms.CharField(label="Straße und Hausnummer", max_length=200, required=False)
    postcode = forms.CharField(label="PLZ", max_length=5, required=False)
    city = forms.CharField(label="Ort", max_length=100, required=False)
    phone = forms.CharField(label="Telefon", max_length=40, required=False)
    email = forms.EmailField(
        label="E-Mail",
        required=False,
        error_messages={"invalid": "Bitte geben Sie eine gültige E-Mail-Adresse ein."},
    )
    website = forms.URLField(
        label="Internetseite",
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Bitte geben Sie eine gültige Internetadresse ein."},
    )
    leitweg_id = forms.CharField(
        label="Leitweg-ID", max_length=46, required=False, help_text="z. B. 16051000-12345-67"
    )
    iban = forms.CharField(label="IBAN", max_length=42, required=False)
    bic = forms.CharField(label="BIC", max_length=11, required=False)
    account_holder = forms.CharField(label="Kontoinhaber", max_length=200, required=False)


class OpeningPeriodForm(forms.Form):
    day = forms.TypedChoiceField(
        label="Wochentag",
        choices=[("", "– bitte wählen –"), *enumerate(WEEKDAYS)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    opens = forms.TimeField(
        label="von",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "Bitte Uhrzeit als HH:MM angeben."},
    )
    closes = forms.TimeField(
        label="bis",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "Bitte Uhrzeit als HH:MM angeben."},
    )
    note = forms.CharField(label="Hinweis", max_length=120, required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if (data.get("opens") is None) != (data.get("closes") is None):
            raise forms.ValidationError(
                "Bitte Beginn und Ende angeben oder beide Felder leer lassen."
            )
        if data.get("opens") is not None and data.get("day") is None:
            self.add_error("day", "Bitte einen Wochentag wählen.")
        if data.get("opens") and data.get("closes") and data["closes"] <= data["opens"]:
            self.add_error("closes", "Das Ende muss nach dem Beginn liegen.")
        return data


def formset_error_links(formset: forms.BaseFormSet, label: str) -> list[tuple[str, str]]:
    """(anchor, message) for every error in a formset, for the error summary."""
    links: list[tuple[str, str]] = [("", str(error)) for error in formset.non_form_errors()]
    for number, form in enumerate(formset, start=1):
        first_field = next(iter(form))
        links += [
            (first_field.id_for_label, f"{label} {number}: {e}") for e in form.non_field_errors()
        ]
        for field in form:
            links += [
                (field.id_for_label, f"{label} {number}, {field.label}: {e}") for e in field.errors
            ]
    return links


OpeningHoursFormSet = forms.formset_factory(
    OpeningPeriodForm, extra=2, max_num=21, validate_max=True
)

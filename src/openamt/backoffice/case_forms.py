"""Forms of the case page and of the case opened by hand. They check what a
browser can get wrong (a missing choice, a date that is none); the rules of
case work are the services' (`cases.services`), whose errors the views put
next to the field."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.constants import TRANSITIONS, CaseStatus, Channel, DocumentKind, Priority
from openamt.cases.inbox import NO_TEAM
from openamt.cases.models import Case, CaseDocument, Team
from openamt.cases.services import Keep
from openamt.catalogue.models import Service

CHOOSE = "Bitte wählen Sie aus der Liste."
DATE_INVALID = "Bitte geben Sie ein Datum als TT.MM.JJJJ an."
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
# Kinds a caseworker files by hand; applications, receipts and decisions come
# from their own processes.
UPLOAD_KINDS = [
    DocumentKind.SCAN,
    DocumentKind.ATTACHMENT,
    DocumentKind.REPLY,
    DocumentKind.PAYMENT,
    DocumentKind.OTHER,
]
MANUAL_CHANNELS = [c for c in Channel if c != Channel.ONLINE]


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def user_label(user: User) -> str:
    return user.get_full_name() or user.username


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by the service that stores it."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class OfferedChoiceField(forms.TypedChoiceField):
    """A select whose value is judged by the service, not by the list it
    offers: a forged value reaches the rule that refuses it in German (an
    illegal transition, a service not in the catalogue)."""

    def validate(self, value: Any) -> None:
        forms.Field.validate(self, value)


class AssignForm(forms.Form):
    """Give the case to a person and, where the authority has teams, a team."""

    assignee = forms.TypedChoiceField(
        label="Bearbeitung", coerce=int, empty_value=None, required=False
    )
    team = forms.ChoiceField(label="Team", required=False)

    def __init__(self, *args: Any, users: list[User], teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {user.pk: user for user in users}
        self.teams = {str(team.pk): team for team in teams}
        _choice(self, "assignee").choices = [("", "niemand")] + [
            (user.pk, user_label(user)) for user in users
        ]
        _choice(self, "team").choices = [
            ("", "unverändert"),
            (NO_TEAM, "kein Team (alle der Behörde)"),
            *((str(t.pk), t.name) for t in teams),
        ]
        self.fields["assignee"].error_messages["invalid_choice"] = CHOOSE
        self.fields["team"].error_messages["invalid_choice"] = CHOOSE
        if not teams:
            del self.fields["team"]

    def clean_team(self) -> Team | Keep | None:
        """The team for `cases_assign`: a team, None for none, or Keep.TEAM."""
        value = self.cleaned_data.get("team") or ""
        if value == NO_TEAM:
            return None
        return self.teams[value] if value else Keep.TEAM


class TransitionForm(forms.Form):
    """Only the statuses the transition table allows from the current one."""

    to = OfferedChoiceField(label="Neuer Status")
    reason = forms.CharField(label="Begründung", max_length=500, required=False)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS.get(case.status, frozenset())
        # A forged status outside this list reaches the service anyway, whose
        # refusal (InvalidTransition) is the one the page shows.
        _choice(self, "to").choices = [("", "– bitte wählen –")] + [
            (status.value, status.label) for status in CaseStatus if status in allowed
        ]
        self.fields["to"].error_messages["required"] = "Bitte wählen Sie den neuen Status."


class CaseUpdateForm(forms.Form):
    priority = forms.TypedChoiceField(
        label="Priorität",
        choices=Priority.choices,
        coerce=int,
        error_messages={"invalid_choice": CHOOSE},
    )
    tags = forms.CharField(
        label="Schlagworte",
        required=False,
        max_length=500,
        help_text="durch Kommas getrennt, höchstens 10",
    )
    resubmission_on = forms.DateField(
        label="Wiedervorlage",
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages={"invalid": DATE_INVALID},
    )

    def tag_list(self) -> list[str]:
        return self.cleaned_data["tags"].split(",")


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Vermerk",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
        error_messages={
            "required": "Bitte schreiben Sie den Vermerk.",
            "max_length": "Ein Vermerk hat höchstens 10.000 Zeichen.",
        },
    )


class DocumentForm(forms.Form):
    """A document for the file: new, or the next version of one already there."""

    kind = forms.ChoiceField(
        label="Art",
        choices=[(kind.value, kind.label) for kind in UPLOAD_KINDS],
        error_messages={"invalid_choice": CHOOSE},
    )
    title = forms.CharField(
        label="Titel", max_length=200, required=False, help_text="leer: der Dateiname"
    )
    replaces = forms.TypedChoiceField(
        label="Neue Version von", coerce=int, empty_value=None, required=False
    )
    datei = forms.FileField(
        label="Datei (PDF, PNG oder JPG)",
        error_messages={
            "required": "Bitte wählen Sie eine Datei.",
            "empty": "Die Datei ist leer.",
        },
    )

    def __init__(self, *args: Any, current: list[CaseDocument], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = {document.pk: document for document in current}
        _choice(self, "replaces").choices = [("", "– neues Dokument –")] + [
            (d.pk, f"{d.title} (Version {d.version})") for d in current
        ]
        self.fields["replaces"].error_messages["invalid_choice"] = (
            "Von diesem Dokument gibt es schon eine neuere Fassung."
        )


class ManualCaseForm(forms.Form):
    """An application on paper, by phone, at the counter or by e-mail."""

    service = OfferedChoiceField(
        label="Leistung",
        coerce=int,
        error_messages={"required": "Bitte wählen Sie die Leistung.", "invalid_choice": CHOOSE},
        help_text="Nicht dabei? Suchen Sie die Leistung mit dem Suchfeld darüber.",
    )
    channel = forms.ChoiceField(
        label="Eingangskanal",
        choices=[("", "– bitte wählen –")] + [(c.value, c.label) for c in MANUAL_CHANNELS],
        error_messages={
            "required": "Bitte wählen Sie, wie der Antrag eingegangen ist.",
            "invalid_choice": "Bitte wählen Sie, wie der Antrag eingegangen ist.",
        },
    )
    name = forms.CharField(
        label="Name des Antragstellers",
        max_length=200,
        error_messages={"required": "Bitte geben Sie den Namen des Antragstellers an."},
    )
    street = forms.CharField(label="Straße und Hausnummer", max_length=200, required=False)
    postcode = forms.RegexField(
        label="PLZ",
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": "Bitte geben Sie eine fünfstellige Postleitzahl an."},
    )
    city = forms.CharField(label="Ort", max_length=100, required=False)
    received_on = forms.DateField(
        label="Eingegangen am",
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        error_messages={
            "required": "Bitte geben Sie an, wann der Antrag eingegangen ist.",
            "invalid": DATE_INVALID,
        },
    )
    scans = MultipleFileField(
        label="Eingescannte Unterlagen (PDF, PNG oder JPG)",
        required=False,
        error_messages={"empty": "Eine der Dateien ist leer."},
    )

    def __init__(self, *args: Any, services: list[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "service").choices = [("", "– bitte wählen –")] + [
            (service.pk, service.name) for service in services
        ]

    def clean_service(self) -> Service:
        service = Service.objects.filter(pk=self.cleaned_data["service"]).first()
        if service is None:
            raise forms.ValidationError("Bitte wählen Sie die Leistung.")
        return service

    def clean_received_on(self) -> datetime.date:
        received: datetime.date = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("Das Eingangsdatum darf nicht in der Zukunft liegen.")
        return received

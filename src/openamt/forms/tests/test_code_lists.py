"""Choice fields with options from a code list: filled in when a draft is saved,
kept by the published version, checked and shown like any other options."""

import copy
from datetime import date

import pytest

from openamt.catalogue.models import Service
from openamt.forms.answers import clean_value
from openamt.forms.code_lists import code_list_options, code_lists_filled
from openamt.forms.definition import definition_problems
from openamt.forms.display import display
from openamt.forms.models import FormDefinition
from openamt.forms.services import draft_save, form_create, version_publish
from openamt.forms.tests.test_definition import DOG

TODAY = date(2026, 11, 28)


@pytest.fixture
def form(register) -> FormDefinition:
    service = Service.objects.get(leika_key="99102013000000")
    return form_create(actor=None, key="hundesteuer", service=service, title="Hundesteuer")


def _with_list(name: str) -> dict:
    definition = copy.deepcopy(DOG)
    definition["steps"][0]["items"].append(
        {"key": "staat", "type": "choice", "label": "Staat", "widget": "select", "code_list": name}
    )
    return definition


def test_the_states_are_iso_3166_with_german_names_in_german_order():
    options = code_list_options("staat")
    assert len(options) == 250
    labels = dict(options)
    assert (labels["DE"], labels["PL"], labels["GB"], labels["AT"], labels["XK"]) == (
        "Deutschland",
        "Polen",
        "Vereinigtes Königreich",
        "Österreich",
        "Kosovo",
    )
    order = [label for _, label in options]
    assert order.index("Oman") < order.index("Österreich") < order.index("Pakistan")
    assert dict(code_list_options("sprache"))["uk"] == "Ukrainisch"


def test_saving_a_draft_writes_the_lists_options_and_publishing_keeps_them(form, land_admin):
    version = version_publish(
        actor=land_admin,
        version=draft_save(actor=land_admin, form=form, definition=_with_list("staat")),
    )
    field = version.definition["steps"][0]["items"][2]
    assert field["code_list"] == "staat"
    assert field["options"][:2] == [
        {"value": "AF", "label": "Afghanistan"},
        {"value": "EG", "label": "Ägypten"},
    ]
    assert len(field["options"]) == 250
    assert code_lists_filled(version.definition) == version.definition


def test_a_list_value_is_checked_and_shown_by_its_german_name():
    spec = code_lists_filled(_with_list("staat"))["steps"][0]["items"][2]
    assert clean_value(spec, "PL", today=TODAY) == ("PL", None)
    assert clean_value(spec, "XX", today=TODAY) == (
        "XX",
        "Bitte wählen Sie eine der Möglichkeiten.",
    )
    assert display(spec, "PL") == "Polen"


def test_an_unknown_list_or_a_list_on_another_type_is_named_with_its_place():
    assert definition_problems(_with_list("nationalitaet")) == [
        "Schritt 1 „Halterin oder Halter“, Feld 3 „staat“: die Codeliste „nationalitaet“ "
        "gibt es nicht (vorhanden: staat, sprache)."
    ]
    definition = _with_list("staat")
    definition["steps"][0]["items"][2]["type"] = "text"
    del definition["steps"][0]["items"][2]["widget"]
    assert definition_problems(definition) == [
        "Schritt 1 „Halterin oder Halter“, Feld 3 „staat“: „code_list“ passt nicht zum "
        "Feldtyp „text“."
    ]

import copy
import json

import pytest

from openamt.catalogue.models import Service
from openamt.core.errors import InvalidInput, InvalidTransition
from openamt.forms.constants import VersionStatus
from openamt.forms.definition import definition_problems
from openamt.forms.models import FormDefinition, FormVersion
from openamt.forms.services import draft_save, form_create, forms_load, published, version_publish

DOG = {
    "title": "Hundesteuer Anmeldung",
    "retention_days": 730,
    "fees": [{"key": "gebuehr", "label": "Verwaltungsgebühr", "amount_cents": 0, "example": True}],
    "steps": [
        {
            "key": "halter",
            "title": "Halterin oder Halter",
            "items": [
                {
                    "key": "vorname",
                    "type": "text",
                    "label": "Vorname",
                    "required": True,
                    "prefill": "given_name",
                },
                {"key": "nachname", "type": "text", "label": "Familienname", "required": True},
            ],
        },
        {
            "key": "tiere",
            "title": "Hunde",
            "items": [
                {
                    "key": "hunde",
                    "label": "Hund",
                    "add_label": "weiterer Hund",
                    "min": 1,
                    "max": 10,
                    "group": [
                        {
                            "key": "name",
                            "type": "text",
                            "label": "Name des Hundes",
                            "required": True,
                        },
                        {
                            "key": "gefaehrlich",
                            "type": "yes_no",
                            "label": "Gefährlicher Hund?",
                            "required": True,
                        },
                        {
                            "key": "nachweis",
                            "type": "file",
                            "label": "Erlaubnis",
                            "show_if": {"==": [{"var": "gefaehrlich"}, True]},
                            "required_if": {"==": [{"var": "gefaehrlich"}, True]},
                            "accept": ["application/pdf"],
                        },
                    ],
                }
            ],
        },
    ],
}


def _broken(change) -> dict:
    definition = copy.deepcopy(DOG)
    change(definition)
    return definition


def test_a_sound_definition_has_no_problems():
    assert definition_problems(DOG) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.pop("title"), "Formular: es fehlt „title“"),
        (
            lambda d: d["steps"][0]["items"][1].update(type="farbe"),
            "Schritt 1 „Halterin oder Halter“, Feld 2 „nachname“, Angabe „type“: erlaubt sind „text“, „long_text“, „number“, „money“, „date“, „choice“, „yes_no“, „email“, „phone“, „iban“, „place“, „address“, „file“, „declaration“, „info“",
        ),
        (
            lambda d: d["steps"][1]["items"][0]["group"][2].update(
                show_if={"==": [{"var": "gefaerlich"}, True]}
            ),
            "Schritt 2 „Hunde“, Gruppe 1 „hunde“, Feld 3 „nachweis“, Bedingung: die Regel nennt das Feld „gefaerlich“, das es nicht gibt.",
        ),
        (
            lambda d: d["steps"][0]["items"][0].update(show_if={"eval": ["1"]}),
            "Schritt 1 „Halterin oder Halter“, Feld 1 „vorname“, Bedingung: unbekannte Regel-Operation „eval“.",
        ),
        (
            lambda d: d["steps"][0]["items"][0].update(options=[{"value": "a", "label": "A"}]),
            "Schritt 1 „Halterin oder Halter“, Feld 1 „vorname“: „options“ passt nicht zum Feldtyp „text“.",
        ),
        (
            lambda d: d["steps"][0]["items"][1].update(key="vorname"),
            "Schritt 1 „Halterin oder Halter“, Feld 2 „vorname“: die Kennung „vorname“ gibt es schon (Schritt 1 „Halterin oder Halter“, Feld 1 „vorname“).",
        ),
        (
            lambda d: d["fees"][0].update(amount_cents={"*": [{"var": "anzahl"}, 5000]}),
            "Gebühr 1 „gebuehr“, Betrag: die Regel nennt das Feld „anzahl“, das es nicht gibt.",
        ),
    ],
)
def test_problems_name_their_place_in_german(change, problem):
    assert problem in definition_problems(_broken(change))


@pytest.fixture
def form(register) -> FormDefinition:
    return form_create(
        actor=None,
        key="hundesteuer-anmeldung",
        service=Service.objects.get(leika_key="99102013000000"),
        title="Hundesteuer",
    )


def test_publishing_freezes_a_version_and_a_change_makes_the_next(form, land_admin):
    first = version_publish(
        actor=land_admin, version=draft_save(actor=land_admin, form=form, definition=DOG)
    )
    assert (first.number, first.status) == (1, VersionStatus.PUBLISHED)
    changed = _broken(lambda d: d.update(title="Hundesteuer – Anmeldung eines Hundes"))
    second = draft_save(actor=land_admin, form=form, definition=changed)
    assert (second.number, second.status) == (2, VersionStatus.DRAFT)
    assert FormVersion.objects.get(pk=first.pk).definition == DOG
    with pytest.raises(InvalidTransition):
        version_publish(actor=land_admin, version=first)
    version_publish(actor=land_admin, version=second)
    assert FormVersion.objects.get(pk=first.pk).status == VersionStatus.RETIRED
    assert published(form).number == 2
    assert FormDefinition.objects.get(pk=form.pk).title == "Hundesteuer – Anmeldung eines Hundes"


def test_an_unpublishable_definition_is_refused_and_nothing_changes(form, land_admin):
    draft = draft_save(
        actor=land_admin,
        form=form,
        definition=_broken(lambda d: d["steps"][0]["items"][0].update(type="farbe")),
    )
    with pytest.raises(InvalidInput, match="Schritt 1 „Halterin oder Halter“, Feld 1 „vorname“"):
        version_publish(actor=land_admin, version=draft)
    assert FormVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    assert published(form) is None


def test_only_the_land_edits_land_forms(form, erfurt_admin):
    from openamt.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        draft_save(actor=erfurt_admin, form=form, definition=DOG)
    assert not FormVersion.objects.exists()


def test_forms_are_loaded_from_files_idempotently(register, tmp_path):
    (tmp_path / "hund.json").write_text(
        json.dumps({"key": "hund", "leika_key": "99102013000000", "definition": DOG}),
        encoding="utf-8",
    )
    assert forms_load(directory=tmp_path) == {"published": 1}
    assert forms_load(directory=tmp_path) == {"unchanged": 1}
    (tmp_path / "kaputt.json").write_text(
        json.dumps({"key": "kaputt", "leika_key": "99102013000000", "definition": {"steps": []}}),
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput, match=r"kaputt\.json: Formular: es fehlt „title“"):
        forms_load(directory=tmp_path)


RANGE = {
    "title": "Zeitraum",
    "steps": [
        {
            "key": "zeit",
            "title": "Zeit",
            "items": [
                {"key": "von", "type": "date", "label": "Von"},
                {"key": "zeit_von", "type": "text", "label": "Uhrzeit von"},
                {
                    "key": "bis",
                    "type": "date",
                    "label": "Bis",
                    "relations": [{"op": ">=", "field": "von"}],
                },
                {
                    "key": "zeit_bis",
                    "type": "text",
                    "label": "Uhrzeit bis",
                    "relations": [
                        {
                            "op": ">",
                            "field": "zeit_von",
                            "when": {"===": [{"var": "von"}, {"var": "bis"}]},
                            "message": "Am selben Tag endet es nach dem Beginn.",
                        }
                    ],
                },
                {"key": "mindest", "type": "money", "label": "Mindestgebot"},
                {
                    "key": "hoechst",
                    "type": "money",
                    "label": "Höchstgebot",
                    "relations": [{"op": ">", "field": "mindest"}],
                },
            ],
        },
        {
            "key": "hunde",
            "title": "Hunde",
            "items": [
                {
                    "key": "hunde",
                    "label": "Hund",
                    "min": 0,
                    "max": 3,
                    "group": [
                        {"key": "geboren", "type": "date", "label": "Wurfdatum"},
                        {
                            "key": "seit",
                            "type": "date",
                            "label": "Halten seit",
                            "relations": [
                                {"op": ">=", "field": "geboren"},
                                {"op": ">=", "field": "von"},
                            ],
                        },
                    ],
                }
            ],
        },
    ],
}


def _range(change) -> dict:
    definition = copy.deepcopy(RANGE)
    change(definition)
    return definition


def _time_field(definition: dict, index: int) -> dict:
    return definition["steps"][0]["items"][index]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda d: _time_field(d, 2)["relations"][0].update(field="ende"),
            "Schritt 1 „Zeit“, Feld 3 „bis“, Beziehung 1: „ende“ ist kein Feld vor diesem; verglichen wird mit einem früheren Feld.",
        ),
        (
            lambda d: _time_field(d, 0).update(relations=[{"op": "<=", "field": "bis"}]),
            "Schritt 1 „Zeit“, Feld 1 „von“, Beziehung 1: „bis“ ist kein Feld vor diesem; verglichen wird mit einem früheren Feld.",
        ),
        (
            lambda d: _time_field(d, 2)["relations"][0].update(field="zeit_von"),
            "Schritt 1 „Zeit“, Feld 3 „bis“, Beziehung 1: „zeit_von“ hat den Feldtyp „Text“, dieses Feld „Datum“; verglichen werden nur Felder gleichen Typs.",
        ),
        (
            lambda d: _time_field(d, 2)["relations"][0].update(field="bis"),
            "Schritt 1 „Zeit“, Feld 3 „bis“, Beziehung 1: ein Feld kann nicht mit sich selbst verglichen werden.",
        ),
        (
            lambda d: _time_field(d, 3)["relations"][0].update(when={"==": [{"var": "tag"}, 1]}),
            "Schritt 1 „Zeit“, Feld 4 „zeit_bis“, Beziehung 1, Bedingung: die Regel nennt das Feld „tag“, das es nicht gibt.",
        ),
        (
            lambda d: _time_field(d, 2)["relations"][0].update(op="=="),
            "Schritt 1 „Zeit“, Feld 3 „bis“, Beziehung 1, Angabe „op“: erlaubt sind „<“, „<=“, „>“, „>=“",
        ),
        (
            lambda d: d["steps"][1]["items"][0]["group"][0].update(
                relations=[{"op": "<=", "field": "seit"}]
            ),
            "Schritt 2 „Hunde“, Gruppe 1 „hunde“, Feld 1 „geboren“, Beziehung 1: „seit“ ist kein Feld vor diesem; verglichen wird mit einem früheren Feld.",
        ),
        (
            lambda d: d["steps"][0]["items"].append(
                {
                    "key": "einverstanden",
                    "type": "yes_no",
                    "label": "Einverstanden",
                    "relations": [{"op": ">", "field": "von"}],
                }
            ),
            "Schritt 1 „Zeit“, Feld 7 „einverstanden“: „relations“ passt nicht zum Feldtyp „yes_no“.",
        ),
    ],
)
def test_a_relation_compares_with_an_earlier_field_of_the_same_type(change, problem):
    assert definition_problems(RANGE) == []
    assert definition_problems(_range(change)) == [problem]


def test_a_definition_with_a_broken_relation_is_not_published(form, land_admin):
    broken = _range(lambda d: _time_field(d, 2)["relations"][0].update(field="ende"))
    draft = draft_save(actor=land_admin, form=form, definition=broken)
    with pytest.raises(InvalidInput, match="Feld 3 „bis“, Beziehung 1: „ende“ ist kein Feld"):
        version_publish(actor=land_admin, version=draft)
    assert published(form) is None

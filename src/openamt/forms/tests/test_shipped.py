"""The forms shipped with OpenAmt (`forms/data/*.json`): each is publishable, belongs
to a service of the catalogue, and its example answers (`data/examples/`) pass."""

import json
from pathlib import Path
from typing import Any

import pytest

from openamt.catalogue.models import Service
from openamt.forms.answers import fees_for, validate_all
from openamt.forms.code_lists import code_lists_filled
from openamt.forms.definition import definition_problems
from openamt.forms.services import forms_load
from openamt.regions.models import Region

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
EXAMPLES_DIR = DATA_DIR / "examples"
FORM_FILES = sorted(DATA_DIR.glob("*.json"))
# What an upload leaves as the answer of a file field; "@pdf" in an example stands for it.
UPLOADED_PDF = {
    "sha256": "3f" * 32,
    "name": "nachweis.pdf",
    "size": 1234,
    "content_type": "application/pdf",
}


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _with_uploads(value: Any) -> Any:
    if value == "@pdf":
        return dict(UPLOADED_PDF)
    if isinstance(value, dict):
        return {key: _with_uploads(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_uploads(item) for item in value]
    return value


def _dropped(raw: dict[str, Any], cleaned: dict[str, Any], prefix: str = "") -> list[str]:
    """Answers of the example that validation did not keep: unknown or hidden fields."""
    missing = []
    for key, value in raw.items():
        if key not in cleaned:
            missing.append(prefix + key)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, (entry, kept) in enumerate(zip(value, cleaned[key], strict=True)):
                missing += _dropped(entry, kept, f"{prefix}{key}.{index}.")
    return missing


@pytest.mark.parametrize("path", FORM_FILES, ids=[path.stem for path in FORM_FILES])
def test_a_shipped_form_is_publishable_and_its_example_passes(register, path):
    data = _read(path)
    assert set(data) == {"key", "leika_key", "definition"}
    assert data["key"] == path.stem
    assert definition_problems(data["definition"]) == []
    definition = code_lists_filled(data["definition"])  # as saved
    assert Service.objects.filter(leika_key=data["leika_key"]).exists(), data["leika_key"]

    example = _read(EXAMPLES_DIR / path.name)
    place = Region.objects.active().filter(level="gemeinde", ags=example["place"]).first()
    assert place is not None, example["place"]
    assert place.ags.startswith("16")  # a Thuringian Gemeinde

    answers = _with_uploads(example["answers"])
    result = validate_all(definition, answers)
    assert result.errors == {}
    assert _dropped(answers, result.answers) == []
    for fee in fees_for(definition, result.answers):
        assert fee.cents >= 0


def _changed(answers: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """The answers with each dotted path ("hunde.1.name") set, or removed if None."""
    answers = json.loads(json.dumps(answers))
    for path, value in changes.items():
        *parents, last = path.split(".")
        node: Any = answers
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is None:
            del node[last]
        else:
            node[last] = value
    return answers


@pytest.mark.parametrize(
    ("key", "changes", "errors"),
    [
        (
            "hundesteuer-anmeldung",
            {"hunde.1.gefaehrlich_nachweis": None},
            {"hunde.1.gefaehrlich_nachweis"},
        ),
        ("bewohnerparkausweis", {"halter": "ja", "nutzungsnachweis": None}, {"zulassung"}),
        ("baumfaellgenehmigung", {"einverstaendnis": None}, {"einverstaendnis"}),
        (
            "wahlschein",
            {"antrag_fuer": "vertretung"},
            {"bevollmaechtigt_name", "bevollmaechtigt_anschrift", "vollmacht"},
        ),
        (
            "verlust-fundanzeige",
            {"art": "verlust", "verbleib": None, "finderlohn": None, "eigentumserwerb": None},
            {"erklaerung_verlust"},
        ),
        (
            "gewerbeanmeldung",
            {"staatsangehoerigkeit": "andere"},
            {"staatsangehoerigkeit_andere", "aufenthaltstitel"},
        ),
        (
            "gewerbeanmeldung",
            {
                "staatsangehoerigkeit": "andere",
                "staatsangehoerigkeit_andere": "DD",  # the GDR: no longer a state
                "aufenthaltstitel": "beantragt",
            },
            {"staatsangehoerigkeit_andere"},
        ),
        # Every range: the end is not before its start.
        ("halteverbotszone-umzug", {"datum_bis": "13.06.2035"}, {"datum_bis"}),
        ("halteverbotszone-umzug", {"uhrzeit_bis": "06:59"}, {"uhrzeit_bis"}),
        ("halteverbotszone-umzug", {"uhrzeit_bis": "06:59", "datum_bis": "15.06.2035"}, set()),
        ("sondernutzung-strasse", {"bis": "31.03.2035"}, {"bis"}),
        ("hundesteuer-anmeldung", {"hunde.0.halten_seit": "13.05.2021"}, {"hunde.0.halten_seit"}),
        ("kita-anmeldung", {"kind_geburtsdatum": "01.08.2027", "beginn": "01.07.2027"}, {"beginn"}),
    ],
)
def test_the_rules_of_a_shipped_form_ask_for_what_the_answers_need(register, key, changes, errors):
    definition = code_lists_filled(_read(DATA_DIR / f"{key}.json")["definition"])
    answers = _with_uploads(_read(EXAMPLES_DIR / f"{key}.json")["answers"])
    assert set(validate_all(definition, _changed(answers, changes)).errors) == errors


def test_every_example_belongs_to_a_shipped_form():
    assert sorted(p.name for p in EXAMPLES_DIR.glob("*.json")) == [p.name for p in FORM_FILES]


def test_at_least_ten_forms_with_unique_keys():
    keys = [_read(path)["key"] for path in FORM_FILES]
    assert len(keys) >= 10
    assert len(set(keys)) == len(keys)


def test_the_shipped_forms_load_once(register):
    assert forms_load(directory=DATA_DIR) == {"published": len(FORM_FILES)}
    assert forms_load(directory=DATA_DIR) == {"unchanged": len(FORM_FILES)}

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamt.core.errors import InvalidInput
from openamt.forms.answers import (
    REQUIRED,
    clean_value,
    evaluate,
    fees_for,
    holds,
    validate_all,
    validate_step,
)
from openamt.forms.display import display
from openamt.forms.inputs import NOT_TEXT
from openamt.forms.tests.test_definition import DOG, RANGE

TODAY = date(2026, 11, 22)
CHOICES = [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}]


def _clean(spec: dict, raw):
    return clean_value({"key": "f", "label": "F", **spec}, raw, today=TODAY)


@pytest.mark.parametrize(
    ("spec", "raw", "expected"),
    [
        ({"type": "text", "max_length": 5}, " Hallo ", ("Hallo", None)),
        ({"type": "text", "max_length": 5}, "Hallo!", ("Hallo!", "Höchstens 5 Zeichen.")),
        ({"type": "text", "min_length": 3}, "ab", ("ab", "Mindestens 3 Zeichen.")),
        (
            {
                "type": "text",
                "pattern": "[A-Z]{2}-[0-9]+",
                "pattern_message": "Kennzeichen wie SOK-123",
            },
            "x",
            ("x", "Kennzeichen wie SOK-123"),
        ),
        ({"type": "long_text", "max_length": 3}, "abcd", ("abcd", "Höchstens 3 Zeichen.")),
        ({"type": "number", "min": 1, "max": 10}, "3,5", (3.5, None)),
        ({"type": "number"}, "2", (2, None)),
        ({"type": "number", "min": 1}, "0", ("0", "Der Wert muss mindestens 1 sein.")),
        ({"type": "number", "max": 10}, "11", ("11", "Der Wert darf höchstens 10 sein.")),
        ({"type": "number", "min": 0.1}, "0,05", ("0,05", "Der Wert muss mindestens 0,1 sein.")),
        (
            {"type": "money", "max": 1000000},
            "1.000.000,01",
            ("1.000.000,01", "Der Wert darf höchstens 1.000.000,00 € sein."),
        ),
        ({"type": "number"}, "zwölf", ("zwölf", "Bitte geben Sie eine Zahl ein.")),
        ({"type": "money"}, "1.234,50", (123450, None)),
        ({"type": "money"}, "12,345", ("12,345", "Höchstens zwei Stellen nach dem Komma.")),
        (
            {"type": "money"},
            "viel",
            ("viel", "Bitte geben Sie einen Betrag in Euro ein, z. B. 12,50."),
        ),
        ({"type": "date", "date_min": "today"}, "2026-11-22", ("2026-11-22", None)),
        ({"type": "date"}, "24.12.2026", ("2026-12-24", None)),
        (
            {"type": "date", "date_min": "+14d"},
            "2026-11-30",
            ("2026-11-30", "Das Datum darf nicht vor dem 06.12.2026 liegen."),
        ),
        (
            {"type": "date", "date_max": "today"},
            "2026-11-23",
            ("2026-11-23", "Das Datum darf nicht nach dem 22.11.2026 liegen."),
        ),
        (
            {"type": "date"},
            "31.02.2026",
            ("31.02.2026", "Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."),
        ),
        ({"type": "choice", "options": CHOICES}, "b", ("b", None)),
        (
            {"type": "choice", "options": CHOICES},
            "c",
            ("c", "Bitte wählen Sie eine der Möglichkeiten."),
        ),
        (
            {"type": "choice", "widget": "checkbox", "options": CHOICES},
            ["a", "b"],
            (["a", "b"], None),
        ),
        (
            {"type": "choice", "widget": "checkbox", "options": CHOICES},
            ["a", "x"],
            (["a", "x"], "Bitte wählen Sie nur angebotene Möglichkeiten."),
        ),
        ({"type": "yes_no"}, "ja", (True, None)),
        ({"type": "yes_no"}, "nein", (False, None)),
        ({"type": "yes_no"}, "vielleicht", ("vielleicht", "Bitte wählen Sie „Ja“ oder „Nein“.")),
        ({"type": "email"}, "Anna@Example.org", ("anna@example.org", None)),
        (
            {"type": "email"},
            "anna@",
            ("anna@", "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."),
        ),
        ({"type": "phone"}, "0361 655-0", ("0361 655-0", None)),
        (
            {"type": "phone"},
            "ruf an",
            ("ruf an", "Bitte geben Sie eine Telefonnummer mit Vorwahl ein, z. B. 0361 123456."),
        ),
        ({"type": "iban"}, "DE02 1203 0000 0000 2020 51", ("DE02120300000000202051", None)),
        (
            {"type": "iban"},
            "DE02 1203 0000 0000 2020 52",
            ("DE02 1203 0000 0000 2020 52", "Dies ist keine gültige IBAN."),
        ),
        ({"type": "declaration", "text": "Ich versichere."}, "on", (True, None)),
        ({"type": "info", "text": "Hinweis"}, "x", (None, None)),
        ({"type": "text"}, "   ", (None, None)),
    ],
)
def test_every_field_type_cleans_or_explains_in_german(spec, raw, expected):
    assert _clean(spec, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("place", {"postcode": "07381", "city": "Pößneck"}, None),
        (
            "place",
            {"postcode": "07381", "city": "Posneck"},
            ("Der Ort passt nicht zur Postleitzahl 07381.", "city"),
        ),
        ("place", {"postcode": "07381", "city": ""}, ("Bitte geben Sie den Ort an.", "city")),
        (
            "place",
            {"postcode": "00001", "city": "Nirgendwo"},
            ("Diese Postleitzahl gibt es nicht.", "postcode"),
        ),
        (
            "place",
            {"postcode": "738", "city": "Pößneck"},
            ("Die Postleitzahl hat fünf Ziffern.", "postcode"),
        ),
        (
            "address",
            {"street": "Markt 1", "postcode": "", "city": "Pößneck"},
            ("Bitte geben Sie die Postleitzahl an.", "postcode"),
        ),
        (
            "address",
            {"street": "", "postcode": "99084", "city": "Erfurt"},
            ("Bitte geben Sie Straße und Hausnummer an.", "street"),
        ),
        ("address", {"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"}, None),
    ],
)
def test_postcode_and_place_are_checked_against_the_register(register, kind, raw, expected):
    """A message names the part that is wrong: the page shows it next to that input."""
    message = _clean({"type": kind}, raw)[1]
    assert (message if message is None else (message, message.part)) == expected


PERMIT = {
    "sha256": "0" * 64,
    "name": "erlaubnis.pdf",
    "size": 1024,
    "content_type": "application/pdf",
}


def _dog_step(entries):
    return validate_step(DOG, DOG["steps"][1], {"hunde": entries}, {}, today=TODAY)


def test_a_repeatable_group_with_a_conditional_required_field():
    result = _dog_step(
        [
            {"name": "Bello", "gefaehrlich": "nein"},
            {"name": "Rex", "gefaehrlich": "ja"},
            {"name": "", "gefaehrlich": "nein", "nachweis": "abc"},
        ]
    )
    assert result.errors == {"hunde.1.nachweis": REQUIRED, "hunde.2.name": REQUIRED}
    assert result.answers["hunde"][0] == {"name": "Bello", "gefaehrlich": False}
    assert "nachweis" not in result.answers["hunde"][2]  # hidden: neither checked nor kept


def test_a_file_answer_is_the_description_the_upload_wrote():
    assert _clean({"type": "file"}, PERMIT) == (PERMIT, None)
    assert _clean({"type": "file"}, {**PERMIT, "extra": "x"}) == (PERMIT, None)
    for forged in ("sha256:abc", {**PERMIT, "sha256": "../etc"}, {**PERMIT, "size": "1"}):
        assert _clean({"type": "file"}, forged) == (None, "Bitte laden Sie die Datei hoch.")


def test_the_fields_shown_follow_the_answers():
    result = _dog_step(
        [{"name": "Bello", "gefaehrlich": "nein"}, {"name": "Rex", "gefaehrlich": "ja"}]
    )
    assert result.visible == {
        "hunde",
        "hunde.0.name",
        "hunde.0.gefaehrlich",
        "hunde.1.name",
        "hunde.1.gefaehrlich",
        "hunde.1.nachweis",
    }


def test_a_group_counts_its_entries():
    assert _dog_step([]).errors == {"hunde": "Bitte geben Sie mindestens 1 × „Hund“ an."}
    too_many = _dog_step([{"name": f"Hund {n}", "gefaehrlich": "nein"} for n in range(11)])
    assert too_many.errors == {"hunde": "Höchstens 10 × „Hund“."}


def test_the_whole_form_and_its_fees():
    definition = {
        **DOG,
        "fees": [
            {
                "key": "steuer",
                "label": "Hundesteuer (Beispiel)",
                "example": True,
                "amount_cents": {
                    "reduce": [
                        {"var": "hunde"},
                        {
                            "+": [
                                {"var": "accumulator"},
                                {"if": [{"var": "current.gefaehrlich"}, 60000, 6000]},
                            ]
                        },
                        0,
                    ]
                },
            }
        ],
    }
    raw = {
        "vorname": "Erika",
        "nachname": "",
        "hunde": [
            {"name": "Bello", "gefaehrlich": "nein"},
            {"name": "Rex", "gefaehrlich": "ja", "nachweis": PERMIT},
        ],
    }
    result = validate_all(definition, raw, today=TODAY)
    assert result.errors == {"nachname": REQUIRED}
    [fee] = fees_for(definition, result.answers)
    assert (fee.cents, fee.example) == (66000, True)


def test_a_path_past_the_end_of_a_list_is_null_as_json_logic_specifies():
    data = {"baeume": [{"art": "Linde"}, {"art": "Eiche"}]}
    assert evaluate({"var": "baeume.5.art"}, data) is None
    assert evaluate({"var": ["baeume.5.art", "keine"]}, data) == "keine"
    assert evaluate({"var": "baeume.1.art"}, data) == "Eiche"
    assert holds({"===": [{"var": "baeume.2"}, None]}, data) is True


def test_a_rule_that_cannot_be_evaluated_is_refused_as_the_forms_error():
    definition = {
        "fees": [
            {"key": "gebuehr", "label": "Gebühr", "amount_cents": {"*": [{"var": "name"}, 100]}}
        ],
        "steps": [],
    }
    with pytest.raises(InvalidInput) as refused:
        fees_for(definition, {"name": "Rex"})
    assert refused.value.message == (
        "Eine Regel dieses Formulars lässt sich mit diesen Angaben nicht auswerten. Das ist ein "
        "Fehler im Formular: bitte wenden Sie sich an die zuständige Behörde."
    )
    text = {**definition, "fees": [{**definition["fees"][0], "amount_cents": {"var": "name"}}]}
    with pytest.raises(InvalidInput):
        fees_for(text, {"name": "Rex"})


def _area_fee(rule) -> dict:
    return {
        "steps": [
            {
                "key": "s",
                "title": "S",
                "items": [{"key": "flaeche", "type": "number", "label": "Fläche"}],
            }
        ],
        "fees": [{"key": "gebuehr", "label": "Gebühr", "amount_cents": rule}],
    }


@pytest.mark.parametrize(
    ("rule", "area", "cents"),
    [
        ({"*": [{"var": "flaeche"}, 115]}, "1,5", 173),  # 172.5: half away from zero
        ({"*": [{"var": "flaeche"}, 115]}, "2,3", 265),  # binary 2.3 × 115 = 264.4999…
        ({"*": [{"var": "flaeche"}, 1.15, 100]}, "1,5", 173),
        ({"/": [{"*": [{"var": "flaeche"}, 345]}, 2]}, "1", 173),
        ({"+": [{"var": "flaeche"}, 0.5]}, "0", 1),
        ({"-": [1000, {"*": [{"var": "flaeche"}, 115]}]}, "1,5", 828),
        ({"-": [{"*": [{"var": "flaeche"}, 115]}]}, "1,5", -173),
        ({"max": [2000, {"*": [{"var": "flaeche"}, 115]}]}, "1,5", 2000),
        ({"min": [2000, {"*": [{"var": "flaeche"}, 115]}]}, "1,5", 173),
        ({"if": [{">": [{"var": "flaeche"}, 1]}, {"*": [{"var": "flaeche"}, 115]}, 0]}, "1,5", 173),
        (
            {"?:": [{"<": [{"var": "flaeche"}, 1]}, 50, {"*": [{"var": "flaeche"}, 115]}]},
            "1,5",
            173,
        ),
        ({"if": [{"<": [{"var": "flaeche"}, 1]}, 500]}, "1,5", 0),  # no else: nothing to pay
    ],
)
def test_a_fee_rule_is_computed_in_decimal_and_rounded_commercially(rule, area, cents):
    definition = _area_fee(rule)
    answers = validate_all(definition, {"flaeche": area}, today=TODAY).answers
    assert [fee.cents for fee in fees_for(definition, answers)] == [cents]


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=1, max_value=100_000),
)
def test_an_area_fee_is_exact_in_whole_cents(hundredths, rate):
    typed = f"{hundredths // 100},{hundredths % 100:02d}"
    definition = _area_fee({"*": [{"var": "flaeche"}, rate]})
    answers = validate_all(definition, {"flaeche": typed}, today=TODAY).answers
    exact = Decimal(hundredths) * rate / 100
    expected = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    assert [fee.cents for fee in fees_for(definition, answers)] == [expected]


@pytest.mark.parametrize(
    "rule",
    [
        {"/": [{"var": "flaeche"}, 0]},
        {"*": [{"var": "fehlt"}, 100]},
        {"+": [{"var": "flaeche"}, "Rex"]},
        {"min": []},
        {"reduce": [{"var": "flaeche"}, {"+": [{"var": "accumulator"}, 1]}]},
    ],
)
def test_a_fee_rule_that_cannot_be_computed_is_the_forms_error(rule):
    with pytest.raises(InvalidInput) as refused:
        fees_for(_area_fee(rule), {"flaeche": 2})
    assert refused.value.message.startswith("Eine Regel dieses Formulars lässt sich")


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        ({"von": "10.06.2027", "bis": "10.06.2027"}, {}),
        (
            {"von": "10.06.2027", "bis": "9.6.2027"},
            {"bis": "Das Datum darf nicht vor dem 10.06.2027 liegen („Von“)."},
        ),
        ({"bis": "9.6.2027"}, {}),  # no start: nothing to compare with
        (
            {"von": "31.02.2027", "bis": "9.6.2027"},
            {"von": "Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."},
        ),
        (
            {"von": "1.6.2027", "bis": "1.6.2027", "zeit_von": "18:00", "zeit_bis": "07:00"},
            {"zeit_bis": "Am selben Tag endet es nach dem Beginn."},
        ),
        ({"von": "1.6.2027", "bis": "2.6.2027", "zeit_von": "18:00", "zeit_bis": "07:00"}, {}),
        (
            {"mindest": "1.500", "hoechst": "1.500,00"},
            {"hoechst": "Der Wert muss größer sein als 1.500,00 € („Mindestgebot“)."},
        ),
        ({"mindest": "1.500", "hoechst": "1.500,01"}, {}),
        (
            {
                "von": "1.1.2024",
                "hunde": [
                    {"geboren": "1.5.2021", "seit": "1.5.2024"},
                    {"geboren": "1.5.2024", "seit": "1.4.2024"},
                    {"geboren": "1.1.2020", "seit": "1.1.2021"},
                ],
            },
            {
                "hunde.1.seit": "Das Datum darf nicht vor dem 01.05.2024 liegen („Wurfdatum“).",
                "hunde.2.seit": "Das Datum darf nicht vor dem 01.01.2024 liegen („Von“).",
            },
        ),
    ],
)
def test_a_field_is_compared_with_an_earlier_one_and_the_message_stands_at_the_later(raw, errors):
    assert validate_all(RANGE, raw, today=TODAY).errors == errors


@pytest.mark.parametrize(
    ("kind", "value", "shown"),
    [
        ("number", 1500.5, "1500,5"),
        ("number", 1985, "1985"),
        ("number", 12500, "12.500"),
        ("number", -1234567.25, "-1.234.567,25"),
        ("number", "zwölf", "zwölf"),  # as typed, not accepted
        ("money", 150000, "1.500,00 €"),
        ("date", "1985-01-01", "01.01.1985"),
        ("date", "31.02.1985", "31.02.1985"),
    ],
)
def test_answers_are_shown_as_german_readers_write_them(kind, value, shown):
    assert display({"type": kind}, value) == shown


@pytest.mark.parametrize(
    ("spec", "raw", "cleaned"),
    [
        ({"type": "number"}, 12, 12),
        ({"type": "number"}, 12.5, 12.5),
        ({"type": "money"}, 12.5, 1250),
        ({"type": "yes_no"}, True, True),
        ({"type": "yes_no"}, False, False),
        ({"type": "declaration"}, True, True),
    ],
)
def test_a_json_number_or_boolean_is_read_where_the_field_means_one(spec, raw, cleaned):
    assert _clean(spec, raw) == (cleaned, None)


@pytest.mark.parametrize(
    ("spec", "raw"),
    [
        ({"type": "text"}, {"$gt": ""}),
        ({"type": "text"}, ["a"]),
        ({"type": "text"}, 5),
        ({"type": "long_text"}, False),
        ({"type": "email"}, {"$ne": None}),
        ({"type": "number"}, True),
        ({"type": "number"}, {"value": 3}),
        ({"type": "money"}, float("nan")),
        ({"type": "date"}, 20261122),
        ({"type": "choice", "options": [{"value": "a", "label": "A"}]}, {"a": 1}),
        (
            {"type": "choice", "widget": "checkbox", "options": [{"value": "a", "label": "A"}]},
            [{"value": "a"}],
        ),
        ({"type": "place"}, {"postcode": 7743, "city": "Jena"}),
    ],
)
def test_a_value_that_is_no_text_of_its_field_is_refused(spec, raw):
    value, message = _clean(spec, raw)
    assert message is not None
    assert NOT_TEXT[1:] in message  # a part's message names the part first
    assert str(raw) not in str(value)  # never kept as its Python spelling

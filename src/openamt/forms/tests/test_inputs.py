"""Reading what people type: German numbers, dates with two-digit years,
text in NFC without control characters and within its limit."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamt.forms.inputs import (
    CONTROL,
    DATE_INVALID,
    MONEY_INVALID,
    NUMBER_DOT,
    NUMBER_INVALID,
    YEAR_INVALID,
    Unreadable,
    answers_checked,
    date_read,
    number_read,
    text_read,
    two_digit_year,
)

TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.500", "1500"),
        ("1.500,00", "1500.00"),
        ("1.500.000", "1500000"),
        ("12.345,67", "12345.67"),
        ("1 500,5", "1500.5"),
        ("1\u00a0500", "1500"),
        ("1500", "1500"),
        ("2,5", "2.5"),
        (",5", "0.5"),
        ("-3", "-3"),
        ("+4,25", "4.25"),
        ("0,001", "0.001"),
    ],
)
def test_a_number_in_german_notation(typed, number):
    assert number_read(typed) == Decimal(number)


@pytest.mark.parametrize(
    ("typed", "money", "message"),
    [
        ("1.5", False, NUMBER_DOT.format(example="2,5")),  # an English decimal point?
        ("12.50", True, NUMBER_DOT.format(example="12,50")),
        ("1,500.00", True, NUMBER_DOT.format(example="12,50")),
        ("1.5000", False, NUMBER_DOT.format(example="2,5")),
        ("1.50.000", False, NUMBER_DOT.format(example="2,5")),
        ("1.500 000", False, NUMBER_DOT.format(example="2,5")),  # two kinds of grouping
        ("1 5", False, NUMBER_INVALID),
        ("1e5", False, NUMBER_INVALID),
        ("NaN", False, NUMBER_INVALID),
        ("Infinity", True, MONEY_INVALID),
        ("1,5,0", False, NUMBER_INVALID),
        ("-", False, NUMBER_INVALID),
        ("zwölf", False, NUMBER_INVALID),
        ("1234567890123456", False, "Höchstens 15 Ziffern."),
    ],
)
def test_a_number_that_is_not_german_notation_is_refused_not_guessed(typed, money, message):
    with pytest.raises(Unreadable) as refused:
        number_read(typed, money=money)
    assert refused.value.message == message


def test_a_money_field_takes_the_currency_sign():
    assert number_read("12,50 €", money=True) == Decimal("12.50")
    assert number_read("1.500 EUR", money=True) == Decimal("1500")
    with pytest.raises(Unreadable):
        number_read("12,50 €")  # a number field does not


@given(
    st.decimals(
        min_value=Decimal("-999999999999.99"),
        max_value=Decimal("999999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    st.sampled_from([".", " ", ""]),
)
def test_what_is_written_in_german_notation_is_read_back(number, separator):
    whole, _, cents = f"{abs(number):,.2f}".partition(".")
    written = ("-" if number < 0 else "") + whole.replace(",", separator) + "," + cents
    assert number_read(written) == number


@pytest.mark.parametrize(
    ("typed", "latest", "expected"),
    [
        ("1.1.85", None, date(1985, 1, 1)),
        ("31.12.36", None, date(2036, 12, 31)),  # at most ten years ahead
        ("1.1.37", None, date(1937, 1, 1)),
        ("01.01.00", None, date(2000, 1, 1)),
        ("1.1.26", TODAY, date(2026, 1, 1)),  # a birth date: not after today's year
        ("1.1.27", TODAY, date(1927, 1, 1)),
        ("1.1.30", TODAY, date(1930, 1, 1)),
        ("24.12.2026", None, date(2026, 12, 24)),
        ("2026-12-24", None, date(2026, 12, 24)),
        ("1. 2. 2027", None, date(2027, 2, 1)),
        ("1.1.1000", None, date(1000, 1, 1)),
    ],
)
def test_a_date_is_read_as_a_german_reader_reads_it(typed, latest, expected):
    assert date_read(typed, today=TODAY, latest=latest) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1.1.985", YEAR_INVALID),
        ("01.01.0085", YEAR_INVALID),
        ("0085-01-01", YEAR_INVALID),
        ("0999-12-31", YEAR_INVALID),
        ("1.1.5", YEAR_INVALID),
        ("1.1.19850", YEAR_INVALID),
        ("31.02.2026", DATE_INVALID),
        ("2026-13-01", DATE_INVALID),
        ("morgen", DATE_INVALID),
        ("1/1/2026", DATE_INVALID),
    ],
)
def test_a_year_below_1000_or_a_day_that_does_not_exist_is_refused(typed, message):
    with pytest.raises(Unreadable) as refused:
        date_read(typed, today=TODAY)
    assert refused.value.message == message


@given(st.integers(min_value=0, max_value=99), st.dates(min_value=date(1100, 1, 1)))
def test_the_pivot_moves_with_today(short, today):
    year = two_digit_year(short, today=today)
    assert year % 100 == short
    assert today.year - 89 <= year <= today.year + 10


@pytest.mark.parametrize(
    ("raw", "limit", "multiline", "expected"),
    [
        ("  Müller ", 10, False, ("Müller", None)),
        ("Mu\u0308ller", 10, False, ("Müller", None)),  # NFC
        ("a" * 11, 10, False, ("a" * 11, "Höchstens 10 Zeichen.")),
        ("Eri\x00ka", 10, False, ("Eri\x00ka", CONTROL)),
        ("\x1fErika", 10, False, ("\x1fErika", CONTROL)),  # not stripped away as space
        ("eins\nzwei", 20, False, ("eins\nzwei", CONTROL)),
        ("eins\r\nzwei\tdrei", 20, True, ("eins\nzwei\tdrei", None)),
        ("eins\x0bzwei", 20, True, ("eins\x0bzwei", CONTROL)),
        ("\ud800", 10, False, ("\ud800", CONTROL)),  # a lone surrogate from JSON
        ("\u0085", 10, False, ("\u0085", CONTROL)),  # C1
    ],
)
def test_text_is_nfc_trimmed_bounded_and_free_of_control_characters(
    raw, limit, multiline, expected
):
    assert text_read(raw, limit=limit, multiline=multiline) == expected


DEFINITION = {
    "steps": [
        {
            "key": "s",
            "title": "S",
            "items": [
                {"key": "name", "type": "text", "label": "Name", "max_length": 5},
                {"key": "ort", "type": "address", "label": "Anschrift"},
                {"key": "wahl", "type": "choice", "label": "Wahl", "widget": "checkbox"},
                {
                    "key": "hunde",
                    "label": "Hund",
                    "group": [{"key": "name", "type": "text", "label": "Name"}],
                },
            ],
        }
    ]
}


def test_answers_a_draft_may_keep():
    kept, problems = answers_checked(
        DEFINITION,
        {
            "name": " Mu\u0308ll ",
            "ort": {"street": "Markt 1 ", "city": "Jena", "extra": "x"},
            "wahl": ["a"],
            "hunde": [{"name": "Rex", "alter": "3"}, "kein Eintrag"],
            "unbekannt": "weg",
        },
    )
    assert problems == {}
    assert kept == {
        "name": "Müll",
        "ort": {"street": "Markt 1", "city": "Jena"},
        "wahl": ["a"],
        "hunde": [{"name": "Rex"}, {}],
    }


def test_answers_with_a_control_character_or_too_long_are_refused_by_path():
    kept, problems = answers_checked(
        DEFINITION,
        {
            "name": "Er\x00ik",
            "ort": {"street": "x" * 101},
            "wahl": ["a\x07"],
            "hunde": [{"name": "Bello"}, {"name": "R\x00ex"}],
        },
    )
    assert problems == {
        "name": CONTROL,
        "ort": "Straße und Hausnummer: höchstens 100 Zeichen.",
        "wahl": CONTROL,
        "hunde.1.name": CONTROL,
    }
    assert kept["name"] == "Erik"  # shown again without the control character
    assert kept["hunde"][1] == {"name": "Rex"}

"""What people type, read the way a German reader reads it, and bounded.

Every text part of every field (a name, a street, a postcode, an e-mail
address, a number as typed) goes through `text_read`: normalised to NFC,
refused with a German message if it holds control characters or is longer
than its limit. The online form and the submissions API use the same
functions (`forms.answers.clean_value`), and a draft keeps only what
`answers_checked` lets through, so that a step with a refused part stores
nothing at all.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

# The most characters a text part may have, by field type; a `text` or
# `long_text` field may set its own `max_length`. The step page writes the
# same limits into `maxlength`.
TYPE_LIMITS = {
    "text": 200,
    "long_text": 5000,
    "email": 254,  # RFC 5321: the longest forward path
    "phone": 30,
    "iban": 42,  # 34 characters (ISO 13616) in groups of four
    "number": 30,
    "money": 30,
    "date": 20,
    "choice": 60,  # an option's value (docs/form-schema.json)
    "yes_no": 60,
    "declaration": 60,
}
PARTS = {
    "place": ("postcode", "city"),
    "address": ("street", "postcode", "city"),
}
PART_LIMITS = {"street": 100, "postcode": 5, "city": 100}
PART_LABELS = {"street": "Straße und Hausnummer", "postcode": "Postleitzahl", "city": "Ort"}
CONTROL = "Die Eingabe enthält Steuerzeichen, die nicht erlaubt sind (etwa aus einer Kopie)."
MAX_DIGITS = 15  # what a float (JSON) keeps exactly
FUTURE_YEARS = 10  # how far ahead a two-digit year reaches

_NEWLINES = re.compile(r"\r\n?")
_MULTILINE_ALLOWED = frozenset("\n\t")


class Unreadable(ValueError):
    """Input that cannot be read; `message` says why, in German."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def limit_of(spec: dict[str, Any]) -> int:
    """The most characters of a field's text (not of place or address parts)."""
    return int(spec.get("max_length") or TYPE_LIMITS.get(spec["type"], TYPE_LIMITS["text"]))


def _is_control(character: str, multiline: bool) -> bool:
    # Cc: C0/C1 controls incl. NUL; Cs: lone surrogates, which JSON can carry
    # but neither UTF-8 nor PostgreSQL can store.
    return unicodedata.category(character) in ("Cc", "Cs") and not (
        multiline and character in _MULTILINE_ALLOWED
    )


def text_read(raw: str, *, limit: int, multiline: bool = False) -> tuple[str, str | None]:
    """(text, German message or None): NFC, line breaks as "\\n", trimmed.
    Control characters are refused (a long text keeps line breaks and tabs),
    and so is text longer than `limit` characters."""
    text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", raw))
    if any(_is_control(character, multiline) for character in text):
        return text, CONTROL
    text = text.strip()
    if len(text) > limit:
        return text, f"Höchstens {limit} Zeichen."
    return text, None


def without_controls(text: str, *, multiline: bool = False) -> str:
    return "".join(character for character in text if not _is_control(character, multiline))


class PartMessage(str):
    """A message about one part of a place or an address (`part`: "street",
    "postcode" or "city"). The step page shows it next to that input and marks
    that input invalid; everywhere else it is simply the field's message."""

    part: str

    def __new__(cls, text: str, *, part: str) -> PartMessage:
        message = super().__new__(cls, text)
        message.part = part
        return message


NOT_TEXT = "Bitte geben Sie hier Text ein (kein Objekt, keine Liste, keine Zahl)."


def typed_text(kind: str, raw: Any) -> str | None:
    """The text a raw value stands for in a field of type `kind`, or None if it
    is no such text. The online form sends only strings; the submissions API
    takes JSON, where a number is a fair answer to a number or money field
    ("12.5" in JSON is 12,5) and true or false to a yes/no question or a
    declaration. Anything else (an object like {"$gt": ""}, a list, a number
    where text is asked for) is not read as its Python spelling but refused."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        if kind == "yes_no":
            return "ja" if raw else "nein"
        if kind == "declaration":
            return "ja" if raw else ""
        return None
    if isinstance(raw, int | float) and kind in ("number", "money"):
        number = Decimal(str(raw))
        if not number.is_finite():
            return None
        return format(number, "f").replace(".", ",")
    return None


def part_read(part: str, raw: Any) -> tuple[str, PartMessage | None]:
    """A part of a place or an address ("street", "postcode", "city"); its
    message names the part and is shown at that part's input. A part that is
    not a string is refused (`NOT_TEXT`)."""
    if raw is None or isinstance(raw, str):
        text, problem = text_read(raw or "", limit=PART_LIMITS[part])
    else:
        text, problem = "", NOT_TEXT
    if problem is None:
        return text, None
    return text, PartMessage(f"{PART_LABELS[part]}: {problem[0].lower()}{problem[1:]}", part=part)


def value_read(spec: dict[str, Any], raw: Any) -> tuple[str, str | None]:
    """One typed value of a field that is not a place or an address: its text
    as `text_read` reads it, or ("", NOT_TEXT) for a value that is no text of
    this field (`typed_text`)."""
    text = typed_text(spec["type"], raw)
    if text is None:
        return "", NOT_TEXT
    return text_read(text, limit=limit_of(spec), multiline=spec["type"] == "long_text")


# German notation: "1.500,00"; the thousands grouped by dots (or spaces), all
# groups of three; a comma before the decimals.
_NUMBER = re.compile(
    r"(?P<sign>[+-])?(?P<whole>\d{1,3}(?:(?P<sep>[. ])\d{3})(?:(?P=sep)\d{3})*|\d*)"
    r"(?:,(?P<decimals>\d+))?"
)
_CURRENCY = re.compile(r"\s*(€|eur|euro)$", re.IGNORECASE)
NUMBER_INVALID = "Bitte geben Sie eine Zahl ein."
MONEY_INVALID = "Bitte geben Sie einen Betrag in Euro ein, z. B. 12,50."
NUMBER_DOT = (
    "Ein Punkt trennt nur Tausender (1.500). Bitte schreiben Sie Stellen nach dem Komma "
    "mit Komma, z. B. {example}."
)


def number_read(text: str, *, money: bool = False) -> Decimal:
    """A number in German notation: "1.500" is 1500 (a dot followed by exactly
    three digits separates thousands), "1.500,5" is 1500.5, "2,5" is 2.5.
    A dot that separates no thousands ("1.5", "1,500.00") is not guessed at:
    Unreadable with a German message; so are more than 15 digits. A money
    field also takes a trailing "€" or "EUR"."""
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ")
    if money:
        text = _CURRENCY.sub("", text)
    match = _NUMBER.fullmatch(text)
    if match is None or not (match["whole"] or match["decimals"]):
        if "." in text:
            raise Unreadable(NUMBER_DOT.format(example="12,50" if money else "2,5"))
        raise Unreadable(MONEY_INVALID if money else NUMBER_INVALID)
    whole = (match["whole"] or "0").replace(".", "").replace(" ", "")
    decimals = match["decimals"] or ""
    if len((whole + decimals).lstrip("0")) > MAX_DIGITS:
        raise Unreadable(f"Höchstens {MAX_DIGITS} Ziffern.")
    return Decimal(f"{match['sign'] or ''}{whole}.{decimals or '0'}")


ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_GERMAN_DATE = re.compile(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d+)")
DATE_INVALID = "Bitte geben Sie ein gültiges Datum ein (TT.MM.JJJJ)."
YEAR_INVALID = "Bitte geben Sie das Jahr vierstellig ein, z. B. 1985."


def two_digit_year(short: int, *, today: date, latest: date | None = None) -> int:
    """The year a German reader means by "85" or "30": the one with these last
    two digits in the hundred years that end ten years after today's year, or,
    for a field whose latest day (`date_max`) comes earlier, in its year
    (a birth date "1.1.30" is 1930, not 2030). Today 2026: "36" is 2036,
    "37" is 1937; for a birth date "26" is 2026, "27" is 1927."""
    last = today.year + FUTURE_YEARS
    if latest is not None:
        last = min(last, latest.year)
    return last - (last - short) % 100


_RELATIVE = re.compile(r"([+-])(\d{1,4})d")


def relative_day(value: str, today: date) -> date:
    """A day as a form names it relative to today: "today", "+14d", "-6570d"."""
    if value == "today":
        return today
    match = _RELATIVE.fullmatch(value)
    assert match is not None  # the form schema allows nothing else
    days = int(match.group(2))
    return today + timedelta(days=days if match.group(1) == "+" else -days)


def date_read(text: str, *, today: date, latest: date | None = None) -> date:
    """A date as "TT.MM.JJJJ" (typed; "1.1.85" with a two-digit year, see
    `two_digit_year`) or ISO 8601 (a date input). A year below 1000 or of one
    or three digits is Unreadable, as is a day that does not exist."""
    iso, german = ISO_DATE.fullmatch(text), _GERMAN_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif german:
        day, month = int(german[1]), int(german[2])
        digits = german[3]
        if len(digits) == 2:
            year = two_digit_year(int(digits), today=today, latest=latest)
        elif len(digits) == 4:
            year = int(digits)
        else:
            raise Unreadable(YEAR_INVALID)
    else:
        raise Unreadable(DATE_INVALID)
    if year < 1000:
        raise Unreadable(YEAR_INVALID)
    try:
        return date(year, month, day)
    except ValueError:
        raise Unreadable(DATE_INVALID) from None


def _checked(spec: dict[str, Any], value: Any, path: str, problems: dict[str, str]) -> Any:
    """A field's raw value with every text part read, problems noted by path;
    control characters left out, so that the page can show what remains."""
    if "group" in spec:
        entries = value if isinstance(value, list) else []
        inner = {field["key"]: field for field in spec["group"]}
        return [
            {
                key: _checked(inner[key], item, f"{path}.{index}.{key}", problems)
                for key, item in entry.items()
                if key in inner
            }
            if isinstance(entry, dict)
            else {}
            for index, entry in enumerate(entries)
        ]
    kind = spec["type"]
    if kind in PARTS:
        parts = value if isinstance(value, dict) else {}
        kept = {}
        for part in PARTS[kind]:
            if part in parts:
                text, part_problem = part_read(part, parts[part])
                if part_problem:
                    problems.setdefault(path, part_problem)
                kept[part] = without_controls(text)
        return kept
    if isinstance(value, list):  # checkboxes
        kept_values = []
        for item in value:
            text, problem = value_read(spec, item)
            if problem:
                problems.setdefault(path, problem)
            kept_values.append(without_controls(text))
        return kept_values
    if kind == "file" or value is None:  # a file's description (checked on submission)
        return value
    text, problem = value_read(spec, value)
    if problem:
        problems[path] = problem
    return without_controls(text, multiline=kind == "long_text")


def field_specs(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The fields and groups of a definition by key (keys are unique in a form)."""
    return {item["key"]: item for step in definition["steps"] for item in step["items"]}


def answers_checked(
    definition: dict[str, Any], raw: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """(answers as a draft may keep them, problems by answer path). Every text
    part is in NFC and trimmed; answers to fields the form does not have are
    dropped. With problems, nothing may be kept: the answers then show what
    was typed, without its control characters."""
    specs = field_specs(definition)
    problems: dict[str, str] = {}
    answers = {
        key: _checked(specs[key], value, key, problems)
        for key, value in raw.items()
        if key in specs
    }
    return answers, problems

"""Code lists a choice field may take its options from ("code_list": "staat"),
instead of listing them. A draft is saved with the list's options written into
it, so a published version keeps exactly the options its applicants saw, and
API clients read them in the definition like any other options.

The lists come from ISO standards as pycountry ships them (Debian's iso-codes
data with its German translations)."""

from __future__ import annotations

import copy
import gettext
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import pycountry

from openamt.core.text import fold


@dataclass(frozen=True)
class CodeList:
    title: str
    source: str
    entries: Callable[[], Iterator[tuple[str, str]]]  # (value, English name)
    domain: str  # the gettext domain of the German names


def _countries() -> Iterator[tuple[str, str]]:
    for country in pycountry.countries:
        yield country.alpha_2, getattr(country, "common_name", None) or country.name
    # Germany recognises Kosovo, which ISO 3166-1 does not list yet; XK is the
    # code the European Union uses for it. Many applicants here hold its passport.
    yield "XK", "Kosovo"


def _languages() -> Iterator[tuple[str, str]]:
    for language in pycountry.languages:
        if hasattr(language, "alpha_2"):
            yield language.alpha_2, language.name


CODE_LISTS = {
    "staat": CodeList(
        "Staaten und Gebiete", "ISO 3166-1 Alpha-2 und Kosovo", _countries, "iso3166-1"
    ),
    "sprache": CodeList("Sprachen", "ISO 639-1", _languages, "iso639-3"),
}


@cache
def code_list_options(name: str) -> tuple[tuple[str, str], ...]:
    """(value, German label) of a list, in German alphabetical order."""
    code_list = CODE_LISTS[name]
    german = gettext.translation(code_list.domain, pycountry.LOCALES_DIR, languages=["de"])
    options = {value: german.gettext(english) for value, english in code_list.entries()}
    return tuple(sorted(options.items(), key=lambda option: fold(option[1])))


def _fields(definition: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for step in definition.get("steps") or []:
        for item in step.get("items") or [] if isinstance(step, dict) else []:
            if isinstance(item, dict):
                yield item
                yield from (f for f in item.get("group") or [] if isinstance(f, dict))


def code_lists_filled(definition: Any) -> Any:
    """The definition with each known code list's options written into its fields
    (an unknown list is left for `definition_problems` to name)."""
    if not isinstance(definition, dict):
        return definition
    filled = copy.deepcopy(definition)
    for field in _fields(filled):
        if field.get("code_list") in CODE_LISTS:
            field["options"] = [
                {"value": value, "label": label}
                for value, label in code_list_options(field["code_list"])
            ]
    return filled

"""Normalisation of German names for matching (case, diacritics, ß)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value: str) -> str:
    """Case- and accent-insensitive form: "Pößneck, Stadt" -> "possneck, stadt"."""
    value = value.casefold().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()

"""Normalisation of German names for matching (case, diacritics, ß)."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def clean_query(value: str, max_length: int = 100) -> str:
    """User input for a search: printable characters only, trimmed, bounded."""
    return "".join(ch for ch in value if ch.isprintable()).strip()[:max_length]


def fold(value: str) -> str:
    """Case- and accent-insensitive form: "Pößneck, Stadt" -> "possneck, stadt"."""
    value = value.casefold().replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", value)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped).strip()

"""One folding of place names, for every comparison of a typed place with the
register: the place search, the address check of forms, the FIT-Connect area
search. Stored as `Region.name_folded` and `Postcode.place_folded`.

The register and the postcode list write the same place differently
("St.Bernhard" and "Sankt Bernhard", "St. Gangloff"), and people type yet
other variants ("Sankt-Gangloff", "Goessnitz" for Gößnitz, "Pössneck"):
- case, accents and ß as in `core.text.fold` ("Pößneck" -> "possneck");
- the umlaut spellings ae, oe, ue read as the umlaut ("Goessnitz" -> "gossnitz");
- a dot or a hyphen is a space, spaces collapse ("Sankt-Gangloff" -> "sankt gangloff");
- the word "Sankt" is written "St" ("Sankt Gangloff", "St. Gangloff" -> "st gangloff").
  The short form, so that "St", typed as the start of "Stadtroda", still finds it.

A comma (the register's "Erfurt, Stadt"), a slash and brackets stay: the
search matches on them.
"""

from __future__ import annotations

import re

from openamt.core.text import fold

_SEPARATORS = re.compile(r"[.\-‐‑–]+")
_SPACES = re.compile(r"\s+")
_SANKT = re.compile(r"\bsankt\b")
_UMLAUT_SPELLINGS = re.compile(r"([aou])e")


def place_fold(name: str) -> str:
    """The comparable form of a place name: "St.Bernhard", "Sankt Bernhard",
    "sankt-bernhard" -> "st bernhard"; "Gößnitz", "Goessnitz" -> "gossnitz"."""
    value = _SEPARATORS.sub(" ", fold(name))
    value = _UMLAUT_SPELLINGS.sub(r"\1", value)
    value = _SANKT.sub("st", value)
    return _SPACES.sub(" ", value).strip()

"""Legal bases as links: the catalogue's "Name [URL], Name [URL]" and the Land's
texts (one reference per line, a URL in square brackets where known). Where no
link is given, a "§ n" of a federal law we know is linked to gesetze-im-internet.de,
the Federal Ministry of Justice's official consolidated texts."""

import re
from dataclasses import dataclass

# Abbreviation -> path of the law on gesetze-im-internet.de.
FEDERAL_LAWS = {
    "BGB": "bgb",
    "BGG": "bgg",
    "BMG": "bmg",
    "BNatSchG": "bnatschg_2009",
    "BWahlG": "bwahlg",
    "BWO": "bwo_1985",
    "FStrG": "fstrg",
    "GewAnzV": "gewanzv_2014",
    "GewO": "gewo",
    "IfSG": "ifsg",
    "PAuswG": "pauswg",
    "SGB VIII": "sgb_8",
    "StVG": "stvg",
    "StVO": "stvo_2013",
    "VwVfG": "vwvfg",
}
_ITEM = re.compile(r"^(?P<label>[^\[\]]*?)\s*(?:\[(?P<url>[^\]\s]*)\])?$")
# The catalogue puts several references on a line, each closed by its link.
_AFTER_LINK = re.compile(r"(?<=\])\s*,\s*")
_SECTION = re.compile(r"§§?\s*(?P<number>\d+[a-z]?)\b")
_LAW = re.compile(r"\b(" + "|".join(re.escape(a) for a in FEDERAL_LAWS) + r")\b")
OFFICIAL = "http://www.gesetze-im-internet.de/"


@dataclass(frozen=True)
class LegalReference:
    label: str
    url: str  # "" where none is known


def _derived(label: str) -> str:
    law, section = _LAW.search(label), _SECTION.search(label)
    if law is None:
        return ""
    base = f"https://www.gesetze-im-internet.de/{FEDERAL_LAWS[law.group(1)]}/"
    return f"{base}__{section.group('number')}.html" if section else base


def legal_references(text: str) -> list[LegalReference]:
    """The references of a legal-basis text in their order: one per line, or
    several on a line each closed by "[URL]". Given URLs must be http(s) (anything
    else is dropped); the official site's own http links are read as https."""
    references = []
    for line in text.splitlines():
        for part in _AFTER_LINK.split(line.strip()):
            match = _ITEM.match(part.strip())
            # Brackets that hold no link are part of the text.
            label, url = (match.group("label"), match.group("url") or "") if match else (part, "")
            label = label.strip(" ,;")
            if not label:
                continue
            if url.startswith(OFFICIAL):
                url = "https://" + url.removeprefix("http://")
            if not url.startswith(("https://", "http://")):
                url = _derived(label)
            references.append(LegalReference(label=label, url=url))
    return references

"""Parser of Destatis' GV100AD Gemeindeverzeichnis (fixed-width, 220 characters).

Positions follow Destatis' "Datensatzbeschreibung" (Satzarten 10 to 60); they
count characters of the UTF-8 text, as published.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from openamt.core.errors import ImportFormatError
from openamt.regions.constants import Level, RegionKind

RECORD_LENGTH = 220
SATZART_LEVEL = {
    "10": Level.LAND,
    "20": Level.REGIERUNGSBEZIRK,
    "30": Level.REGION,
    "40": Level.KREIS,
    "50": Level.VERBAND,
    "60": Level.GEMEINDE,
}
KINDS_BY_LEVEL = {
    Level.KREIS: {"41", "42", "43", "44", "45"},
    Level.VERBAND: {"50", "51", "52", "53", "54", "55", "56", "57", "58"},
    Level.GEMEINDE: {"60", "61", "62", "63", "64", "65", "66", "67"},
}


@dataclass(frozen=True, slots=True)
class RegionRecord:
    line: int
    level: str
    edition: date
    ars: str
    ags: str
    name: str
    seat: str
    kind: str
    area_ha: int | None = None
    population: int | None = None
    seat_postcode: str = ""
    has_several_postcodes: bool = False


def _digits(value: str, *, what: str, line: int, blank_ok: bool = False) -> str:
    if blank_ok and not value.strip():
        return ""
    if not value.isdigit():
        raise ImportFormatError(f"{what} „{value}“ ist nicht numerisch.", line=line)
    return value


def _number(value: str, *, what: str, line: int) -> int | None:
    if not value.strip():
        return None
    return int(_digits(value, what=what, line=line))


def parse_record(text: str, line: int) -> RegionRecord:
    if len(text) != RECORD_LENGTH:
        raise ImportFormatError(f"Satzlänge {len(text)} statt {RECORD_LENGTH} Zeichen.", line=line)
    satzart = text[0:2]
    level = SATZART_LEVEL.get(satzart)
    if level is None:
        raise ImportFormatError(f"Unbekannte Satzart „{satzart}“.", line=line)
    stamp = _digits(text[2:10], what="Gebietsstand", line=line)
    try:
        edition = date(int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]))
    except ValueError:
        raise ImportFormatError(f"Gebietsstand „{stamp}“ ist kein Datum.", line=line) from None
    land, rb, kreis, gemeinde = text[10:12], text[12:13], text[13:15], text[15:18]
    verband = text[18:22]
    key = {
        Level.LAND: land,
        Level.REGIERUNGSBEZIRK: land + rb,
        Level.REGION: land + rb + text[13:14],
        Level.KREIS: land + rb + kreis,
        Level.VERBAND: land + rb + kreis + verband,
        Level.GEMEINDE: land + rb + kreis + verband + gemeinde,
    }[level]
    _digits(key, what="Regionalschlüssel", line=line)
    name = text[22:72].strip()
    if not name:
        raise ImportFormatError("Bezeichnung fehlt.", line=line)
    kind = text[122:124].strip()
    allowed = KINDS_BY_LEVEL.get(level)
    if allowed is not None and kind not in allowed:
        raise ImportFormatError(
            f"Textkennzeichen „{kind}“ ist für Satzart {satzart} nicht zulässig.", line=line
        )
    if level != Level.GEMEINDE:
        return RegionRecord(
            line=line,
            level=level,
            edition=edition,
            ars=key,
            ags="",
            name=name,
            seat=text[72:122].strip(),
            kind=kind,
        )
    return RegionRecord(
        line=line,
        level=level,
        edition=edition,
        ars=key,
        ags=land + rb + kreis + gemeinde,
        name=name,
        seat="",
        kind=RegionKind(kind).value,
        area_ha=_number(text[128:139], what="Fläche", line=line),
        population=_number(text[139:150], what="Bevölkerung", line=line),
        seat_postcode=_digits(text[165:170], what="Postleitzahl", line=line, blank_ok=True),
        has_several_postcodes=bool(text[170:175].strip()),
    )


def parse_gv100ad(lines: Iterable[str]) -> Iterator[RegionRecord]:
    """Records of a GV100AD file; raises `ImportFormatError` at the first bad line."""
    for number, raw in enumerate(lines, start=1):
        text = raw.rstrip("\r\n")
        if not text.strip():
            continue
        yield parse_record(text, number)

"""Parser of the OSM-derived postcode list (suche-postleitzahl.org, CSV).

Columns: osm_id, ags, ort, plz, landkreis, bundesland. One row per
combination of postcode, municipality and place name.
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openamt.core.errors import ImportFormatError

COLUMNS = ["osm_id", "ags", "ort", "plz", "landkreis", "bundesland"]


@dataclass(frozen=True, slots=True)
class PostcodeRow:
    line: int
    ags: str
    place: str
    postcode: str


def parse_postcodes(lines: Iterable[str]) -> Iterator[PostcodeRow]:
    reader = csv.reader(lines)
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != COLUMNS:
        raise ImportFormatError(f"Kopfzeile muss {','.join(COLUMNS)} lauten.", line=1)
    for fields in reader:
        line = reader.line_num
        if len(fields) != len(COLUMNS):
            raise ImportFormatError(f"{len(fields)} statt {len(COLUMNS)} Spalten.", line=line)
        _osm_id, ags, place, postcode = (f.strip() for f in fields[:4])
        if len(ags) != 8 or not ags.isdigit():
            raise ImportFormatError(f"AGS „{ags}“ hat nicht 8 Ziffern.", line=line)
        if len(postcode) != 5 or not postcode.isdigit():
            raise ImportFormatError(f"Postleitzahl „{postcode}“ hat nicht 5 Ziffern.", line=line)
        if not place:
            raise ImportFormatError("Ortsname fehlt.", line=line)
        yield PostcodeRow(line=line, ags=ags, place=place, postcode=postcode)

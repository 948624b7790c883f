"""Parsers of the LeiKa/OZG catalogue (CSV, KDN "OZG-Datenbank" export)."""

import csv
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from openamt.core.errors import ImportFormatError
from openamt.core.text import fold

CATALOGUE_COLUMNS = [
    "leistungsschluessel",
    "leistungsbezeichnung",
    "typisierung",
    "ozg_id",
    "ozg_leistung",
    "lebenslage",
    "themenfeld",
    "rechtsgrundlage",
    "gesetze",
    "gesetz_kurz",
]
OZG_COLUMNS = ["ozg_id", "ozg_leistung", "lebenslage", "themenfeld"]
NOT_IN_LEIKA = "nicht im LeiKa"


@dataclass(frozen=True, slots=True)
class OzgRow:
    line: int
    ozg_id: int
    name: str
    lebenslage: str
    themenfeld: str


@dataclass(frozen=True, slots=True)
class CatalogueRow:
    line: int
    leika_key: str  # empty when the key is invalid
    in_leika: bool
    name: str
    typisierung: str
    ozg: OzgRow | None
    legal_basis: str
    laws: str


def internal_key(name: str) -> str:
    """A stable 14-character key for a service without Leistungsschlüssel."""
    return "X" + hashlib.sha256(fold(name).encode()).hexdigest()[:13].upper()


def is_leika_key(value: str) -> bool:
    return len(value) == 14 and value.isdigit()


def _rows(lines: Iterable[str], columns: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(lines)
    if reader.fieldnames != columns:
        raise ImportFormatError(f"Kopfzeile muss {','.join(columns)} lauten.", line=1)
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise ImportFormatError(
                f"Zeile hat nicht {len(columns)} Spalten.", line=reader.line_num
            )
        yield reader.line_num, {key: value.strip() for key, value in row.items()}


def _ozg(line: int, row: dict[str, str]) -> OzgRow | None:
    if not row["ozg_id"]:
        return None
    if not row["ozg_id"].isdigit():
        raise ImportFormatError(f"OZG-ID „{row['ozg_id']}“ ist nicht numerisch.", line=line)
    return OzgRow(
        line=line,
        ozg_id=int(row["ozg_id"]),
        name=row["ozg_leistung"],
        lebenslage=row["lebenslage"],
        themenfeld=row["themenfeld"],
    )


def parse_ozg_list(lines: Iterable[str]) -> Iterator[OzgRow]:
    for line, row in _rows(lines, OZG_COLUMNS):
        ozg = _ozg(line, row)
        if ozg is None or not ozg.name:
            raise ImportFormatError("OZG-ID und Bezeichnung sind Pflicht.", line=line)
        yield ozg


def parse_catalogue(lines: Iterable[str]) -> Iterator[CatalogueRow]:
    for line, row in _rows(lines, CATALOGUE_COLUMNS):
        name = row["leistungsbezeichnung"]
        if not name:
            raise ImportFormatError("Leistungsbezeichnung fehlt.", line=line)
        key = row["leistungsschluessel"]
        in_leika = key != NOT_IN_LEIKA
        if not in_leika:
            key = internal_key(name)
        elif not is_leika_key(key):
            key = ""
        yield CatalogueRow(
            line=line,
            leika_key=key,
            in_leika=in_leika,
            name=name,
            typisierung=row["typisierung"],
            ozg=_ozg(line, row),
            legal_basis=row["rechtsgrundlage"],
            laws=row["gesetze"],
        )

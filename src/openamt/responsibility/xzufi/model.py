"""XZuFi 2.2 objects as OpenAmt exchanges them, independent of the database.

`collect` builds a `Document` from the database, `writer` turns it into XML,
`reader` parses XML back into a `Document`, and `store` writes it to the
database. Every sequence is sorted, so the same data always gives the same
bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

NS = "http://xoev.de/schemata/xzufi/2_2_0"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
VERSION = "2.2.0"

# Identifier schemes. ARS and LeiKa are the federal ones FIT-Connect uses too;
# the "urn:openamt:" schemes name this platform's own identifiers.
SCHEME_ARS = "urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs"
SCHEME_LEISTUNG = "urn:openamt:leistung"
SCHEME_OE = "urn:openamt:organisationseinheit"
SCHEME_ONLINEDIENST = "urn:openamt:onlinedienst"
SCHEME_SPEZIALISIERUNG = "urn:openamt:spezialisierung"
SCHEME_OZG = "urn:de:ozg:leistung"
SCHEME_LEITWEG_ID = "urn:de:xoev:xrechnung:leitweg-id"
SCHEME_ZUST_OE = "ZustaendigkeitOrganisationseinheit"
SCHEME_ZUST_OD = "ZustaendigkeitOnlinedienst"

# Code lists: (listURI, listVersionID).
LIST_LEIKA = ("urn:de:fim:leika:leistung", "1")
LIST_TEXTMODUL = ("urn:de:xzufi:codeliste:leistungstextmodulleika", "20240216")
LIST_TYPISIERUNG = ("urn:de:fim:leika:typisierung", "1")
LIST_ANSCHRIFTTYP = ("urn:xoev-de:fim:codeliste:xzufi.anschrifttyp", "2.0")
LIST_ERREICHBARKEIT = ("urn:de:xoev:codeliste:erreichbarkeit", "3")
LIST_ROLLE = ("urn:xoev-de:fim:codeliste:xzufi.zustaendigkeitsrolle", "1.0")
LIST_LINKTYP = ("urn:xoev-de:fim:codeliste:onlinedienstlinktyp", "1.0")
LIST_WOCHENTAG = ("urn:xoev-de:xzufi:codeliste:wochentag", "1.0")
LIST_BEHOERDENART = ("urn:openamt:codeliste:behoerdenart", "1")
LIST_BEGRIFFSART = ("urn:openamt:codeliste:begriffsart", "1")

ANSCHRIFT_BESUCHER = "002"
LINK_ANTRAG = "01"

# LeiKa text modules the Leistung carries as modulText, by Service/ServiceText field.
TEXT_MODULES = {
    "description": "06",
    "legal_basis": "07",
    "required_documents": "08",
    "forms": "14",
}
MODULE_NAME = "02"
# Fees, deadlines and processing time have their own modules in XZuFi.
OWN_MODULES = {
    "deadlines": "modulFrist",
    "fees": "modulKosten",
    "processing_time": "modulBearbeitungsdauer",
}
TEXT_FIELDS = [*TEXT_MODULES, *OWN_MODULES]

# Erreichbarkeit codes of the contact channels an authority has.
CHANNELS = {"email": "01", "phone": "02", "website": "09"}

# ResponsibilityRole -> XZuFi Zuständigkeitsrolle.
ROLE_CODES = {"zustaendig": "02", "ansprechpunkt": "03", "ausfuehrung": "04"}
ROLES = {code: role for role, code in ROLE_CODES.items()}


def typisierung_codes(value: str) -> tuple[str, ...]:
    """The codes of a Service.typisierung ("1, 2/3" -> ("1", "2/3"))."""
    return tuple(code.strip() for code in value.split(",") if code.strip())


@dataclass(frozen=True)
class Texts:
    description: str = ""
    legal_basis: str = ""
    required_documents: str = ""
    forms: str = ""
    deadlines: str = ""
    fees: str = ""
    processing_time: str = ""


@dataclass(frozen=True)
class Ozg:
    ozg_id: int
    name: str
    lebenslage: str
    themenfeld: str


@dataclass(frozen=True)
class Leistung:
    key: str
    name: str
    in_leika: bool = True
    typisierung: tuple[str, ...] = ()
    texts: Texts = Texts()
    terms: tuple[tuple[str, str], ...] = ()  # (kind, term)
    ozg: Ozg | None = None


@dataclass(frozen=True)
class Zustaendigkeit:
    leistung: str  # leika_key
    gebiete: tuple[str, ...]  # ARS (prefixes of the Gemeinden covered)
    role: str = "zustaendig"
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True)
class OpeningPeriod:
    day: int
    opens: str
    closes: str
    note: str = ""


@dataclass(frozen=True)
class Organisationseinheit:
    id: str  # the authority's destination_id
    name: str
    kind: str
    register_ars: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    opening_hours: tuple[OpeningPeriod, ...] = ()
    leitweg_id: str = ""
    iban: str = ""
    bic: str = ""
    account_holder: str = ""
    zustaendigkeiten: tuple[Zustaendigkeit, ...] = ()


@dataclass(frozen=True)
class Onlinedienst:
    id: str
    name: str
    url: str
    zustaendigkeiten: tuple[Zustaendigkeit, ...] = ()


@dataclass(frozen=True)
class Spezialisierung:
    leistung: str
    organisationseinheit: str
    texts: Texts


@dataclass
class Document:
    leistungen: list[Leistung] = field(default_factory=list)
    organisationseinheiten: list[Organisationseinheit] = field(default_factory=list)
    onlinedienste: list[Onlinedienst] = field(default_factory=list)
    spezialisierungen: list[Spezialisierung] = field(default_factory=list)

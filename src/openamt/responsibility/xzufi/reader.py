"""XZuFi 2.2 XML into a `Document`, through the hardened parser.

Elements are looked up by name, not position, and unknown ones are ignored,
so documents from other editorial systems (PVOG dumps carry many more
modules) are read as far as OpenAmt has a place for their content. Missing
essentials are errors that name the line.
"""

from __future__ import annotations

import re
from datetime import date

from lxml import etree

from openamt.core.errors import ImportFormatError
from openamt.core.xml import parse_xml
from openamt.responsibility.xzufi import model as m

_Q = f"{{{m.NS}}}"
_KEY = re.compile(r"\d{14}|X[0-9A-F]{13}")
_ARS = re.compile(r"\d{2,12}")
_TYPISIERUNG = re.compile(r"[0-9/]{1,5}")
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?")
_MODULES = {code: name for name, code in m.TEXT_MODULES.items()}
_ROLES = {**m.ROLES, "01": "zustaendig"}  # 01: zuständige Stelle und Ansprechpunkt
_CHANNELS = {"01": "email", "02": "phone", "03": "phone", "09": "website"}


def _all(element: etree._Element, name: str) -> list[etree._Element]:
    return element.findall(_Q + name)


def _one(element: etree._Element, name: str) -> etree._Element | None:
    return element.find(_Q + name)


def _text(element: etree._Element | None, name: str) -> str:
    child = None if element is None else element.find(_Q + name)
    return (child.text or "").strip() if child is not None else ""


def _german(element: etree._Element, name: str) -> str:
    """The German one of a multilingual text element (or the only one)."""
    candidates = _all(element, name)
    for child in candidates:
        if (child.get("languageCode") or "de").lower().startswith("de"):
            return (child.text or "").strip()
    return (candidates[0].text or "").strip() if candidates else ""


def _code(element: etree._Element | None, name: str) -> str:
    child = None if element is None else element.find(_Q + name)
    code = None if child is None else child.find("code")
    return (code.text or "").strip() if code is not None else ""


def _fail(element: etree._Element, message: str) -> ImportFormatError:
    return ImportFormatError(message, line=element.sourceline or 1)


def _texts(element: etree._Element) -> m.Texts:
    values: dict[str, str] = {}
    for module in _all(element, "modulText"):
        field = _MODULES.get(_code(module, "leikaTextmodul"))
        if field and not values.get(field):
            values[field] = _german(module, "inhalt")
    for field, name in m.OWN_MODULES.items():
        module = _one(element, name)
        if module is not None:
            values[field] = _german(module, "beschreibung")
    return m.Texts(**values)


def _date(element: etree._Element | None, name: str) -> date | None:
    value = _text(element, name)[:10]
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(element, f"„{value}“ ist kein Datum (JJJJ-MM-TT).") from None


class _Reader:
    def __init__(self) -> None:
        self.document = m.Document()
        self.notes: list[str] = []
        self.keys: dict[str, str] = {}  # Leistung id -> leika_key

    def key_of(self, element: etree._Element, name: str = "leistungID") -> str:
        child = _one(element, name)
        value = (child.text or "").strip() if child is not None else ""
        key = self.keys.get(value, value)
        if not _KEY.fullmatch(key):
            raise _fail(child if child is not None else element, f"Unbekannte Leistung „{value}“.")
        return key

    def gebiete(self, element: etree._Element) -> tuple[str, ...]:
        values = []
        for child in _all(element, "gebietID"):
            value = (child.text or "").strip()
            if not _ARS.fullmatch(value):
                raise _fail(child, f"Gebiet „{value}“ ist kein Regionalschlüssel (2–12 Ziffern).")
            values.append(value)
        if not values:
            raise _fail(element, "Eine Zuständigkeit nennt kein Gebiet (gebietID).")
        return tuple(values)

    def leistung(self, element: etree._Element) -> None:
        own_id = _text(element, "id")
        leika = _code(element, "referenzLeiKa")
        key = leika or own_id
        if not _KEY.fullmatch(key):
            if leika:
                raise _fail(element, f"„{leika}“ ist kein Leistungsschlüssel (14 Ziffern).")
            self.notes.append(
                f"Zeile {element.sourceline}: Leistung „{own_id}“ ohne LeiKa-Schlüssel übersprungen"
            )
            return
        names = {
            _code(t, "leikaTextmodul"): _german(t, "inhalt") for t in _all(element, "modulText")
        }
        name = names.get(m.MODULE_NAME) or names.get("03") or ""
        if not name:
            raise _fail(element, f"Leistung {key} hat keine Bezeichnung (Textmodul 02).")
        typisierung = tuple(
            (code.text or "").strip()
            for t in _all(element, "typisierung")
            for code in t.findall("code")
        )
        bad = [code for code in typisierung if not _TYPISIERUNG.fullmatch(code)]
        if bad:
            raise _fail(element, f"Typisierung „{bad[0]}“ ist ungültig.")
        terms = tuple(
            (_code(entry, "typ") or "keyword", _german(entry, "begriff"))
            for module in _all(element, "modulBegriffImKontext")
            for entry in _all(module, "begriffImKontext")
            if _german(entry, "begriff")
        )
        ozg = None
        for category in _all(element, "kategorie"):
            ident = _one(category, "id")
            if ident is not None and ident.get("schemeID") == m.SCHEME_OZG:
                classes = {
                    c.get("schemeID"): (c.text or "").strip()
                    for k in _all(category, "klasse")
                    for c in _all(k, "id")
                }
                if not (ident.text or "").strip().isdigit():
                    raise _fail(ident, "Die OZG-ID ist keine Zahl.")
                ozg = m.Ozg(
                    ozg_id=int((ident.text or "").strip()),
                    name=_german(category, "bezeichnung"),
                    lebenslage=classes.get(m.SCHEME_OZG + ":lebenslage", ""),
                    themenfeld=classes.get(m.SCHEME_OZG + ":themenfeld", ""),
                )
        self.keys[own_id] = key
        self.document.leistungen.append(
            m.Leistung(
                key=key,
                name=name,
                in_leika=bool(leika),
                typisierung=typisierung,
                texts=_texts(element),
                terms=terms,
                ozg=ozg,
            )
        )

    def organisationseinheit(self, element: etree._Element) -> None:
        own_id = _text(element, "id")
        name_element = _one(element, "name")
        name = _german(name_element, "name") if name_element is not None else ""
        if not own_id or not name:
            raise _fail(element, "Eine Organisationseinheit braucht id und Namen.")
        secondary = {
            c.get("schemeID"): (c.text or "").strip() for c in _all(element, "idSekundaer")
        }
        address = next(iter(_all(element, "anschrift")), None)
        street = " ".join(filter(None, (_text(address, "strasse"), _text(address, "hausnummer"))))
        contact: dict[str, str] = {}
        for channel in _all(element, "kommunikation"):
            field = _CHANNELS.get(_code(channel, "kanal"))
            if field and field not in contact:
                contact[field] = _text(channel, "kennung")
        hours = []
        for hours_element in _all(element, "oeffnungszeiten"):
            for span in _all(hours_element, "zeitraum"):
                day, opens, closes = (
                    _code(span, "wochentag"),
                    _text(span, "beginn"),
                    _text(span, "ende"),
                )
                if not (
                    day in "1234567"
                    and len(day) == 1
                    and _TIME.fullmatch(opens)
                    and _TIME.fullmatch(closes)
                ):
                    raise _fail(span, "Öffnungszeit: Wochentag 1–7, Beginn und Ende als HH:MM.")
                hours.append(
                    m.OpeningPeriod(int(day) - 1, opens[:5], closes[:5], _german(span, "zusatz"))
                )
        bank = _one(element, "bankverbindung")
        zustaendigkeiten = []
        for zust in _all(element, "zustaendigkeit"):
            role = _ROLES.get(_code(zust, "rolle") or "02")
            if role is None:
                self.notes.append(
                    f"Zeile {zust.sourceline}: Rolle „{_code(zust, 'rolle')}“ übersprungen"
                )
                continue
            validity = _one(zust, "gueltigkeit")
            zustaendigkeiten.append(
                m.Zustaendigkeit(
                    leistung=self.key_of(zust),
                    gebiete=self.gebiete(zust),
                    role=role,
                    valid_from=_date(validity, "beginn"),
                    valid_until=_date(validity, "ende"),
                )
            )
        self.document.organisationseinheiten.append(
            m.Organisationseinheit(
                id=own_id,
                name=name,
                kind=_code(element, "typ"),
                register_ars=secondary.get(m.SCHEME_ARS, ""),
                street=street,
                postcode=_text(address, "postleitzahl"),
                city=_text(address, "ort"),
                opening_hours=tuple(hours),
                leitweg_id=secondary.get(m.SCHEME_LEITWEG_ID, ""),
                iban=_text(bank, "iban"),
                bic=_text(bank, "bic"),
                account_holder=_text(bank, "kontoinhaber"),
                zustaendigkeiten=tuple(zustaendigkeiten),
                **contact,
            )
        )

    def onlinedienst(self, element: etree._Element) -> None:
        links = _all(element, "link")
        chosen = next((link for link in links if _code(link, "typ") == m.LINK_ANTRAG), None)
        url = _text(chosen, "link") if chosen is not None else ""
        if not url:
            self.notes.append(
                f"Zeile {element.sourceline}: Onlinedienst ohne Antragslink übersprungen"
            )
            return
        self.document.onlinedienste.append(
            m.Onlinedienst(
                id=_text(element, "id"),
                name=_german(element, "bezeichnung"),
                url=url,
                zustaendigkeiten=tuple(
                    m.Zustaendigkeit(leistung=self.key_of(z), gebiete=self.gebiete(z))
                    for z in _all(element, "zustaendigkeit")
                ),
            )
        )

    def spezialisierung(self, element: etree._Element) -> None:
        self.document.spezialisierungen.append(
            m.Spezialisierung(
                leistung=self.key_of(element),
                organisationseinheit=_text(element, "organisationseinheitID"),
                texts=_texts(element),
            )
        )


_ORDER = ["leistung", "organisationseinheit", "onlinedienst", "spezialisierung"]


def read_document(data: bytes) -> tuple[m.Document, list[str]]:
    """The objects of an XZuFi 2.2 document, and notes on what was skipped."""
    root = parse_xml(data)
    if etree.QName(root).namespace != m.NS or not (root.get("xzufiVersion") or "").startswith(
        "2.2"
    ):
        raise ImportFormatError(
            "Dies ist kein XZuFi-2.2-Dokument (Namensraum http://xoev.de/schemata/xzufi/2_2_0, "
            'Attribut xzufiVersion="2.2.0").',
            line=root.sourceline or 1,
        )
    reader = _Reader()
    objects = [obj for write in _all(root, "schreibe") for obj in write if isinstance(obj.tag, str)]
    # Leistungen first: the other objects refer to them by their id.
    for kind in _ORDER:
        for obj in objects:
            if etree.QName(obj).localname == kind:
                getattr(reader, kind)(obj)
    others = sorted({etree.QName(o).localname for o in objects} - set(_ORDER))
    if others:
        reader.notes.append(f"Nicht übernommen: {', '.join(others)}")
    return reader.document, reader.notes

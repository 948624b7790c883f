"""A `Document` as XZuFi 2.2 XML: one `schreibe` per object, in a fixed order.

The message header carries no clock time unless asked for: its UUID is
derived from the content, so the same data gives byte-identical documents
(and a receiver can recognise a message it has already processed).
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from lxml import etree

from openamt.responsibility.xzufi import model as m

_Q = f"{{{m.NS}}}"


def _el(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _Q + name, attrs)
    if text is not None:
        element.text = text
    return element


def _de(parent: etree._Element, name: str, text: str) -> etree._Element:
    return _el(parent, name, text, languageCode="de")


def _code(parent: etree._Element, name: str, code_list: tuple[str, str], code: str) -> None:
    element = _el(parent, name, listURI=code_list[0], listVersionID=code_list[1])
    # XÖV code types keep their `code` child outside the standard's namespace.
    etree.SubElement(element, "code").text = code


def _id(parent: etree._Element, name: str, value: str, scheme: str, agency: str) -> None:
    _el(parent, name, value, schemeAgencyID=agency, schemeID=scheme)


def _texts(parent: etree._Element, texts: m.Texts) -> None:
    for field, module in m.TEXT_MODULES.items():
        value = getattr(texts, field)
        if value:
            text = _el(parent, "modulText")
            _code(text, "leikaTextmodul", m.LIST_TEXTMODUL, module)
            _de(text, "inhalt", value)
    for field, element in m.OWN_MODULES.items():
        value = getattr(texts, field)
        if value:
            _de(_el(parent, element), "beschreibung", value)


def _leistung(parent: etree._Element, leistung: m.Leistung, agency: str) -> None:
    element = _el(parent, "leistung")
    _id(element, "id", leistung.key, m.SCHEME_LEISTUNG, agency)
    if leistung.in_leika:
        _code(element, "referenzLeiKa", m.LIST_LEIKA, leistung.key)
    name = _el(element, "modulText")
    _code(name, "leikaTextmodul", m.LIST_TEXTMODUL, m.MODULE_NAME)
    _de(name, "inhalt", leistung.name)
    _texts(element, leistung.texts)
    if leistung.terms:
        terms = _el(element, "modulBegriffImKontext")
        for kind, term in leistung.terms:
            entry = _el(terms, "begriffImKontext")
            _de(entry, "begriff", term)
            _code(entry, "typ", m.LIST_BEGRIFFSART, kind)
    for code in leistung.typisierung:
        _code(element, "typisierung", m.LIST_TYPISIERUNG, code)
    if leistung.ozg:
        category = _el(element, "kategorie")
        _el(category, "id", str(leistung.ozg.ozg_id), schemeID=m.SCHEME_OZG)
        _de(category, "bezeichnung", leistung.ozg.name)
        for scheme, value in (
            (m.SCHEME_OZG + ":lebenslage", leistung.ozg.lebenslage),
            (m.SCHEME_OZG + ":themenfeld", leistung.ozg.themenfeld),
        ):
            _el(_el(category, "klasse"), "id", value, schemeID=scheme)


def _zustaendigkeit(
    parent: etree._Element, z: m.Zustaendigkeit, own_id: str, scheme: str, agency: str
) -> etree._Element:
    element = _el(parent, "zustaendigkeit")
    _id(element, "id", own_id, scheme, agency)
    _id(element, "leistungID", z.leistung, m.SCHEME_LEISTUNG, agency)
    for ars in z.gebiete:
        _el(element, "gebietID", ars, schemeID=m.SCHEME_ARS)
    return element


def _organisationseinheit(parent: etree._Element, oe: m.Organisationseinheit, agency: str) -> None:
    element = _el(
        parent,
        "organisationseinheit",
        **{f"{{{m.XSI}}}type": "xzufi:OrganisationseinheitErweitert"},
    )
    _id(element, "id", oe.id, m.SCHEME_OE, agency)
    if oe.register_ars:
        _el(element, "idSekundaer", oe.register_ars, schemeID=m.SCHEME_ARS)
    if oe.leitweg_id:
        _el(element, "idSekundaer", oe.leitweg_id, schemeID=m.SCHEME_LEITWEG_ID)
    _de(_el(element, "name"), "name", oe.name)
    _code(element, "typ", m.LIST_BEHOERDENART, oe.kind)
    if oe.street or oe.postcode or oe.city:
        address = _el(element, "anschrift")
        _code(address, "typ", m.LIST_ANSCHRIFTTYP, m.ANSCHRIFT_BESUCHER)
        for name, value in (
            ("strasse", oe.street),
            ("postleitzahl", oe.postcode),
            ("ort", oe.city),
        ):
            if value:
                _el(address, name, value)
    for field, channel in m.CHANNELS.items():
        value = getattr(oe, field)
        if value:
            contact = _el(element, "kommunikation")
            _code(contact, "kanal", m.LIST_ERREICHBARKEIT, channel)
            _el(contact, "kennung", value)
    if oe.opening_hours:
        hours = _el(element, "oeffnungszeiten")
        for period in oe.opening_hours:
            span = _el(hours, "zeitraum")
            _code(span, "wochentag", m.LIST_WOCHENTAG, str(period.day + 1))
            _el(span, "beginn", period.opens)
            _el(span, "ende", period.closes)
            if period.note:
                _de(span, "zusatz", period.note)
    if oe.iban:
        bank = _el(element, "bankverbindung")
        for name, value in (
            ("iban", oe.iban),
            ("bic", oe.bic),
            ("kontoinhaber", oe.account_holder),
        ):
            if value:
                _el(bank, name, value)
    for number, z in enumerate(oe.zustaendigkeiten, start=1):
        zust = _zustaendigkeit(element, z, f"{oe.id}_{number}", m.SCHEME_ZUST_OE, agency)
        _code(zust, "rolle", m.LIST_ROLLE, m.ROLE_CODES[z.role])
        if z.valid_from or z.valid_until:
            validity = _el(zust, "gueltigkeit")
            if z.valid_from:
                _el(validity, "beginn", z.valid_from.isoformat())
            if z.valid_until:
                _el(validity, "ende", z.valid_until.isoformat())


def _onlinedienst(parent: etree._Element, od: m.Onlinedienst, agency: str) -> None:
    element = _el(parent, "onlinedienst", **{f"{{{m.XSI}}}type": "xzufi:OnlinedienstErweitert"})
    _id(element, "id", od.id, m.SCHEME_ONLINEDIENST, agency)
    _de(element, "bezeichnung", od.name)
    link = _el(element, "link", languageCode="de")
    _code(link, "typ", m.LIST_LINKTYP, m.LINK_ANTRAG)
    _el(link, "link", od.url)
    for number, z in enumerate(od.zustaendigkeiten, start=1):
        _zustaendigkeit(element, z, f"{od.id}_{number}", m.SCHEME_ZUST_OD, agency)


def _spezialisierung(parent: etree._Element, spec: m.Spezialisierung, agency: str) -> None:
    element = _el(parent, "spezialisierung")
    _id(
        element,
        "id",
        f"{spec.leistung}_{spec.organisationseinheit}",
        m.SCHEME_SPEZIALISIERUNG,
        agency,
    )
    _id(element, "leistungID", spec.leistung, m.SCHEME_LEISTUNG, agency)
    _id(element, "organisationseinheitID", spec.organisationseinheit, m.SCHEME_OE, agency)
    _texts(element, spec.texts)


def document_xml(
    document: m.Document, *, agency: str, sender: str, created: datetime | None = None
) -> bytes:
    """The document as UTF-8 XML bytes."""
    root = etree.Element(
        _Q + "transfer",
        {
            "xzufiVersion": m.VERSION,
            "produktbezeichnung": "OpenAmt",
            "produkthersteller": "OpenAmt",
        },
        nsmap={"xzufi": m.NS, "xsi": m.XSI},
    )
    for leistung in document.leistungen:
        _leistung(_el(root, "schreibe"), leistung, agency)
    for oe in document.organisationseinheiten:
        _organisationseinheit(_el(root, "schreibe"), oe, agency)
    for od in document.onlinedienste:
        _onlinedienst(_el(root, "schreibe"), od, agency)
    for spec in document.spezialisierungen:
        _spezialisierung(_el(root, "schreibe"), spec, agency)
    digest = hashlib.sha256(etree.tostring(root, encoding="UTF-8")).hexdigest()
    header = etree.Element(_Q + "nachrichtenkopf")
    root.insert(0, header)
    _el(header, "nachrichtUUID", str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:openamt:xzufi:{digest}")))
    if created is not None:
        _el(header, "erstelltDatumZeit", created.isoformat(timespec="seconds"))
    _de(_el(header, "sender"), "name", sender)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

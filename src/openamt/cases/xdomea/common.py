"""Pieces every xdomea 3.0 Aussonderung message shares: namespace, message
types, the message head (Nachrichtenkopf) and the contact of sender and receiver."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from lxml import etree

from openamt.cases.xdomea.records import Organisation
from openamt.core.errors import DomainError

XDOMEA_VERSION = "3.0.0"
NS = f"urn:xoev-de:xdomea:schema:{XDOMEA_VERSION}"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# The specification requires the prefix `xdomea` and names the message schema
# in xsi:schemaLocation of the root element.
NSMAP = {"xdomea": NS, "xsi": XSI}
SCHEMA_LOCATION = f"{NS} xdomea-Nachrichten-AussonderungDurchfuehren.xsd"


class XdomeaError(DomainError):
    """The Aussonderung cannot go on as asked (message not built or not read)."""

    code = "xdomea"
    status = 422
    title = "Die xdomea-Aussonderung ist nicht möglich."


class XdomeaMessageError(XdomeaError):
    """A message from the archive is refused: nothing of it is used."""

    code = "xdomea_message"
    title = "Die xdomea-Nachricht wird nicht angenommen."


class XdomeaProcessMismatch(XdomeaMessageError):
    """A well-formed answer of the archive that belongs to another process."""

    code = "xdomea_process_mismatch"
    status = 409


class XdomeaIntegrityError(XdomeaError):
    """A document's bytes no longer match the SHA-256 recorded when it was filed."""

    code = "xdomea_integrity"
    status = 409
    title = "Ein Dokument der Akte ist nicht unversehrt."


NACHRICHTENTYP_LIST = ("urn:xoev-de:xdomea:codeliste:nachrichtentyp", "2.0")
AUSSONDERUNGSART_LIST = ("urn:xoev-de:xdomea:codeliste:aussonderungsart", "1.0")
BEWERTUNGSVORSCHLAG_LIST = ("urn:xoev-de:xdomea:codeliste:bewertungsvorschlag", "1.0")
DATEIFORMAT_LIST = ("urn:xoev-de:xdomea:codeliste:dateiformat", "1.0")
DATENTYP_LIST = ("urn:xoev-de:xdomea:codeliste:datentyp", "1.1")


@dataclass(frozen=True)
class MessageType:
    """One message of the Aussonderung (code list Nachrichtentyp 2.0)."""

    code: str
    element: str  # root element without the code suffix
    label: str  # German name for messages to operators

    @property
    def root(self) -> str:
        return f"{self.element}.{self.code}"

    def file_name(self, process_id: UUID, suffix: str) -> str:
        """`{ProzessID}_Aussonderung.Aussonderung.0503.zip`: the name archives
        (e.g. the Landesarchiv Thüringen's x-man) sort incoming messages by."""
        return f"{process_id}_{self.root}.{suffix}"


OFFER = MessageType("0501", "Aussonderung.Anbieteverzeichnis", "Anbieteverzeichnis")
APPRAISAL = MessageType("0502", "Aussonderung.Bewertungsverzeichnis", "Bewertungsverzeichnis")
TRANSFER = MessageType("0503", "Aussonderung.Aussonderung", "Aussonderung")
OFFER_RECEIPT = MessageType(
    "0504", "Aussonderung.AnbietungEmpfangBestaetigen", "Empfangsbestätigung"
)
APPRAISAL_RECEIPT = MessageType(
    "0505", "Aussonderung.BewertungEmpfangBestaetigen", "Empfangsbestätigung"
)
IMPORT_CONFIRMATION = MessageType(
    "0506", "Aussonderung.AussonderungImportBestaetigen", "Importbestätigung"
)
TRANSFER_RECEIPT = MessageType(
    "0507", "Aussonderung.AussonderungEmpfangBestaetigen", "Empfangsbestätigung"
)
MESSAGE_TYPES = {
    m.code: m
    for m in (
        OFFER,
        APPRAISAL,
        TRANSFER,
        OFFER_RECEIPT,
        APPRAISAL_RECEIPT,
        IMPORT_CONFIRMATION,
        TRANSFER_RECEIPT,
    )
}

# XML 1.0 cannot carry C0 controls (except tab, newline, carriage return),
# lone surrogates or U+FFFE/U+FFFF; lxml refuses them outright.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """`value` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", value)


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def sub(parent: etree._Element, name: str, text: str | None = None) -> etree._Element:
    """A child in the xdomea namespace, with text when given."""
    element = etree.SubElement(parent, q(name))
    if text is not None:
        element.text = xml_text(text)
    return element


def code_sub(
    parent: etree._Element, name: str, code: str, code_list: tuple[str, str]
) -> etree._Element:
    """A code of an XÖV code list: its `code` child is unqualified (xoev-code 1.0)."""
    element = sub(parent, name)
    element.set("listURI", code_list[0])
    element.set("listVersionID", code_list[1])
    etree.SubElement(element, "code").text = code
    return element


def root_new(message: MessageType) -> etree._Element:
    root = etree.Element(q(message.root), nsmap=NSMAP)
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    return root


def contact_sub(parent: etree._Element, name: str, organisation: Organisation) -> None:
    """Sender or receiver as KontaktType: Behördenkennung and Institution."""
    contact = sub(parent, name)
    identification = sub(contact, "Behoerdenkennung")
    key = sub(identification, "Behoerdenschluessel")
    etree.SubElement(key, "code").text = xml_text(organisation.code)
    if organisation.prefix:
        prefix = sub(identification, "Praefix")
        etree.SubElement(prefix, "code").text = xml_text(organisation.prefix)
    institution = sub(contact, "Institution")
    sub(institution, "Name", organisation.name)
    if organisation.short_name:
        sub(institution, "Kurzbezeichnung", organisation.short_name)


def head_sub(
    root: etree._Element,
    *,
    message: MessageType,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    created_at: datetime | None = None,
    system: tuple[str, str] | None = None,
) -> etree._Element:
    """The Kopf (NkBasisType) up to its optional parts; the caller appends the
    flags of the extended head types (Empfangsbestaetigung, …)."""
    head = sub(root, "Kopf")
    sub(head, "ProzessID", str(process_id))
    code_sub(head, "Nachrichtentyp", message.code, NACHRICHTENTYP_LIST)
    moment = (created_at or datetime.now(UTC)).replace(microsecond=0)
    sub(head, "Erstellungszeitpunkt", moment.isoformat())
    contact_sub(head, "Absender", sender)
    contact_sub(head, "Empfaenger", receiver)
    if system:
        sending = sub(head, "SendendesSystem")
        sub(sending, "Produktname", system[0])
        sub(sending, "Version", system[1])
    return head


def boolean(value: bool) -> str:
    return "1" if value else "0"


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

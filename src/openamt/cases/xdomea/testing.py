"""The archive's side of the Aussonderung, for tests and the development setup:
the answers a Landesarchiv writes (xdomea 3.0.0 0502, 0504, 0506, 0507), and a
reader of the transfer package as the archive unpacks it.

Production never sends these; they let the authority's side be tested end to
end against messages that are themselves valid against the xdomea schema.
"""

import hashlib
import io
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from openamt.cases.xdomea.build import PRUEFSUMME_KENNUNG, BuiltMessage
from openamt.cases.xdomea.common import (
    APPRAISAL,
    AUSSONDERUNGSART_LIST,
    IMPORT_CONFIRMATION,
    NS,
    OFFER_RECEIPT,
    TRANSFER,
    TRANSFER_RECEIPT,
    MessageType,
    boolean,
    code_sub,
    head_sub,
    root_new,
    serialize,
    sub,
)
from openamt.cases.xdomea.records import Appraisal, Organisation
from openamt.core.xml import parse_xml

_NSMAP = {"x": NS}


def _message(root_message: MessageType, process_id: UUID, content: bytes) -> BuiltMessage:
    return BuiltMessage(
        process_id, root_message.code, root_message.file_name(process_id, "xml"), content
    )


def appraisal_build(
    *,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    decisions: Mapping[UUID, Appraisal],
    created_at: datetime | None = None,
    receipt_wanted: bool = False,
) -> BuiltMessage:
    """A Bewertungsverzeichnis 0502 deciding each file id with A, B or V."""
    root = root_new(APPRAISAL)
    head = head_sub(
        root,
        message=APPRAISAL,
        process_id=process_id,
        sender=sender,
        receiver=receiver,
        created_at=created_at,
    )
    sub(head, "Empfangsbestaetigung", boolean(receipt_wanted))
    for file_id, decision in decisions.items():
        item = sub(root, "BewertetesObjekt")
        sub(item, "ID", str(file_id))
        code_sub(
            sub(item, "Aussonderungsart"), "Aussonderungsart", decision.value, AUSSONDERUNGSART_LIST
        )
    return _message(APPRAISAL, process_id, serialize(root))


def _receipt_build(
    message: MessageType,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    created_at: datetime | None,
) -> BuiltMessage:
    root = root_new(message)
    head_sub(
        root,
        message=message,
        process_id=process_id,
        sender=sender,
        receiver=receiver,
        created_at=created_at,
    )
    return _message(message, process_id, serialize(root))


def offer_receipt_build(
    *,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    created_at: datetime | None = None,
) -> BuiltMessage:
    """An Empfangsbestätigung 0504 for the offer of `process_id`."""
    return _receipt_build(OFFER_RECEIPT, process_id, sender, receiver, created_at)


def transfer_receipt_build(
    *,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    created_at: datetime | None = None,
) -> BuiltMessage:
    """An Empfangsbestätigung 0507 for the transfer of `process_id`."""
    return _receipt_build(TRANSFER_RECEIPT, process_id, sender, receiver, created_at)


def import_confirmation_build(
    *,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    taken_over: Iterable[UUID],
    refused: Mapping[UUID, str] | None = None,
    created_at: datetime | None = None,
) -> BuiltMessage:
    """An Importbestätigung 0506: `taken_over` imported (with an archive id
    `Best. 1/<n>`), `refused` not imported, each with its error text."""
    root = root_new(IMPORT_CONFIRMATION)
    head_sub(
        root,
        message=IMPORT_CONFIRMATION,
        process_id=process_id,
        sender=sender,
        receiver=receiver,
        created_at=created_at,
    )
    for number, file_id in enumerate(taken_over, start=1):
        item = sub(root, "AusgesondertesSGO")
        sub(item, "IDSGO", str(file_id))
        sub(item, "Erfolgreich", boolean(True))
        sub(item, "Archivkennung", f"Best. 1/{number}")
    for file_id, reason in (refused or {}).items():
        item = sub(root, "AusgesondertesSGO")
        sub(item, "IDSGO", str(file_id))
        sub(item, "Erfolgreich", boolean(False))
        sub(item, "Fehlermeldung", reason)
    return _message(IMPORT_CONFIRMATION, process_id, serialize(root))


@dataclass(frozen=True)
class TransferContents:
    """A 0503 package as the archive unpacks it.

    `message` is the XML; `checksums` maps each primary file name to the
    SHA-256 the message records for it; `digests` maps each file in the package
    (other than the message) to the SHA-256 of its actual bytes.
    """

    process_id: UUID
    message: bytes
    checksums: dict[str, str]
    digests: dict[str, str]
    file_ids: tuple[UUID, ...]


def transfer_contents(data: bytes) -> TransferContents:
    """Unpack a 0503 ZIP package (trusted: one built by `build.transfer_build`)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        suffix = f"_{TRANSFER.root}.xml"
        (message_name,) = [n for n in names if n.endswith(suffix)]
        message = package.read(message_name)
        digests = {
            name: hashlib.sha256(package.read(name)).hexdigest()
            for name in names
            if name != message_name
        }
    root = parse_xml(message)
    checksums: dict[str, str] = {}
    for extension in root.iterfind(".//x:Dokument/x:AnwendungsspezifischeErweiterung", _NSMAP):
        if extension.findtext("x:Kennung", "", _NSMAP) != PRUEFSUMME_KENNUNG:
            continue
        for checksum in extension.iterfind("x:Feld", _NSMAP):
            checksums[checksum.findtext("x:Beschreibung", "", _NSMAP)] = checksum.findtext(
                "x:Wert", "", _NSMAP
            )
    file_ids = tuple(
        UUID(text)
        for text in root.xpath(
            "x:Schriftgutobjekt/x:Akte/x:Identifikation/x:ID/text()", namespaces=_NSMAP
        )
    )
    return TransferContents(
        process_id=UUID(root.findtext("x:Kopf/x:ProzessID", "", _NSMAP)),
        message=message,
        checksums=checksums,
        digests=digests,
        file_ids=file_ids,
    )

"""Writing the authority's messages of the Aussonderung (xdomea 3.0.0,
message group "Aussonderung durchführen"): the offer (Anbieteverzeichnis 0501)
and the transfer with the primary documents (Aussonderung 0503).

A process id (ProzessID) ties every message of one Aussonderung together: the
archive answers the offer under it, and matches the transfer to its appraisal
by it. So the offer starts a fresh id and the transfer reuses it; a transfer
without a preceding offer (one-step Aussonderung) starts its own.

xdomea 3.0 has no field for a document's checksum (PrimaerdokumentType names
the file only). The SHA-256 of each primary document is therefore written in
the standard's own extension point of the document,
`Dokument/AnwendungsspezifischeErweiterung` (Kennung `PRUEFSUMME_KENNUNG`):
one `Feld` per primary file, Name "SHA-256", Beschreibung the file name in the
package, Datentyp hexBinary, Wert the lowercase hex digest. Archives that do not
know the extension still read a schema-valid message.
"""

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import PurePosixPath
from typing import BinaryIO
from uuid import UUID, uuid4

from lxml import etree

from openamt.cases.xdomea.common import (
    APPRAISAL_RECEIPT,
    AUSSONDERUNGSART_LIST,
    BEWERTUNGSVORSCHLAG_LIST,
    DATEIFORMAT_LIST,
    DATENTYP_LIST,
    OFFER,
    TRANSFER,
    XdomeaError,
    XdomeaIntegrityError,
    boolean,
    code_sub,
    head_sub,
    root_new,
    serialize,
    sub,
)
from openamt.cases.xdomea.records import Appraisal, ArchiveDocument, ArchiveFile, Organisation

PRUEFSUMME_KENNUNG = "urn:openamt:xdomea:pruefsumme:sha256"
CHUNK_BYTES = 1024 * 1024

# Dateiformat 1.0 (urn:xoev-de:xdomea:codeliste:dateiformat) by file extension;
# 100 ("Sonstiges") names the format in SonstigerName.
_FORMAT_BY_EXTENSION = {
    "bmp": "001", "csv": "002", "doc": "003", "eml": "006", "htm": "007", "html": "008",
    "jpe": "009", "jpeg": "010", "jpg": "011", "msg": "012", "odp": "013", "ods": "014",
    "odt": "015", "otp": "016", "ots": "017", "pdf": "018", "png": "019", "ppt": "020",
    "ps": "021", "rtf": "022", "tif": "023", "tiff": "024", "wps": "025", "xlc": "026",
    "xlm": "027", "xls": "028", "xlw": "029", "xml": "030", "xsd": "031", "dot": "032",
    "pot": "033", "xlt": "034", "docx": "035", "xlsx": "036", "pptx": "037", "dotx": "038",
    "xltx": "039", "potx": "040", "dtd": "041", "mpp": "042", "ott": "043", "txt": "045",
}  # fmt: skip
_FORMAT_BY_MIME = {
    "application/pdf": "018",
    "image/png": "019",
    "image/jpeg": "011",
    "image/tiff": "024",
    "text/plain": "045",
    "text/csv": "002",
    "text/html": "008",
    "application/xml": "030",
    "text/xml": "030",
    "application/vnd.oasis.opendocument.text": "015",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "035",
}
FORMAT_OTHER = "100"
_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})  # fmt: skip
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class BuiltMessage:
    """A message ready to hand over: `file_name` follows the archives' convention
    `{process_id}_{root element}.xml|zip`; `code` is the Nachrichtentyp."""

    process_id: UUID
    code: str
    file_name: str
    content: bytes


@dataclass(frozen=True)
class WrittenTransfer:
    """What `transfer_write` put into its target; `documents` maps each
    document id to (file name in the package, SHA-256)."""

    process_id: UUID
    file_name: str
    documents: dict[UUID, tuple[str, str]]


def _system() -> tuple[str, str]:
    try:
        return ("OpenAmt", metadata.version("openamt"))
    except metadata.PackageNotFoundError:
        return ("OpenAmt", "unbekannt")


def format_code(document: ArchiveDocument) -> str:
    """The Dateiformat code of a document: its override, else by file extension,
    else by MIME type, else 100 (Sonstiges)."""
    if document.format_code:
        return document.format_code
    extension = PurePosixPath(document.file_name).suffix.lower().lstrip(".")
    return (
        _FORMAT_BY_EXTENSION.get(extension)
        or _FORMAT_BY_MIME.get(document.mime_type.split(";")[0].strip().lower())
        or FORMAT_OTHER
    )


def package_file_name(document: ArchiveDocument) -> str:
    """The primary file's name in the package: `{document id}_{safe name}`.

    xdomea's stringDateinameType wants the UUID first; the rest is the original
    name reduced to ASCII letters, digits, dot, dash and underscore so that every
    archive's unpacker and file system takes it. The original stays in
    DateinameOriginal.
    """
    name = unicodedata.normalize("NFKD", document.file_name.translate(_TRANSLITERATE))
    name = name.encode("ascii", "ignore").decode("ascii")
    name = _UNSAFE.sub("_", name).strip("._") or "dokument"
    path = PurePosixPath(name)
    stem, suffix = path.stem[:80], path.suffix[:16]
    return f"{document.id}_{stem}{suffix}"


def _files_check(files: Sequence[ArchiveFile]) -> None:
    if not files:
        raise XdomeaError("Eine Aussonderung braucht mindestens eine Akte.")
    seen: set[UUID] = set()
    for archive_file in files:
        for object_id in (archive_file.id, *(d.id for d in archive_file.documents)):
            if object_id in seen:
                raise XdomeaError(
                    f"Die Kennung {object_id} kommt in der Aussonderung mehrfach vor "
                    f"(Akte {archive_file.file_number})."
                )
            seen.add(object_id)


def _appraisal_sub(parent: etree._Element, appraisal: Appraisal) -> None:
    wrapper = sub(parent, "Aussonderungsart")
    code_sub(wrapper, "Aussonderungsart", appraisal.value, AUSSONDERUNGSART_LIST)


def _document_sub(
    parent: etree._Element, document: ArchiveDocument, position: int, *, with_file: bool
) -> None:
    element = sub(parent, "Dokument")
    identification = sub(element, "Identifikation")
    sub(identification, "ID", str(document.id))
    sub(identification, "NummerImUebergeordnetenContainer", str(position))
    sub(sub(element, "AllgemeineMetadaten"), "Betreff", document.title)
    sub(element, "DatumDesSchreibens", document.date.isoformat())
    sub(element, "Bearbeiter", document.author)
    sub(element, "Typ", document.document_type)
    if not with_file:
        return
    file_name = package_file_name(document)
    version = sub(element, "Version")
    sub(version, "Nummer", document.version)
    file_format = sub(version, "Format")
    code = format_code(document)
    code_sub(file_format, "Name", code, DATEIFORMAT_LIST)
    if code == FORMAT_OTHER:
        sub(file_format, "SonstigerName", document.mime_type)
    sub(file_format, "Version", document.format_version)
    primary = sub(file_format, "Primaerdokument")
    sub(primary, "Dateiname", file_name)
    sub(primary, "DateinameOriginal", document.file_name)
    sub(primary, "Ersteller", document.author)
    extension = sub(element, "AnwendungsspezifischeErweiterung")
    sub(extension, "Kennung", PRUEFSUMME_KENNUNG)
    sub(extension, "Name", "Prüfsumme")
    sub(extension, "Beschreibung", "SHA-256 der Primärdokumente, hexadezimal")
    checksum = sub(extension, "Feld")
    sub(checksum, "Name", "SHA-256")
    sub(checksum, "Beschreibung", file_name)
    code_sub(checksum, "Datentyp", "018", DATENTYP_LIST)  # 018 = hexBinary
    sub(checksum, "Wert", document.sha256)


def _file_sub(parent: etree._Element, archive_file: ArchiveFile, *, with_files: bool) -> None:
    akte = sub(sub(parent, "Schriftgutobjekt"), "Akte")
    sub(sub(akte, "Identifikation"), "ID", str(archive_file.id))
    general = sub(akte, "AllgemeineMetadaten")
    sub(general, "Betreff", archive_file.title)
    sub(general, "Kennzeichen", archive_file.file_number)
    plan = sub(general, "Aktenplaneinheit")
    sub(plan, "Kennzeichen", archive_file.filing_plan_entry.code)
    sub(plan, "Inhaltsangabe", archive_file.filing_plan_entry.title)
    archival = sub(akte, "ArchivspezifischeMetadaten")
    if archive_file.retention_years is not None:
        sub(sub(archival, "Aufbewahrungsdauer"), "AnzahlJahre", str(archive_file.retention_years))
    _appraisal_sub(archival, archive_file.appraisal)
    if archive_file.appraisal is not Appraisal.EXAMINE:
        # The Bewertungsvorschlag list knows only A and V.
        code_sub(
            archival, "Bewertungsvorschlag", archive_file.appraisal.value, BEWERTUNGSVORSCHLAG_LIST
        )
    sub(archival, "Aufbewahrungsende", archive_file.retention_until.isoformat())
    period = sub(akte, "Laufzeit")
    sub(period, "Beginn", archive_file.opened_on.isoformat())
    sub(period, "Ende", archive_file.closed_on.isoformat())
    if archive_file.documents:
        content = sub(akte, "Akteninhalt")
        for position, document in enumerate(archive_file.documents, start=1):
            _document_sub(content, document, position, with_file=with_files)
    sub(akte, "ZdA", "1")
    sub(akte, "ZdADatum", archive_file.closed_on.isoformat())


def offer_build(
    *,
    files: Sequence[ArchiveFile],
    sender: Organisation,
    receiver: Organisation,
    process_id: UUID | None = None,
    created_at: datetime | None = None,
    receipt_wanted: bool = True,
) -> BuiltMessage:
    """The Anbieteverzeichnis (xdomea 3.0 `Aussonderung.Anbieteverzeichnis.0501`).

    Every file is one Schriftgutobjekt/Akte with its metadata, the appraisal
    proposal (Aussonderungsart, and Bewertungsvorschlag for A and V) and its
    documents' metadata; no primary documents, as the standard prescribes for
    an offer. A fresh ProzessID unless `process_id` is given; with
    `receipt_wanted` the archive is asked for the receipt 0504.

    Returns the UTF-8 XML as `BuiltMessage` named `{process_id}_…0501.xml`.
    Raises XdomeaError for no files or an id used twice.
    """
    _files_check(files)
    process_id = process_id or uuid4()
    root = root_new(OFFER)
    head = head_sub(
        root,
        message=OFFER,
        process_id=process_id,
        sender=sender,
        receiver=receiver,
        created_at=created_at,
        system=_system(),
    )
    sub(head, "Empfangsbestaetigung", boolean(receipt_wanted))
    for archive_file in files:
        _file_sub(root, archive_file, with_files=False)
    return BuiltMessage(process_id, OFFER.code, OFFER.file_name(process_id, "xml"), serialize(root))


def transfer_xml(
    *,
    files: Sequence[ArchiveFile],
    sender: Organisation,
    receiver: Organisation,
    process_id: UUID,
    created_at: datetime | None = None,
    archive_ids_wanted: bool = True,
    receipt_wanted: bool = True,
) -> bytes:
    """The message XML of the Aussonderung 0503 alone (without the package)."""
    _files_check(files)
    root = root_new(TRANSFER)
    head = head_sub(
        root,
        message=TRANSFER,
        process_id=process_id,
        sender=sender,
        receiver=receiver,
        created_at=created_at,
        system=_system(),
    )
    sub(head, "Importbestaetigung", "1")
    sub(head, "RueckmeldungArchivkennung", boolean(archive_ids_wanted))
    sub(head, "Empfangsbestaetigung", boolean(receipt_wanted))
    for archive_file in files:
        _file_sub(root, archive_file, with_files=True)
    return serialize(root)


def _document_copy(document: ArchiveDocument, package: zipfile.ZipFile, name: str) -> None:
    digest = hashlib.sha256()
    with document.open() as source, package.open(name, "w", force_zip64=True) as target:
        while chunk := source.read(CHUNK_BYTES):
            digest.update(chunk)
            target.write(chunk)
    if digest.hexdigest() != document.sha256:
        raise XdomeaIntegrityError(
            f"Dokument „{document.title}“ ({document.id}) stimmt nicht mit seiner "
            "gespeicherten SHA-256-Prüfsumme überein; die Aussonderung wird abgebrochen."
        )


def transfer_write(
    target: BinaryIO,
    *,
    files: Sequence[ArchiveFile],
    sender: Organisation,
    receiver: Organisation,
    process_id: UUID | None = None,
    created_at: datetime | None = None,
    archive_ids_wanted: bool = True,
    receipt_wanted: bool = True,
) -> WrittenTransfer:
    """Write the Aussonderung (xdomea 3.0 `Aussonderung.Aussonderung.0503`) as a
    ZIP package into `target`: first `{process_id}_Aussonderung.Aussonderung.0503.xml`,
    then every document's primary file under its Dateiname, copied in 1 MiB
    chunks and checked against its recorded SHA-256 on the way.

    `process_id` is the offer's (0501) id, so that the archive finds its
    appraisal; fresh when None. The head asks for the import confirmation (0506,
    fixed in xdomea), and as given for archive ids and a receipt (0507).

    Raises XdomeaError for no files or an id used twice, XdomeaIntegrityError
    when a document's bytes do not match its hash; `target` then holds an
    unusable partial package and must be discarded.
    """
    process_id = process_id or uuid4()
    message = transfer_xml(
        files=files,
        sender=sender,
        receiver=receiver,
        process_id=process_id,
        created_at=created_at,
        archive_ids_wanted=archive_ids_wanted,
        receipt_wanted=receipt_wanted,
    )
    documents: dict[UUID, tuple[str, str]] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr(TRANSFER.file_name(process_id, "xml"), message)
        for archive_file in files:
            for document in archive_file.documents:
                name = package_file_name(document)
                _document_copy(document, package, name)
                documents[document.id] = (name, document.sha256)
    return WrittenTransfer(process_id, TRANSFER.file_name(process_id, "zip"), documents)


def transfer_build(
    *,
    files: Sequence[ArchiveFile],
    sender: Organisation,
    receiver: Organisation,
    process_id: UUID | None = None,
    created_at: datetime | None = None,
    archive_ids_wanted: bool = True,
    receipt_wanted: bool = True,
) -> BuiltMessage:
    """`transfer_write` into memory: the 0503 ZIP package as `BuiltMessage`
    named `{process_id}_Aussonderung.Aussonderung.0503.zip`. For large files
    write to a temporary file with `transfer_write` instead. Same errors."""
    buffer = io.BytesIO()
    written = transfer_write(
        buffer,
        files=files,
        sender=sender,
        receiver=receiver,
        process_id=process_id,
        created_at=created_at,
        archive_ids_wanted=archive_ids_wanted,
        receipt_wanted=receipt_wanted,
    )
    return BuiltMessage(written.process_id, TRANSFER.code, written.file_name, buffer.getvalue())


def message_zip(message: BuiltMessage) -> BuiltMessage:
    """An XML message packed alone in a ZIP named like it (`….0501.zip`), the
    form in which some archives (x-man) take every message."""
    if not message.file_name.endswith(".xml"):
        raise XdomeaError(f"{message.file_name} ist keine einzelne XML-Nachricht.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr(message.file_name, message.content)
    return BuiltMessage(
        message.process_id, message.code, message.file_name[:-4] + ".zip", buffer.getvalue()
    )


def appraisal_receipt_build(
    *,
    process_id: UUID,
    sender: Organisation,
    receiver: Organisation,
    created_at: datetime | None = None,
) -> BuiltMessage:
    """The Empfangsbestätigung 0505 (xdomea 3.0
    `Aussonderung.BewertungEmpfangBestaetigen.0505`): the authority has received
    the archive's Bewertungsverzeichnis 0502 of `process_id`; sent when the 0502
    asks for it (`AppraisalResult.receipt_wanted`). Returns the XML named
    `{process_id}_…0505.xml`."""
    root = root_new(APPRAISAL_RECEIPT)
    head_sub(
        root,
        message=APPRAISAL_RECEIPT,
        process_id=process_id,
        sender=sender,
        receiver=receiver,
        created_at=created_at,
        system=_system(),
    )
    return BuiltMessage(
        process_id,
        APPRAISAL_RECEIPT.code,
        APPRAISAL_RECEIPT.file_name(process_id, "xml"),
        serialize(root),
    )

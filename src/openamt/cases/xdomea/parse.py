"""Reading the archive's answers in an Aussonderung (xdomea 3.0.0, message
group "Aussonderung durchführen"):

- Bewertungsverzeichnis 0502: per offered file, archive (A) or destroy (V);
- Empfangsbestätigung 0504: the archive has received the offer (0501);
- Importbestätigung 0506: per transferred file, whether the archive has taken
  it over (and under which archive id) — the message after which the
  authority may delete what the archive took;
- Empfangsbestätigung 0507: the archive has received the transfer (0503).

Every answer is read with the hardened parser (no DTD, no entities, no
network, at most `MAX_ANSWER_BYTES`), alone or as the only message in a ZIP
named by the archives' convention. It must carry the process id (ProzessID)
the caller expects. Anything else raises XdomeaMessageError (or
XdomeaProcessMismatch) with a German message, and nothing of the message is
returned.
"""

import io
import re
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from uuid import UUID

from lxml import etree

from openamt.cases.xdomea.common import (
    APPRAISAL,
    IMPORT_CONFIRMATION,
    MESSAGE_TYPES,
    NS,
    OFFER_RECEIPT,
    TRANSFER_RECEIPT,
    MessageType,
    XdomeaMessageError,
    XdomeaProcessMismatch,
)
from openamt.cases.xdomea.records import Appraisal
from openamt.core.errors import ImportFormatError
from openamt.core.xml import parse_xml

MAX_ANSWER_BYTES = 20 * 1024 * 1024
MAX_ZIP_ENTRIES = 64
_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_XDOMEA_NS = re.compile(r"urn:xoev-de:xdomea:schema:(.+)")
_ANY_MESSAGE = re.compile(r"_Aussonderung\.[A-Za-z]+\.05[0-9]{2}\.xml$")
_NSMAP = {"x": NS}


@dataclass(frozen=True)
class MessageIdentity:
    """Which Aussonderung message a file is, and of which process."""

    code: str
    process_id: UUID
    label: str


@dataclass(frozen=True)
class Receipt:
    """An Empfangsbestätigung: 0504 (offer received) or 0507 (transfer received)."""

    code: str
    process_id: UUID
    created_at: datetime
    sender: str


@dataclass(frozen=True)
class AppraisalResult:
    """The archive's Bewertungsverzeichnis (0502): decision per file id."""

    process_id: UUID
    created_at: datetime
    sender: str
    decisions: Mapping[UUID, Appraisal]
    receipt_wanted: bool  # the archive asks for the Empfangsbestätigung 0505

    @property
    def to_archive(self) -> frozenset[UUID]:
        return frozenset(k for k, v in self.decisions.items() if v is Appraisal.ARCHIVE)

    @property
    def to_destroy(self) -> frozenset[UUID]:
        return frozenset(k for k, v in self.decisions.items() if v is Appraisal.DESTROY)


@dataclass(frozen=True)
class ImportResult:
    """The archive's import of one transferred file (0506, AusgesondertesSGO)."""

    file_id: UUID
    success: bool
    errors: tuple[str, ...]
    archive_id: str


@dataclass(frozen=True)
class ImportConfirmation:
    """The archive's Importbestätigung (0506) of a transfer."""

    process_id: UUID
    created_at: datetime
    sender: str
    results: tuple[ImportResult, ...]

    @property
    def taken_over(self) -> frozenset[UUID]:
        return frozenset(r.file_id for r in self.results if r.success)

    @property
    def refused(self) -> frozenset[UUID]:
        return frozenset(r.file_id for r in self.results if not r.success)


def _refusal(message: MessageType | None) -> str:
    if message is None:
        return "Die Datei ist keine xdomea-3.0.0-Nachricht der Aussonderung"
    return f"Die Nachricht ist keine xdomea-{message.code}-{message.label}"


def _unzip(data: bytes, message: MessageType | None) -> bytes:
    """The one message XML of a ZIP package, read with size limits."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise XdomeaMessageError(f"{_refusal(message)}: das ZIP-Paket ist beschädigt.") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise XdomeaMessageError(f"{_refusal(message)}: das ZIP-Paket hat zu viele Einträge.")
    suffix = f"_{message.root}.xml" if message else "_Aussonderung.*.05nn.xml"
    candidates = [
        e
        for e in entries
        if not e.is_dir()
        and (e.filename.endswith(suffix) if message else _ANY_MESSAGE.search(e.filename))
    ]
    if len(candidates) != 1:
        raise XdomeaMessageError(
            f"{_refusal(message)}: das ZIP-Paket enthält nicht genau eine Nachricht *{suffix}."
        )
    entry = candidates[0]
    if entry.file_size > MAX_ANSWER_BYTES:
        raise XdomeaMessageError(f"{_refusal(message)}: die Nachricht im ZIP-Paket ist zu groß.")
    try:
        with package.open(entry) as stream:
            # The header's size may lie (ZIP bomb): read one byte past the limit.
            content = stream.read(MAX_ANSWER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        raise XdomeaMessageError(f"{_refusal(message)}: das ZIP-Paket ist beschädigt.") from None
    if len(content) > MAX_ANSWER_BYTES:
        raise XdomeaMessageError(f"{_refusal(message)}: die Nachricht im ZIP-Paket ist zu groß.")
    return content


def _root(data: bytes, message: MessageType | None) -> etree._Element:
    if len(data) > MAX_ANSWER_BYTES:
        raise XdomeaMessageError(
            f"{_refusal(message)}: die Datei ist größer als {MAX_ANSWER_BYTES // (1024 * 1024)} MB."
        )
    if data[:4] == b"PK\x03\x04":
        data = _unzip(data, message)
    try:
        root = parse_xml(data, max_bytes=MAX_ANSWER_BYTES)
    except ImportFormatError as error:
        raise XdomeaMessageError(f"{_refusal(message)}: {error.message}") from None
    namespace, _, local = root.tag.rpartition("}")
    version = _XDOMEA_NS.fullmatch(namespace.lstrip("{"))
    if version is None:
        raise XdomeaMessageError(f"{_refusal(message)}: das Wurzelelement ist kein xdomea.")
    if version.group(1) != "3.0.0":
        raise XdomeaMessageError(
            f"{_refusal(message)}: sie ist in xdomea {version.group(1)} geschrieben, "
            "erwartet wird xdomea 3.0.0."
        )
    if message is not None and local != message.root:
        raise XdomeaMessageError(f"{_refusal(message)}, sondern {local}.")
    if message is None and local not in {m.root for m in MESSAGE_TYPES.values()}:
        raise XdomeaMessageError(f"{_refusal(message)}, sondern {local}.")
    return root


def _text(element: etree._Element, path: str, message: MessageType | None) -> str:
    found = element.find(path, _NSMAP)
    if found is None or not (found.text or "").strip():
        shown = path.replace("x:", "")
        raise XdomeaMessageError(f"{_refusal(message)}: {shown} fehlt.")
    return (found.text or "").strip()


def _uuid(value: str, what: str, message: MessageType | None) -> UUID:
    if not _UUID.fullmatch(value):
        raise XdomeaMessageError(f"{_refusal(message)}: {what} „{value[:60]}“ ist keine UUID.")
    return UUID(value)


def _head(
    root: etree._Element, message: MessageType | None, process_id: UUID | None
) -> tuple[str, UUID, datetime, str]:
    """(code, process id, created at, sender name) of the Kopf, checked."""
    code = _text(root, "x:Kopf/x:Nachrichtentyp/code", message)
    expected = message or next(m for m in MESSAGE_TYPES.values() if root.tag == f"{{{NS}}}{m.root}")
    if code != expected.code:
        raise XdomeaMessageError(
            f"{_refusal(message)}: der Nachrichtentyp im Kopf ist {code[:10]}, "
            f"nicht {expected.code}."
        )
    found = _uuid(_text(root, "x:Kopf/x:ProzessID", message), "die ProzessID", message)
    if process_id is not None and found != process_id:
        raise XdomeaProcessMismatch(
            f"Die {expected.label} ({expected.code}) gehört zum Aussonderungsprozess {found}, "
            f"nicht zum erwarteten Prozess {process_id}; sie wird nicht übernommen."
        )
    moment = _text(root, "x:Kopf/x:Erstellungszeitpunkt", message)
    try:
        created_at = datetime.fromisoformat(moment)
    except ValueError:
        raise XdomeaMessageError(
            f"{_refusal(message)}: der Erstellungszeitpunkt „{moment[:40]}“ ist kein Zeitpunkt."
        ) from None
    sender = root.find("x:Kopf/x:Absender", _NSMAP)
    if sender is None:
        raise XdomeaMessageError(f"{_refusal(message)}: Kopf/Absender fehlt.")
    name = (
        sender.findtext("x:Institution/x:Name", "", _NSMAP).strip()
        or sender.findtext("x:Behoerdenkennung/x:Behoerdenschluessel/code", "", _NSMAP).strip()
    )
    return code, found, created_at, name


def message_identify(data: bytes) -> MessageIdentity:
    """Which xdomea 3.0.0 Aussonderung message `data` is (XML, or a ZIP of at
    most `MAX_ZIP_ENTRIES` entries with one `…_Aussonderung.*.05nn.xml`), and its
    process id, so that an operator's file can be matched to its process.

    Raises XdomeaMessageError for anything that is not such a message.
    """
    root = _root(data, None)
    code, process_id, _, _ = _head(root, None, None)
    return MessageIdentity(code, process_id, MESSAGE_TYPES[code].label)


def _receipt(data: bytes, message: MessageType, process_id: UUID) -> Receipt:
    root = _root(data, message)
    code, found, created_at, sender = _head(root, message, process_id)
    return Receipt(code, found, created_at, sender)


def offer_receipt_parse(data: bytes, *, process_id: UUID) -> Receipt:
    """The Empfangsbestätigung 0504 (`Aussonderung.AnbietungEmpfangBestaetigen.0504`):
    the archive has received the offer 0501 of `process_id`.

    Raises XdomeaMessageError for anything else, XdomeaProcessMismatch for a
    receipt of another process.
    """
    return _receipt(data, OFFER_RECEIPT, process_id)


def transfer_receipt_parse(data: bytes, *, process_id: UUID) -> Receipt:
    """The Empfangsbestätigung 0507 (`Aussonderung.AussonderungEmpfangBestaetigen.0507`):
    the archive has received the transfer 0503 of `process_id` (not yet imported
    it: that is the 0506). Same errors as `offer_receipt_parse`."""
    return _receipt(data, TRANSFER_RECEIPT, process_id)


def _known(
    file_id: UUID, file_ids: Collection[UUID] | None, seen: set[UUID], message: MessageType
) -> None:
    if file_id in seen:
        raise XdomeaMessageError(f"{_refusal(message)}: das Objekt {file_id} steht doppelt darin.")
    if file_ids is not None and file_id not in file_ids:
        raise XdomeaMessageError(
            f"{_refusal(message)}: das Objekt {file_id} gehört nicht zu diesem Prozess."
        )
    seen.add(file_id)


def appraisal_parse(
    data: bytes, *, process_id: UUID, file_ids: Collection[UUID] | None = None
) -> AppraisalResult:
    """The Bewertungsverzeichnis 0502 (`Aussonderung.Bewertungsverzeichnis.0502`):
    per BewertetesObjekt its ID and the decision A (archive) or V (destroy);
    `receipt_wanted` when the archive asks for the 0505 (`build.appraisal_receipt_build`).

    With `file_ids` (the ids offered in the 0501) an id outside them is refused.
    A decision B ("still to appraise") or a configurable free-text decision is
    refused too: the authority may neither transfer nor destroy on it.
    Raises XdomeaMessageError / XdomeaProcessMismatch.
    """
    root = _root(data, APPRAISAL)
    _, found, created_at, sender = _head(root, APPRAISAL, process_id)
    decisions: dict[UUID, Appraisal] = {}
    seen: set[UUID] = set()
    for item in root.findall("x:BewertetesObjekt", _NSMAP):
        file_id = _uuid(_text(item, "x:ID", APPRAISAL), "die ID", APPRAISAL)
        _known(file_id, file_ids, seen, APPRAISAL)
        code = item.findtext("x:Aussonderungsart/x:Aussonderungsart/code", "", _NSMAP).strip()
        if code not in (Appraisal.ARCHIVE, Appraisal.DESTROY):
            raise XdomeaMessageError(
                f"{_refusal(APPRAISAL)}: für das Objekt {file_id} steht keine Entscheidung "
                "„archivwürdig“ (A) oder „vernichten“ (V)."
            )
        decisions[file_id] = Appraisal(code)
    if not decisions:
        raise XdomeaMessageError(f"{_refusal(APPRAISAL)}: sie bewertet kein Objekt.")
    wanted = _boolean(_text(root, "x:Kopf/x:Empfangsbestaetigung", APPRAISAL), APPRAISAL)
    return AppraisalResult(found, created_at, sender, MappingProxyType(decisions), wanted)


def _boolean(value: str, message: MessageType) -> bool:
    if value in ("1", "true"):
        return True
    if value in ("0", "false"):
        return False
    raise XdomeaMessageError(f"{_refusal(message)}: „{value[:20]}“ ist kein Wahrheitswert.")


def import_confirmation_parse(
    data: bytes, *, process_id: UUID, file_ids: Collection[UUID] | None = None
) -> ImportConfirmation:
    """The Importbestätigung 0506 (`Aussonderung.AussonderungImportBestaetigen.0506`):
    per transferred object (AusgesondertesSGO) whether the archive imported it
    (Erfolgreich), its error messages and the archive's id (Archivkennung).

    With `file_ids` (the ids transferred in the 0503) an id outside them is
    refused. Raises XdomeaMessageError / XdomeaProcessMismatch.
    """
    message = IMPORT_CONFIRMATION
    root = _root(data, message)
    _, found, created_at, sender = _head(root, message, process_id)
    results: list[ImportResult] = []
    seen: set[UUID] = set()
    for item in root.findall("x:AusgesondertesSGO", _NSMAP):
        file_id = _uuid(_text(item, "x:IDSGO", message), "die IDSGO", message)
        _known(file_id, file_ids, seen, message)
        success = _boolean(_text(item, "x:Erfolgreich", message), message)
        errors = [(e.text or "").strip() for e in item.findall("x:Fehlermeldung", _NSMAP)]
        errors += [
            c.strip() for c in item.xpath("x:FehlermeldungCode/code/text()", namespaces=_NSMAP)
        ]
        archive_id = item.findtext("x:Archivkennung", "", _NSMAP).strip()
        results.append(ImportResult(file_id, success, tuple(e for e in errors if e), archive_id))
    if not results:
        raise XdomeaMessageError(f"{_refusal(message)}: sie nennt kein Objekt.")
    return ImportConfirmation(found, created_at, sender, tuple(results))


def answer_parse(
    data: bytes, *, process_id: UUID, file_ids: Collection[UUID] | None = None
) -> Receipt | AppraisalResult | ImportConfirmation:
    """Any answer of the archive (0502, 0504, 0506, 0507) for `process_id`, read
    by the parser of its type: the one entry point for an operator's file
    (`message_identify` first finds the process). `file_ids` is passed to the
    parsers that list objects. Raises XdomeaMessageError for a message that is
    not an answer of the archive (e.g. the authority's own 0501/0503),
    XdomeaProcessMismatch for another process.
    """
    code = message_identify(data).code
    if code == OFFER_RECEIPT.code:
        return offer_receipt_parse(data, process_id=process_id)
    if code == TRANSFER_RECEIPT.code:
        return transfer_receipt_parse(data, process_id=process_id)
    if code == APPRAISAL.code:
        return appraisal_parse(data, process_id=process_id, file_ids=file_ids)
    if code == IMPORT_CONFIRMATION.code:
        return import_confirmation_parse(data, process_id=process_id, file_ids=file_ids)
    raise XdomeaMessageError(
        f"Die Nachricht {code} ({MESSAGE_TYPES[code].label}) ist keine Antwort des Archivs."
    )

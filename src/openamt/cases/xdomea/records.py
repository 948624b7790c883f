"""What the case module hands to the xdomea messages: plain, frozen records.

The records know nothing of the database; the case module fills them from a
closed case and its documents. They carry exactly what xdomea 3.0 writes for
an Aussonderung: the file (Akte) with its filing-plan entry, its dates and the
appraisal proposal, and every document with its primary file and SHA-256.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import BinaryIO
from uuid import UUID

_SHA256 = re.compile(r"[0-9a-f]{64}")


class Appraisal(StrEnum):
    """Aussonderungsart, xdomea code list `urn:xoev-de:xdomea:codeliste:aussonderungsart` 1.0.

    The proposal of the filing plan in the offer (0501) may be any of the three;
    the archive's answer (Bewertungsverzeichnis 0502) decides with A or V.
    """

    ARCHIVE = "A"  # archivwürdig
    EXAMINE = "B"  # zum Bewerten markiert (prüfen)
    DESTROY = "V"  # zum Vernichten markiert

    @property
    def label(self) -> str:
        return {"A": "archivwürdig", "B": "prüfen", "V": "vernichten"}[self.value]


@dataclass(frozen=True)
class Organisation:
    """The sending authority or the receiving archive (xdomea KontaktType).

    `code` is the Behördenschlüssel (for a municipal authority e.g. its ARS/AGS,
    for the archive the identifier it told the authority); `prefix` the class of
    that key in the DVDV sense ("ags", …), left out when empty.
    """

    name: str
    code: str
    prefix: str = ""
    short_name: str = ""

    def __post_init__(self) -> None:
        if not self.name.strip() or not self.code.strip():
            raise ValueError("Eine Organisation braucht Namen und Kennung.")


@dataclass(frozen=True)
class FilingPlanEntry:
    """The Aktenplaneinheit a file belongs to: its code (Kennzeichen) and title."""

    code: str
    title: str


ContentOpener = Callable[[], BinaryIO]


@dataclass(frozen=True)
class ArchiveDocument:
    """One document of a file with its primary file (one version).

    `content` is either the bytes or a callable that opens a binary stream, so
    that large files are copied into the transfer package in chunks, never
    whole in memory. `sha256` is the lowercase hex digest recorded when the
    document was filed; the transfer checks the bytes against it.
    `format_code` overrides the Dateiformat code (code list
    `urn:xoev-de:xdomea:codeliste:dateiformat` 1.0, e.g. "044" for PDF/A) that
    is otherwise derived from the file name and MIME type.

    Raises ValueError for a digest that is not 64 lowercase hex digits or an
    empty file name.
    """

    id: UUID
    title: str
    document_type: str
    date: date
    author: str
    version: str
    file_name: str
    mime_type: str
    sha256: str
    content: bytes | ContentOpener = field(repr=False)
    format_code: str = ""
    format_version: str = ""

    def __post_init__(self) -> None:
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"Ungültige SHA-256-Prüfsumme für Dokument {self.id}.")
        if not self.file_name.strip():
            raise ValueError(f"Dokument {self.id} hat keinen Dateinamen.")

    def open(self) -> BinaryIO:
        """A fresh binary stream of the primary file; the caller closes it."""
        if isinstance(self.content, bytes):
            return io.BytesIO(self.content)
        return self.content()


@dataclass(frozen=True)
class ArchiveFile:
    """A closed case as an electronic file (xdomea Akte) offered to the archive.

    `retention_until` is the end of the retention period (Aufbewahrungsende);
    `retention_years` the period itself when the filing plan states one.
    """

    id: UUID
    file_number: str
    title: str
    filing_plan_entry: FilingPlanEntry
    opened_on: date
    closed_on: date
    retention_until: date
    appraisal: Appraisal
    documents: tuple[ArchiveDocument, ...] = ()
    retention_years: int | None = None

    def __post_init__(self) -> None:
        ids = [document.id for document in self.documents]
        if len(set(ids)) != len(ids):
            raise ValueError(f"Akte {self.file_number} enthält ein Dokument doppelt.")
        if self.closed_on < self.opened_on:
            raise ValueError(f"Akte {self.file_number} endet vor ihrem Beginn.")

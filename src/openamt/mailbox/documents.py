"""Files in the Postfach: type by content (not by name), PDFs parsed, stored by hash.

A file's claimed type and name are not trusted: the first bytes decide, a PDF
must open with a PDF parser, and the stored name is the content's SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import FileResponse
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from openamt.core.errors import InvalidInput
from openamt.core.lookups import unique_or_none
from openamt.core.scanning.registry import scan
from openamt.mailbox.models import Document

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
PDF = "application/pdf"
SIGNATURES = {PDF: b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
EXTENSIONS = {PDF: ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}


def sniff(data: bytes) -> str | None:
    return next((kind for kind, magic in SIGNATURES.items() if data.startswith(magic)), None)


def safe_filename(name: str, content_type: str) -> str:
    """The last path part, printable characters only, with the extension of the real type."""
    base = PurePosixPath(name.replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if ch.isprintable()).strip(" .")
    stem = PurePosixPath(base).stem[:100] or "dokument"
    return stem + EXTENSIONS[content_type]


def _check_pdf(data: bytes, name: str, field: str) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or len(reader.pages) < 1:
            raise InvalidInput(
                f"„{name}“ ist verschlüsselt oder leer; bitte ein lesbares PDF senden."
            )
    except PyPdfError:
        raise InvalidInput(f"„{name}“ ist kein lesbares PDF.", field=field) from None


def too_large(name: str, max_bytes: int) -> str:
    megabytes = f"{max_bytes / (1024 * 1024):.1f}".removesuffix(".0").replace(".", ",")
    return f"„{name}“ ist größer als {megabytes} MB."


def document_store(
    *,
    data: bytes,
    name: str,
    allowed: frozenset[str] = frozenset({PDF}),
    field: str = "documents",
    max_bytes: int = MAX_DOCUMENT_BYTES,
) -> tuple[Document, str]:
    """The stored document (new or existing) and the safe file name to show."""
    if not data:
        raise InvalidInput(f"„{name}“ ist leer.", field=field)
    if len(data) > max_bytes:
        raise InvalidInput(too_large(name, max_bytes), field=field)
    found = scan(data)
    if found:
        raise InvalidInput(
            f"„{name}“ enthält Schadsoftware ({found}) und wird nicht angenommen.", field=field
        )
    kind = sniff(data)
    if kind not in allowed:
        labels = ", ".join(sorted(EXTENSIONS[k].lstrip(".").upper() for k in allowed))
        raise InvalidInput(f"„{name}“ hat keinen erlaubten Dateityp ({labels}).", field=field)
    if kind == PDF:
        _check_pdf(data, name, field)
    digest = hashlib.sha256(data).hexdigest()
    document = unique_or_none(Document.objects.filter(sha256=digest))
    if document is None:
        try:
            with transaction.atomic():
                document = Document(sha256=digest, content_type=kind, size=len(data))
                document.file.save(
                    f"{digest[:2]}/{digest}{EXTENSIONS[kind]}", ContentFile(data), save=True
                )
        except IntegrityError:  # stored meanwhile by a parallel delivery
            document = Document.objects.get(sha256=digest)
    return document, safe_filename(name, kind)


def download(document: Document, filename: str) -> FileResponse:
    """A stored document as a download under its shown name, never cached."""
    response = FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    return response

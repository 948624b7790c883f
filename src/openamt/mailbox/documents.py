"""Files in the Postfach: type by content (not by name), PDFs parsed, stored by hash.

A file's claimed type and name are not trusted: the first bytes decide, a PDF
must open with a PDF parser, and the stored name is the content's SHA-256.
"""

from __future__ import annotations

import functools
import hashlib
import io
import unicodedata
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any, cast

import pikepdf
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.http import FileResponse
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from openamt.core.errors import InvalidInput
from openamt.core.files import undo_on_failure
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


def _check_pdf(data: bytes, name: str, field: str, *, active_content: bool) -> None:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted or len(reader.pages) < 1:
            raise InvalidInput(
                f"„{name}“ ist verschlüsselt oder leer; bitte ein lesbares PDF senden.",
                field=field,
            )
    except PyPdfError:
        raise InvalidInput(f"„{name}“ ist kein lesbares PDF.", field=field) from None
    if active_content:
        return
    try:
        found = pdf_active_content(data)
    except pikepdf.PdfError:
        raise InvalidInput(f"„{name}“ ist kein lesbares PDF.", field=field) from None
    if found:
        raise InvalidInput(
            f"„{name}“ enthält aktive Inhalte ({', '.join(found)}) und wird nicht angenommen. "
            "Bitte senden Sie ein PDF ohne Skripte, Aktionen und eingebettete Dateien, "
            "etwa über „Drucken als PDF“.",
            field=field,
        )


# What a PDF can do when it is opened or clicked, beyond showing pages and
# following links (ISO 32000-2 §12.6.4 action types, §7.11.4 embedded files,
# §13.7 rich media; XFA forms carry their own scripts). A caseworker's viewer
# may run any of them.
_ACTIONS = {
    "/JavaScript": "JavaScript",
    "/Launch": "Programmstart",
    "/SubmitForm": "Formularversand",
    "/ImportData": "Datenimport",
    "/RichMediaExecute": "Rich Media",
    "/GoToE": "eingebettete Dateien",
    "/Rendition": "Medienaktion",
}
_KEYS = {
    "/JS": "JavaScript",
    "/EmbeddedFiles": "eingebettete Dateien",
    "/EF": "eingebettete Dateien",
    "/RichMediaContent": "Rich Media",
    "/XFA": "XFA-Formular",
}
_TYPES = {"/EmbeddedFile": "eingebettete Dateien", "/RichMedia": "Rich Media"}
_SUBTYPES = {
    "/RichMedia": "Rich Media",
    "/FileAttachment": "eingebettete Dateien",
    "/Screen": "Medienaktion",
}


def _active(dictionary: pikepdf.Object) -> set[str]:
    found = {label for key, label in _KEYS.items() if key in dictionary}
    for key, labels in (("/S", _ACTIONS), ("/Type", _TYPES), ("/Subtype", _SUBTYPES)):
        value = dictionary.get(key)
        if isinstance(value, pikepdf.Name) and str(value) in labels:
            found.add(labels[str(value)])
    return found


def _direct(values: Iterable[Any]) -> list[pikepdf.Object]:
    """The dictionaries and arrays among values written inline (pikepdf gives
    numbers and strings as Python values)."""
    return [
        value
        for value in values
        if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect
    ]


def pdf_active_content(data: bytes) -> list[str]:
    """What active content a PDF holds, in German words, sorted ([] for none):
    JavaScript, launch, submit-form and import actions, embedded files, rich
    media, XFA forms. Every object of the file is looked at, referenced or not,
    so an action hidden in an /OpenAction, an /AA (additional actions) entry,
    an annotation or an unused object is found alike. Raises pikepdf.PdfError
    for a file qpdf cannot read."""
    found: set[str] = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pending: list[pikepdf.Object] = list(pdf.objects)
        while pending:
            item = pending.pop()
            if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
                found |= _active(item)
                # Direct (inline) values are looked into; indirect ones are in pdf.objects.
                pending.extend(_direct(value for _, value in item.items()))
            elif isinstance(item, pikepdf.Array):
                pending.extend(_direct(item))
    return sorted(found)


def _file_drop(name: str) -> None:
    """Delete a stored file unless a row names it (a storage that overwrites
    gives a parallel upload of the same content the same name)."""
    if not Document.objects.filter(file=name).exists():
        Document.file.field.storage.delete(name)


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
    active_content: bool = True,
) -> tuple[Document, str]:
    """The stored document (new or existing) and the safe file name to show.
    Refused with InvalidInput (at `field`): empty, over `max_bytes`, malware, a
    type not `allowed`, an unreadable PDF, and with `active_content=False` a PDF
    with active content (`pdf_active_content`). Nothing is stored then."""
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
        _check_pdf(data, name, field, active_content=active_content)
    digest = hashlib.sha256(data).hexdigest()
    document = unique_or_none(Document.objects.filter(sha256=digest))
    if document is None:
        document = Document(sha256=digest, content_type=kind, size=len(data))
        try:
            with transaction.atomic():
                document.file.save(
                    f"{digest[:2]}/{digest}{EXTENSIONS[kind]}", ContentFile(data), save=False
                )
                document.save()
        except IntegrityError:  # stored meanwhile by a parallel delivery: ours is not needed
            _file_drop(document.file.name)
            document = Document.objects.get(sha256=digest)
        else:
            undo_on_failure(functools.partial(_file_drop, document.file.name))
    return document, safe_filename(name, kind)


def documents_unreferenced(documents: QuerySet[Document]) -> QuerySet[Document]:
    """`documents` less those a row of any app still names (attachments,
    messages, case files, whatever comes next). The references are found from
    the model graph, so that no new kind of reference can be forgotten."""
    for relation in Document._meta.related_objects:
        model = cast(type[Model], relation.related_model)
        documents = documents.exclude(pk__in=model._base_manager.values(relation.field.attname))
    return documents


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

"""The electronic file (E-Akte) of a case: documents are added, never changed;
a new version is a new row naming the one it replaces."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.models import Case, CaseDocument
from openamt.core.audit import audit_record
from openamt.core.errors import Conflict
from openamt.core.pdf import pdf_render
from openamt.mailbox.documents import PDF, document_store
from openamt.mailbox.models import Document

# What a caseworker may add by hand: scans and documents as PDF or image.
FILE_TYPES = frozenset({PDF, "image/png", "image/jpeg"})


def display_name(user: User | None) -> str:
    """How the file names a staff author: the full name, else the user name."""
    if user is None:
        return "System"
    return user.get_full_name() or user.username


@transaction.atomic
def file_document_link(
    *,
    case: Case,
    kind: str,
    title: str,
    document: Document,
    filename: str,
    author: User | None,
    author_name: str,
    text: str = "",
    replaces: CaseDocument | None = None,
    client_id: str = "",
) -> CaseDocument:
    """Add an already stored document to the case file, as a new document or
    as the next version of `replaces` (which must belong to the same case and
    be its newest version: Conflict otherwise). Audited, naming the API
    client (`client_id`) that added it, if one did."""
    version = 1
    if replaces is not None:
        current = CaseDocument.objects.select_for_update().get(pk=replaces.pk)
        if current.case_id != case.pk or CaseDocument.objects.filter(replaces=current).exists():
            raise Conflict("Von diesem Dokument gibt es schon eine neuere Fassung.")
        version = current.version + 1
    entry = CaseDocument.objects.create(
        case=case,
        kind=kind,
        title=title[:200],
        filename=filename,
        document=document,
        version=version,
        replaces=replaces,
        author=author,
        author_name=author_name[:200],
        text=text,
    )
    audit_record(
        actor=author,
        action="case.document_add",
        target=case,
        authority_id=case.authority_id,
        changes={
            "document": str(entry.public_id),
            "kind": kind,
            "version": version,
            "sha256": document.sha256,
            **({"client": client_id} if client_id else {}),
        },
    )
    return entry


def file_document_add(
    *,
    case: Case,
    kind: str,
    title: str,
    data: bytes,
    name: str,
    author: User | None,
    author_name: str,
    field: str = "datei",
    text: str = "",
    replaces: CaseDocument | None = None,
    client_id: str = "",
) -> CaseDocument:
    """Store `data` (checked like every upload: size, type by content, scanner;
    InvalidInput at `field` otherwise, nothing stored) and add it to the file."""
    document, filename = document_store(data=data, name=name, allowed=FILE_TYPES, field=field)
    return file_document_link(
        case=case,
        kind=kind,
        title=title,
        document=document,
        filename=filename,
        author=author,
        author_name=author_name,
        text=text,
        replaces=replaces,
        client_id=client_id,
    )


def file_pdf_add(
    *,
    case: Case,
    kind: str,
    title: str,
    template: str,
    context: dict[str, Any],
    author: User | None,
    author_name: str,
    text: str = "",
) -> CaseDocument:
    """Render a template as PDF/A (documents of record, GUIDE §8) and add it to the file."""
    data = pdf_render(template=template, context={"case": case, **context}, pdfa=True)
    return file_document_add(
        case=case,
        kind=kind,
        title=title,
        data=data,
        name=f"{title}.pdf",
        author=author,
        author_name=author_name,
        text=text,
    )


def file_index_pdf(case: Case) -> bytes:
    """The file's table of contents (Inhaltsverzeichnis) as PDF/A: every
    document in the order it was filed, with type, date, author, version and
    SHA-256, so that a printout or an archive can check each one."""
    rows = case.documents.select_related("document").order_by("created_at", "pk")
    return pdf_render(
        template="cases/file_index.html",
        context={"case": case, "rows": rows, "made_at": timezone.now()},
        pdfa=True,
    )

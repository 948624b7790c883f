"""Files in applications: checked like every upload (size limit of the field,
virus scanner, type by content), stored once by hash, kept with the draft
and, once submitted, with the submission."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from openamt.core.errors import InvalidInput
from openamt.mailbox.documents import PDF, document_store, safe_filename, sniff, too_large
from openamt.submissions.models import Attachment, Draft

DEFAULT_MAX_MB = 10


def field_limits(spec: dict[str, Any]) -> tuple[frozenset[str], int]:
    """(allowed content types, maximum bytes) of a file field."""
    allowed = frozenset(spec.get("accept") or [PDF])
    return allowed, int(float(spec.get("max_size_mb", DEFAULT_MAX_MB)) * 1024 * 1024)


def attachment_upload(
    *, draft: Draft, path: str, spec: dict[str, Any], upload: UploadedFile
) -> dict[str, Any]:
    """Store an uploaded file as the answer at `path`; the answer value it gives.
    A refused file leaves neither a document nor a change to the draft."""
    _, max_bytes = field_limits(spec)
    name = upload.name or "datei"
    if upload.size is not None and upload.size > max_bytes:  # refused before reading it
        raise InvalidInput(too_large(name, max_bytes), field=path)
    attachment, value = file_store(path=path, spec=spec, name=name, data=upload.read())
    attachment.draft = draft
    # The same file twice in a draft is kept once.
    Attachment.objects.bulk_create([attachment], ignore_conflicts=True)
    return value


def file_store(
    *, path: str, spec: dict[str, Any], name: str, data: bytes
) -> tuple[Attachment, dict[str, Any]]:
    """Check and store a file for a file field: the (unsaved) attachment and the answer."""
    allowed, max_bytes = field_limits(spec)
    # Caseworkers open these files: no PDF that can run code or carry other files.
    document, shown = document_store(
        data=data, name=name, allowed=allowed, field=path, max_bytes=max_bytes, active_content=False
    )
    return Attachment(document=document, path=path, name=shown), describe(data, name)


def describe(data: bytes, name: str) -> dict[str, Any]:
    """The answer a stored file gives: its hash, the name shown, size and real type."""
    kind = sniff(data) or PDF
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "name": safe_filename(name, kind),
        "size": len(data),
        "content_type": kind,
    }


def file_field(definition: dict[str, Any], path: str) -> dict[str, Any] | None:
    """The file field an answer path ("nachweis", "hunde.1.nachweis") names, if any."""
    parts = path.split(".")
    for step in definition["steps"]:
        for spec in step["items"]:
            if spec["key"] != parts[0]:
                continue
            if len(parts) == 1 and spec.get("type") == "file":
                return spec
            if len(parts) == 3 and "group" in spec and parts[1].isdigit():
                inner = next((f for f in spec["group"] if f["key"] == parts[2]), None)
                if inner is not None and inner["type"] == "file":
                    return inner
    return None


def answer_set(answers: dict[str, Any], path: str, value: Any) -> bool:
    """Put a value at an answer path; False if the answers have no place for it."""
    parts = path.split(".")
    if len(parts) == 1:
        answers[parts[0]] = value
        return True
    entries = answers.get(parts[0])
    index = int(parts[1])
    if (
        not isinstance(entries, list)
        or index >= len(entries)
        or not isinstance(entries[index], dict)
    ):
        return False
    entries[index][parts[2]] = value
    return True


def file_answers(answers: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, file answer) for every file among cleaned answers, groups included."""
    for key, value in answers.items():
        if isinstance(value, dict) and "sha256" in value:
            yield key, value
        elif isinstance(value, list):
            for index, entry in enumerate(value):
                if isinstance(entry, dict):
                    for inner, item in entry.items():
                        if isinstance(item, dict) and "sha256" in item:
                            yield f"{key}.{index}.{inner}", item


def attachments_named(
    *, draft: Draft, answers: dict[str, Any], uploaded: list[Attachment] | None = None
) -> list[Attachment]:
    """The attachments the answers name, unsaved; a file the answers name but the
    draft never received refuses the submission."""
    received = (
        draft.attachments.select_related("document") if draft.pk is not None else uploaded or []
    )
    by_hash = {attachment.document.sha256: attachment for attachment in received}
    named = []
    for path, value in file_answers(answers):
        attachment = by_hash.get(value["sha256"])
        if attachment is None:
            raise InvalidInput(
                f"Die Datei „{value['name']}“ liegt nicht vor; bitte laden Sie sie erneut hoch.",
                field=path,
            )
        named.append(Attachment(path=path, document=attachment.document, name=value["name"]))
    return named

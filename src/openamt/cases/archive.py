"""Aussonderung: closed cases past their retention are offered to the archive
(xdomea 3.0, `cases.xdomea`), handed over as the archive decides, then their
data is deleted and a deletion record stays.

The exchange, as xdomea 3.0 defines it: the authority offers (0501
Anbieteverzeichnis); the archive confirms receipt (0504) and appraises each
file (0502: A archive, V destroy); files to destroy are deleted at once, the
others are handed over with their documents (0503); the archive confirms the
package (0507) and finally its import per file (0506 Importbestätigung).
Only a file the 0506 reports as taken over is deleted: until then the
authority's copy is the only safe one.

Messages are files an operator carries to and from the archive
(`openamt xdomea export`, `openamt xdomea receipt FILE`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from openamt.cases.constants import CaseStatus
from openamt.cases.models import ArchiveTransfer, ArchiveTransferFile, Case, DeletionRecord
from openamt.cases.search import case_search_forget
from openamt.cases.services import case_transition
from openamt.cases.xdomea import build, parse
from openamt.cases.xdomea.records import (
    Appraisal,
    ArchiveDocument,
    ArchiveFile,
    FilingPlanEntry,
    Organisation,
)
from openamt.core.audit import audit_record
from openamt.core.errors import NotFound
from openamt.core.files import files_removed_on_failure, undo_on_failure
from openamt.mailbox.documents import documents_unreferenced
from openamt.mailbox.models import Document
from openamt.organisations.models import Authority

UNFILED = FilingPlanEntry(code="0", title="ohne Aktenplaneintrag")


def archive_organisation() -> Organisation:
    """The archive the Land's authorities offer their files to (settings
    `OPENAMT_ARCHIVE_NAME`, `OPENAMT_ARCHIVE_CODE`)."""
    return Organisation(name=settings.OPENAMT_ARCHIVE_NAME, code=settings.OPENAMT_ARCHIVE_CODE)


def _organisation(authority: Authority) -> Organisation:
    region = authority.register_region
    return Organisation(
        name=authority.name, code=region.ars if region else f"openamt-{authority.pk}"
    )


def cases_due(*, authority: Authority, today: datetime.date) -> list[Case]:
    """Closed cases of the authority whose retention ended before `today`,
    not under legal hold and not already offered in an unfinished transfer."""
    return list(
        Case.objects.filter(
            authority=authority,
            status=CaseStatus.CLOSED,
            retention_until__lt=today,
            legal_hold=False,
        )
        .exclude(archive_offers__settled=False)
        .select_related("filing_plan_entry", "service")
        .order_by("retention_until", "pk")
    )


def _archive_file(case: Case) -> ArchiveFile:
    entry = case.filing_plan_entry
    closed = timezone.localtime(case.closed_at).date() if case.closed_at else timezone.localdate()
    documents = []
    for row in case.documents.select_related("document").order_by("created_at", "pk"):
        stored = row.document
        documents.append(
            ArchiveDocument(
                id=row.public_id,
                title=row.title,
                document_type=row.get_kind_display(),
                date=timezone.localtime(row.created_at).date(),
                author=row.author_name,
                version=str(row.version),
                file_name=row.filename,
                mime_type=stored.content_type,
                sha256=stored.sha256,
                content=lambda stored=stored: stored.file.open("rb"),  # type: ignore[misc]
            )
        )
    return ArchiveFile(
        id=case.public_id,
        file_number=case.file_number,
        title=f"{case.service.name}: {case.applicant_name}"[:500],
        filing_plan_entry=FilingPlanEntry(entry.code, entry.title) if entry else UNFILED,
        opened_on=timezone.localtime(case.received_at).date(),
        closed_on=closed,
        retention_until=case.retention_until or closed,
        appraisal=Appraisal(entry.appraisal) if entry else Appraisal.EXAMINE,
        documents=tuple(documents),
        retention_years=entry.retention_years if entry else None,
    )


def _write(out_dir: Path, name: str, content: bytes) -> Path:
    path = out_dir / name
    path.write_bytes(content)
    undo_on_failure(lambda: path.unlink(missing_ok=True))
    return path


def archive_offer(
    *, authority: Authority, out_dir: Path, today: datetime.date | None = None
) -> Path | None:
    """Offer the authority's due cases (`cases_due`) to the archive: the 0501
    written into `out_dir`, a transfer recorded. None when nothing is due.
    Audited per case."""
    with files_removed_on_failure(), transaction.atomic():
        cases = cases_due(authority=authority, today=today or timezone.localdate())
        if not cases:
            return None
        message = build.offer_build(
            files=[_archive_file(case) for case in cases],
            sender=_organisation(authority),
            receiver=archive_organisation(),
        )
        transfer = ArchiveTransfer.objects.create(
            process_id=message.process_id, authority=authority
        )
        ArchiveTransferFile.objects.bulk_create(
            ArchiveTransferFile(
                transfer=transfer, case=case, file_id=case.public_id, file_number=case.file_number
            )
            for case in cases
        )
        for case in cases:
            audit_record(
                actor=None,
                action="case.archive_offer",
                target=case,
                authority_id=authority.pk,
                changes={"process_id": str(transfer.process_id)},
            )
        return _write(out_dir, message.file_name, message.content)


def _orphans_delete(documents: Iterable[Document]) -> None:
    """Delete documents no row refers to any more, their files after commit."""
    pks = [document.pk for document in documents]
    for document in documents_unreferenced(Document.objects.filter(pk__in=pks)):
        name, storage = document.file.name, document.file.storage
        document.delete()
        transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))  # type: ignore[misc]


def case_delete(
    *, case: Case, reason: str, transfer: ArchiveTransfer | None, archive_id: str = ""
) -> DeletionRecord:
    """Delete the case's data (its file, its application) after the archive
    took it over or chose to destroy it, leaving the deletion record with the
    hashes of every document. The case passes to "ausgesondert" first, so the
    audit log holds the step. Documents still named elsewhere (the citizen's
    Postfach keeps its copy) stay."""
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("service").get(pk=case.pk)
        rows = list(case.documents.select_related("document").order_by("created_at", "pk"))
        record = DeletionRecord.objects.create(
            authority_id=case.authority_id,
            case_public_id=case.public_id,
            reference=case.reference,
            file_number=case.file_number,
            service=case.service.name,
            closed_at=case.closed_at,
            retention_until=case.retention_until,
            reason=reason,
            transfer=transfer,
            archive_id=archive_id,
            documents=[
                {
                    "title": row.title,
                    "kind": row.kind,
                    "version": row.version,
                    "sha256": row.document.sha256,
                }
                for row in rows
            ],
        )
        case_transition(actor=None, case=case, to=CaseStatus.DISPOSED, reason=reason)
        submission = case.submission
        case_search_forget(case_ids=[case.pk])
        case.delete()
        if submission is not None:
            submission.delete()
        audit_record(
            actor=None,
            action="case.delete",
            target=record,
            authority_id=record.authority_id,
            changes={"reason": reason, "documents": len(rows)},
        )
        _orphans_delete({row.document for row in rows})
    return record


def _transfer(process_id: UUID) -> ArchiveTransfer:
    transfer = ArchiveTransfer.objects.filter(process_id=process_id).first()
    if transfer is None:
        raise NotFound(f"Eine Aussonderung mit der ProzessID {process_id} gibt es nicht.")
    return transfer


def archive_answer(*, data: bytes, out_dir: Path) -> tuple[str, list[Path]]:
    """Act on one answer of the archive (0502, 0504, 0506 or 0507) and write
    what follows into `out_dir` (the 0503 package after an appraisal, the 0505
    receipt where asked). Returns a German summary and the files written.
    Raises the `cases.xdomea` errors for a message that is not such an answer
    or names another process or unknown files; NotFound for an unknown
    process. Nothing changes then."""
    identity = parse.message_identify(data)
    transfer = _transfer(identity.process_id)
    entries = {row.file_id: row for row in transfer.files.select_related("case")}
    answer = parse.answer_parse(data, process_id=transfer.process_id, file_ids=set(entries))
    with files_removed_on_failure(), transaction.atomic():
        transfer = ArchiveTransfer.objects.select_for_update().get(pk=transfer.pk)
        if isinstance(answer, parse.Receipt):
            field = "offer_received_at" if identity.code == "0504" else "transfer_received_at"
            setattr(transfer, field, answer.created_at)
            transfer.save(update_fields=[field, "updated_at"])
            return f"Empfangsbestätigung {identity.code} vermerkt.", []
        if isinstance(answer, parse.AppraisalResult):
            return _appraised(transfer, entries, answer, out_dir)
        return _imported(transfer, entries, answer)


def _appraised(
    transfer: ArchiveTransfer,
    entries: dict[UUID, ArchiveTransferFile],
    answer: parse.AppraisalResult,
    out_dir: Path,
) -> tuple[str, list[Path]]:
    written: list[Path] = []
    kept: list[Case] = []
    for file_id, decision in answer.decisions.items():
        entry = entries[file_id]
        entry.decision = decision.value
        if decision is Appraisal.DESTROY and entry.case is not None:
            case_delete(case=entry.case, reason=DeletionRecord.Reason.DESTROYED, transfer=transfer)
            entry.settled = True
        elif entry.case is not None:
            kept.append(entry.case)
        entry.save(update_fields=["decision", "settled"])
    sender = _organisation(transfer.authority)
    if kept:
        path = out_dir / build.TRANSFER.file_name(transfer.process_id, "zip")
        undo_on_failure(lambda: path.unlink(missing_ok=True))
        with path.open("wb") as target:
            build.transfer_write(
                target,
                files=[_archive_file(case) for case in kept],
                sender=sender,
                receiver=archive_organisation(),
                process_id=transfer.process_id,
            )
        written.append(path)
        transfer.state = ArchiveTransfer.State.TRANSFERRED
    else:
        transfer.state = ArchiveTransfer.State.DONE
    transfer.save(update_fields=["state", "updated_at"])
    if answer.receipt_wanted:
        receipt = build.appraisal_receipt_build(
            process_id=transfer.process_id, sender=sender, receiver=archive_organisation()
        )
        written.append(_write(out_dir, receipt.file_name, receipt.content))
    destroyed = len(answer.to_destroy)
    return (
        f"Bewertung vermerkt: {len(kept)} Akten werden abgegeben, {destroyed} gelöscht.",
        written,
    )


def _imported(
    transfer: ArchiveTransfer,
    entries: dict[UUID, ArchiveTransferFile],
    answer: parse.ImportConfirmation,
) -> tuple[str, list[Path]]:
    for result in answer.results:
        entry = entries[result.file_id]
        if not result.success:
            # Not taken over: the file stays the authority's and is offered again.
            entry.settled = True
            entry.save(update_fields=["settled"])
            continue
        if entry.case is not None:
            case_delete(
                case=entry.case,
                reason=DeletionRecord.Reason.ARCHIVED,
                transfer=transfer,
                archive_id=result.archive_id,
            )
        entry.archive_id, entry.settled = result.archive_id[:200], True
        entry.save(update_fields=["archive_id", "settled"])
    if not transfer.files.filter(settled=False).exists():
        transfer.state = ArchiveTransfer.State.DONE
        transfer.save(update_fields=["state", "updated_at"])
    refused = len(answer.refused)
    return (
        f"Importbestätigung vermerkt: {len(answer.taken_over)} Akten übernommen und gelöscht"
        + (
            f", {refused} nicht übernommen (bleiben erhalten und werden neu angeboten)."
            if refused
            else "."
        ),
        [],
    )

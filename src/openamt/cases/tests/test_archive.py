"""Aussonderung of closed cases through the operator's command, end to end
with the archive's answers as xdomea 3.0 messages."""

import datetime
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openamt.cases.archive import archive_organisation, cases_due
from openamt.cases.constants import CaseStatus, Channel
from openamt.cases.models import (
    ArchiveTransfer,
    Case,
    CaseDocument,
    DeletionRecord,
    FilingPlanEntry,
)
from openamt.cases.services import case_open, case_transition
from openamt.cases.xdomea import testing
from openamt.cases.xdomea.records import Appraisal, Organisation
from openamt.cases.xdomea.schema import message_validate, schema_available
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Document
from openamt.submissions.models import Submission

needs_schema = pytest.mark.skipif(
    not schema_available(), reason="xdomea-3.0-Schema fehlt (OPENAMT_XDOMEA_SCHEMA_DIR)"
)


@pytest.fixture
def closed_cases(fresh_case):
    """Two closed cases past retention: the online one and one on paper."""
    entry = FilingPlanEntry.objects.create(
        authority=fresh_case.authority,
        code="022.31",
        title="Hundesteuer",
        retention_years=0,
        appraisal=FilingPlanEntry.Appraisal.ARCHIVE,
    )
    paper = case_open(
        actor=_admin(fresh_case.authority),
        authority=fresh_case.authority,
        service=fresh_case.service,
        channel=Channel.PAPER,
        applicant_name="Max Muster",
        applicant_address={},
    )
    Case.objects.filter(pk__in=[fresh_case.pk, paper.pk]).update(filing_plan_entry=entry)
    for case in (fresh_case, paper):
        case.refresh_from_db()
        case_transition(actor=None, case=case, to=CaseStatus.CLOSED)
    return [Case.objects.get(pk=fresh_case.pk), Case.objects.get(pk=paper.pk)]


def _admin(authority):
    from openamt.accounts.models import User
    from openamt.organisations.constants import AuthorityRoleName
    from openamt.organisations.services import authority_role_grant

    user = User.objects.create_user(username="registratur")
    authority_role_grant(
        actor=None, user=user, authority=authority, role=AuthorityRoleName.CASEWORKER
    )
    return user


NEXT_YEAR = datetime.date.today().replace(month=1, day=1) + datetime.timedelta(days=366)


def test_only_closed_cases_past_retention_and_without_hold_are_due(closed_cases):
    online, paper = closed_cases
    authority = online.authority
    assert cases_due(authority=authority, today=online.retention_until) == []
    assert cases_due(authority=authority, today=NEXT_YEAR) == [online, paper]
    Case.objects.filter(pk=paper.pk).update(legal_hold=True)
    assert cases_due(authority=authority, today=NEXT_YEAR) == [online]


def _answer(tmp_path: Path, message) -> Path:
    path = tmp_path / "eingang" / message.file_name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(message.content)
    return path


@needs_schema
def test_offer_appraisal_transfer_and_import_delete_the_cases_and_keep_records(
    closed_cases, tmp_path, monkeypatch
):
    online, paper = closed_cases
    authority = online.authority
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: NEXT_YEAR)
    hashes = {
        case.pk: sorted(case.documents.values_list("document__sha256", flat=True))
        for case in closed_cases
    }
    submission_id = online.submission_id
    call_command("xdomea", "export", "--out", str(tmp_path))
    [transfer] = ArchiveTransfer.objects.all()
    offer = (
        tmp_path / f"{transfer.process_id}_Aussonderung.Anbieteverzeichnis.0501.xml"
    ).read_bytes()
    assert message_validate(offer) == []
    # Offered once: a second export finds nothing due.
    call_command("xdomea", "export", "--out", str(tmp_path))
    assert ArchiveTransfer.objects.count() == 1

    archive = archive_organisation()
    sender = Organisation(name=authority.name, code="x")
    appraisal = testing.appraisal_build(
        process_id=transfer.process_id,
        sender=archive,
        receiver=sender,
        decisions={online.public_id: Appraisal.ARCHIVE, paper.public_id: Appraisal.DESTROY},
        receipt_wanted=True,
    )
    call_command("xdomea", "receipt", str(_answer(tmp_path, appraisal)), "--out", str(tmp_path))
    # The file to destroy is gone at once, with its record.
    assert not Case.objects.filter(pk=paper.pk).exists()
    destroyed = DeletionRecord.objects.get(case_public_id=paper.public_id)
    assert destroyed.reason == DeletionRecord.Reason.DESTROYED
    # The one to archive is handed over with every document and its hash.
    package = (tmp_path / f"{transfer.process_id}_Aussonderung.Aussonderung.0503.zip").read_bytes()
    contents = testing.transfer_contents(package)
    assert message_validate(contents.message) == []
    assert sorted(contents.digests.values()) == hashes[online.pk]
    assert contents.checksums == contents.digests
    assert (
        tmp_path / f"{transfer.process_id}_Aussonderung.BewertungEmpfangBestaetigen.0505.xml"
    ).exists()
    assert Case.objects.filter(pk=online.pk).exists()  # until the archive confirms its import

    confirmation = testing.import_confirmation_build(
        process_id=transfer.process_id,
        sender=archive,
        receiver=sender,
        taken_over=[online.public_id],
    )
    call_command("xdomea", "receipt", str(_answer(tmp_path, confirmation)), "--out", str(tmp_path))
    transfer.refresh_from_db()
    assert transfer.state == ArchiveTransfer.State.DONE
    assert not Case.objects.exists()
    assert not CaseDocument.objects.exists()
    assert not Submission.objects.filter(pk=submission_id).exists()
    archived = DeletionRecord.objects.get(case_public_id=online.public_id)
    assert (archived.reason, archived.archive_id, archived.file_number) == (
        DeletionRecord.Reason.ARCHIVED,
        "Best. 1/1",
        online.file_number,
    )
    assert sorted(d["sha256"] for d in archived.documents) == hashes[online.pk]
    # The documents no row names any more are gone; the Postfach's copies stay.
    for digest in hashes[online.pk] + hashes[paper.pk]:
        assert not Document.objects.filter(sha256=digest).exists()
    actions = list(
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(online.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "case.open",
        "case.document_add",
        "case.document_add",
        "case.transition",  # closed
        "case.archive_offer",
        "case.transition",  # to "ausgesondert", before the deletion
    ]
    assert AuditEntry.objects.filter(action="case.delete").count() == 2


def test_an_answer_for_an_unknown_process_changes_nothing(closed_cases, tmp_path):
    archive = archive_organisation()
    receipt = testing.offer_receipt_build(
        process_id=uuid.uuid4(), sender=archive, receiver=Organisation(name="x", code="y")
    )
    with pytest.raises(CommandError, match="ProzessID"):
        call_command("xdomea", "receipt", str(_answer(tmp_path, receipt)))
    assert Case.objects.count() == 2
    assert not DeletionRecord.objects.exists()


def test_a_refused_import_keeps_the_case(closed_cases, tmp_path, monkeypatch):
    online, paper = closed_cases
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: NEXT_YEAR)
    call_command("xdomea", "export", "--out", str(tmp_path))
    transfer = ArchiveTransfer.objects.get()
    archive = archive_organisation()
    sender = Organisation(name="x", code="y")
    appraisal = testing.appraisal_build(
        process_id=transfer.process_id,
        sender=archive,
        receiver=sender,
        decisions={online.public_id: Appraisal.ARCHIVE, paper.public_id: Appraisal.ARCHIVE},
    )
    call_command("xdomea", "receipt", str(_answer(tmp_path, appraisal)), "--out", str(tmp_path))
    confirmation = testing.import_confirmation_build(
        process_id=transfer.process_id,
        sender=archive,
        receiver=sender,
        taken_over=[online.public_id],
        refused={paper.public_id: "Datei beschädigt"},
    )
    call_command("xdomea", "receipt", str(_answer(tmp_path, confirmation)), "--out", str(tmp_path))
    assert list(Case.objects.values_list("pk", flat=True)) == [paper.pk]
    assert not DeletionRecord.objects.filter(case_public_id=paper.public_id).exists()
    transfer.refresh_from_db()
    assert transfer.state == ArchiveTransfer.State.DONE
    # Not taken over: it stays the authority's and is offered again next time.
    assert cases_due(authority=paper.authority, today=NEXT_YEAR) == [Case.objects.get(pk=paper.pk)]

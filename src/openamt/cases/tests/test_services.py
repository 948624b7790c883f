import datetime
import hashlib

import pytest
from django.utils import timezone

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, Channel, DocumentKind, Priority
from openamt.cases.models import Case, CaseDocument, FilingPlanEntry, Team
from openamt.cases.selectors import case_get, case_list
from openamt.cases.services import (
    Upload,
    case_note_add,
    case_open,
    case_open_from_submission,
    case_transition,
    case_update,
    cases_assign,
    cases_transition,
)
from openamt.catalogue.models import Service
from openamt.core.contrib.eicar_test.plugin import EICAR
from openamt.core.errors import (
    Conflict,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Document
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.models import Authority
from openamt.organisations.services import authority_role_grant
from openamt.submissions.tests.test_submissions import PERMIT
from openamt.testing.documents import sample_pdf


def _staff(authority: Authority, username: str, role: str = AuthorityRoleName.CASEWORKER) -> User:
    user = User.objects.create_user(username=username, first_name="Jana", last_name=username)
    authority_role_grant(actor=None, user=user, authority=authority, role=role)
    return user


def _actions(case: Case) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_application_opens_one_case_with_its_file(fresh_case):
    case = fresh_case
    submission = case.submission
    assert case.authority_id == submission.authority_id
    assert (case.reference, case.file_number) == (submission.reference, submission.reference)
    assert case.status == CaseStatus.NEW
    assert case.channel == Channel.ONLINE
    assert case.applicant_name == "Erika"  # the field the form fills from the given name
    assert case.service.leika_key == "99102013000000"
    documents = list(case.documents.order_by("pk"))
    assert [(d.kind, d.title, d.version) for d in documents] == [
        (DocumentKind.APPLICATION, "Antrag Hundesteuer Anmeldung", 1),
        (DocumentKind.ATTACHMENT, "erlaubnis.pdf", 1),
    ]
    assert documents[1].document.sha256 == hashlib.sha256(PERMIT).hexdigest()
    assert documents[0].document.file.read().startswith(b"%PDF-")
    assert "Mustermann" in case.search_document
    assert _actions(case) == ["case.open", "case.document_add", "case.document_add"]
    # The same submission again (a retried delivery) finds the same case.
    assert case_open_from_submission(submission=submission) == case
    assert Case.objects.count() == 1
    assert CaseDocument.objects.count() == 2


def test_the_filing_plan_gives_the_file_number(dog_form, moxa, fresh_storage):
    from openamt.core.outbox import outbox_run_due
    from openamt.submissions.services import draft_start, submission_create
    from openamt.submissions.tests.test_submissions import answered

    draft = draft_start(user=None, version=dog_form, place=moxa)
    entry = FilingPlanEntry.objects.create(
        authority=draft.authority, code="022.31", title="Hundesteuer", retention_years=6
    )
    entry.services.add(dog_form.form.service)
    submission = submission_create(draft=answered(draft))
    outbox_run_due()
    case = Case.objects.get(submission=submission)
    assert case.filing_plan_entry == entry
    assert case.file_number == f"022.31-{submission.reference}"


def test_transitions_follow_the_table_and_are_audited(fresh_case):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    case = case_transition(actor=worker, case=fresh_case, to=CaseStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition) as refused:
        case_transition(actor=worker, case=case, to=CaseStatus.DISPOSED)
    assert refused.value.message == (
        "Ein Vorgang im Status „in Bearbeitung“ kann nicht „ausgesondert“ werden."
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    case = case_transition(actor=worker, case=case, to=CaseStatus.DECIDED, reason="bewilligt")
    assert case.decided_at is not None
    # No filing plan entry: nothing to count the retention from.
    case = case_transition(actor=worker, case=case, to=CaseStatus.CLOSED)
    assert case.closed_at is not None
    assert case.retention_until is None
    entries = AuditEntry.objects.filter(action="case.transition", object_id=str(case.pk))
    assert [e.changes for e in entries.order_by("id")] == [
        {"status": ["neu", "in_bearbeitung"]},
        {"status": ["in_bearbeitung", "entschieden"], "reason": "bewilligt"},
        {"status": ["entschieden", "abgeschlossen"]},
    ]
    assert {e.actor_id for e in entries} == {worker.pk}


def test_closing_counts_retention_from_the_end_of_the_year(fresh_case):
    entry = FilingPlanEntry.objects.create(
        authority=fresh_case.authority, code="022.31", title="Hundesteuer", retention_years=6
    )
    Case.objects.filter(pk=fresh_case.pk).update(filing_plan_entry=entry)
    fresh_case.refresh_from_db()
    case = case_transition(actor=None, case=fresh_case, to=CaseStatus.CLOSED)
    assert case.retention_until == datetime.date(timezone.localdate().year + 6, 12, 31)


def test_only_the_authoritys_staff_see_and_change_its_cases(fresh_case, erfurt):
    authority = fresh_case.authority
    worker = _staff(authority, "bearbeiterin")
    auditor = _staff(authority, "pruefer", AuthorityRoleName.READ_ONLY)
    outsider = _staff(erfurt, "erfurterin")
    assert list(case_list(user=worker, authority_id=authority.pk)) == [fresh_case]
    assert list(case_list(user=auditor, authority_id=authority.pk)) == [fresh_case]
    assert list(case_list(user=outsider, authority_id=authority.pk)) == []
    assert case_get(user=auditor, public_id=fresh_case.public_id) == fresh_case
    with pytest.raises(NotFound):
        case_get(user=outsider, public_id=fresh_case.public_id)
    with pytest.raises(PermissionDenied):
        case_get(user=auditor, public_id=fresh_case.public_id, change=True)
    with pytest.raises(PermissionDenied):
        case_transition(actor=auditor, case=fresh_case, to=CaseStatus.IN_PROGRESS)
    fresh_case.refresh_from_db()
    assert fresh_case.status == CaseStatus.NEW
    assert _actions(fresh_case) == ["case.open", "case.document_add", "case.document_add"]


def test_a_caseworker_in_a_team_sees_her_teams_cases_and_those_of_no_team(fresh_case):
    authority = fresh_case.authority
    worker = _staff(authority, "bearbeiterin")
    admin = _staff(authority, "leitung", AuthorityRoleName.ADMIN)
    mine, other = (Team.objects.create(authority=authority, name=n) for n in ("Steuern", "Ordnung"))
    mine.members.add(worker)
    assert case_get(user=worker, public_id=fresh_case.public_id) == fresh_case  # no team yet
    cases_assign(actor=admin, cases=[fresh_case], assignee=None, team=other)
    with pytest.raises(NotFound):
        case_get(user=worker, public_id=fresh_case.public_id)
    assert case_get(user=admin, public_id=fresh_case.public_id) == fresh_case
    cases_assign(actor=admin, cases=[fresh_case], assignee=worker, team=mine)
    assert case_get(user=worker, public_id=fresh_case.public_id).assignee == worker


def test_assignment_is_refused_for_someone_of_another_authority(fresh_case, erfurt):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    outsider = _staff(erfurt, "erfurterin")
    with pytest.raises(InvalidInput) as refused:
        cases_assign(actor=worker, cases=[fresh_case], assignee=outsider)
    assert refused.value.field == "assignee"
    fresh_case.refresh_from_db()
    assert fresh_case.assignee is None
    assert cases_assign(actor=worker, cases=[fresh_case], assignee=worker) == 1
    assert cases_assign(actor=worker, cases=[fresh_case], assignee=worker) == 0  # no change
    assert AuditEntry.objects.filter(action="case.assign").count() == 1


def test_a_bulk_status_change_is_all_or_nothing(fresh_case):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    second = case_open(
        actor=worker,
        authority=fresh_case.authority,
        service=fresh_case.service,
        channel=Channel.PAPER,
        applicant_name="Max Muster",
        applicant_address={"street": "Dorfstraße 1", "postcode": "07389", "city": "Moxa"},
    )
    case_transition(actor=worker, case=second, to=CaseStatus.CLOSED)
    with pytest.raises(InvalidTransition):
        cases_transition(actor=worker, cases=[fresh_case, second], to=CaseStatus.WAITING_APPLICANT)
    fresh_case.refresh_from_db()
    assert fresh_case.status == CaseStatus.NEW


def test_a_paper_application_becomes_a_case_with_its_scans(fresh_case):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    scan = sample_pdf("Antrag auf Papier")
    case = case_open(
        actor=worker,
        authority=fresh_case.authority,
        service=fresh_case.service,
        channel=Channel.PAPER,
        applicant_name="  Max Muster ",
        applicant_address={"street": "Dorfstraße 1", "postcode": "07389", "city": "Moxa"},
        scans=[Upload(name="scan.pdf", data=scan)],
    )
    assert case.reference.endswith("-000002")  # the authority's numbers go on
    assert (case.applicant_name, case.assignee, case.channel) == ("Max Muster", worker, "papier")
    assert case.applicant_address == {"street": "Dorfstraße 1", "postcode": "07389", "city": "Moxa"}
    [document] = case.documents.all()
    assert (document.kind, document.author, document.author_name) == (
        DocumentKind.SCAN,
        worker,
        "Jana bearbeiterin",
    )
    assert document.document.sha256 == hashlib.sha256(scan).hexdigest()


def test_a_scan_with_malware_opens_no_case_and_stores_nothing(fresh_case):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    cases, documents = Case.objects.count(), Document.objects.count()
    with pytest.raises(InvalidInput) as refused:
        case_open(
            actor=worker,
            authority=fresh_case.authority,
            service=fresh_case.service,
            channel=Channel.COUNTER,
            applicant_name="Max Muster",
            applicant_address={},
            scans=[Upload(name="scan.pdf", data=b"%PDF-1.4\n" + EICAR)],
        )
    assert refused.value.field == "scans"
    assert (Case.objects.count(), Document.objects.count()) == (cases, documents)


@pytest.mark.parametrize(
    ("name", "channel", "field"),
    [(" ", Channel.PAPER, "name"), ("Max", Channel.ONLINE, "channel"), ("Max", "fax", "channel")],
)
def test_a_manual_case_needs_a_name_and_an_offline_channel(fresh_case, name, channel, field):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    with pytest.raises(InvalidInput) as refused:
        case_open(
            actor=worker,
            authority=fresh_case.authority,
            service=Service.objects.get(leika_key="99102013000000"),
            channel=channel,
            applicant_name=name,
            applicant_address={},
        )
    assert refused.value.field == field
    assert Case.objects.count() == 1


def test_priority_tags_and_resubmission_are_kept_and_audited(fresh_case):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    day = datetime.date(2026, 12, 7)
    case = case_update(
        actor=worker,
        case=fresh_case,
        priority=Priority.HIGH,
        tags=["Gefahrhund", " Gefahrhund", ""],
        resubmission_on=day,
    )
    assert (case.priority, case.tags, case.resubmission_on) == (1, ["Gefahrhund"], day)
    [entry] = AuditEntry.objects.filter(action="case.update")
    assert entry.changes == {
        "priority": [2, 1],
        "tags": [[], ["Gefahrhund"]],
        "resubmission_on": [None, "2026-12-07"],
    }
    with pytest.raises(InvalidInput) as refused:
        case_update(actor=worker, case=case, priority=2, tags=["x" * 41], resubmission_on=None)
    assert refused.value.field == "tags"


def test_a_note_is_filed_as_a_document_and_versions_never_overwrite(fresh_case):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    case_note_add(actor=worker, case=fresh_case, text="Halter angerufen.")
    note = fresh_case.documents.get(kind=DocumentKind.NOTE)
    assert (note.text, note.author, note.document.content_type) == (
        "Halter angerufen.",
        worker,
        "application/pdf",
    )
    with pytest.raises(InvalidInput):
        case_note_add(actor=worker, case=fresh_case, text="   ")
    from openamt.cases.files import file_document_add

    first = fresh_case.documents.get(kind=DocumentKind.ATTACHMENT)
    second = file_document_add(
        case=fresh_case,
        kind=DocumentKind.ATTACHMENT,
        title="Erlaubnis, neue Fassung",
        data=sample_pdf("neu"),
        name="erlaubnis.pdf",
        author=worker,
        author_name="Jana",
        replaces=first,
    )
    assert (second.version, second.replaces) == (2, first)
    with pytest.raises(Conflict):
        file_document_add(
            case=fresh_case,
            kind=DocumentKind.ATTACHMENT,
            title="noch eine",
            data=sample_pdf("noch eine"),
            name="erlaubnis.pdf",
            author=worker,
            author_name="Jana",
            replaces=first,
        )
    assert fresh_case.documents.filter(kind=DocumentKind.ATTACHMENT).count() == 2


def test_the_file_index_lists_every_document_with_its_hash(fresh_case):
    import io

    from pypdf import PdfReader

    from openamt.cases.files import file_index_pdf

    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(file_index_pdf(fresh_case))).pages
    )
    assert f"Inhaltsverzeichnis der Akte {fresh_case.file_number}" in text
    for row in fresh_case.documents.all():
        assert row.title in text
        assert row.document.sha256[:32] in text.replace("\n", "")

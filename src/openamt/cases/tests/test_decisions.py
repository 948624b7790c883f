"""The Bescheid from template to Bekanntgabe."""

import datetime
import io

import pikepdf
import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from openamt.accounts.models import User
from openamt.cases.constants import CaseStatus, DocumentKind
from openamt.cases.decisions import (
    TEXT_FIELDS,
    decision_bekanntgabe,
    decision_cosign,
    decision_draft,
    decision_issue,
    decision_pdf,
    decision_submit,
    decision_update,
    decisions_watch,
    placeholders_check,
    post_batch_create,
)
from openamt.cases.models import Case, Decision, DecisionTemplate, PostBatch
from openamt.cases.services import case_transition
from openamt.core.errors import Conflict, InvalidInput, PermissionDenied
from openamt.core.models import AuditEntry
from openamt.core.outbox import outbox_run_due
from openamt.mailbox.models import Message
from openamt.mailbox.services import mailbox_open, message_open
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.seals import seal_validate
from openamt.organisations.services import authority_role_grant
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.test_submissions import answered
from openamt.testing.accounts import make_holder

REMEDY = (
    "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden."
)


def _staff(authority, username: str) -> User:
    user = User.objects.create_user(
        username=username, first_name="Jana", last_name=username, email=f"{username}@vg.example"
    )
    authority_role_grant(
        actor=None, user=user, authority=authority, role=AuthorityRoleName.CASEWORKER
    )
    return user


@pytest.fixture
def holder_case(dog_form, moxa, fresh_storage) -> Case:
    holder = make_holder("erika@example.org")
    mailbox_open(account=holder.account)
    submission = submission_create(
        draft=answered(draft_start(user=holder, version=dog_form, place=moxa))
    )
    outbox_run_due()
    return Case.objects.get(submission=submission)


@pytest.fixture
def template(dog_form, register):
    def make(case: Case, **fields) -> DecisionTemplate:
        return DecisionTemplate.objects.create(
            authority=case.authority,
            service=case.service,
            title="Hundesteuer festsetzen",
            subject="Hundesteuerbescheid für {{ antragsteller }}",
            operative="Die Hundesteuer für {{ aktenzeichen }} wird festgesetzt.",
            reasons="Eingang am {{ eingangsdatum }}.",
            fee_cents=2550,
            fee_legal_basis="§ 2 Verwaltungskostensatzung",
            legal_remedy=REMEDY,
            **fields,
        )

    return make


def _in_progress(case: Case, worker: User) -> Case:
    return case_transition(actor=worker, case=case, to=CaseStatus.IN_PROGRESS)


def test_unknown_placeholders_are_named():
    placeholders_check("Für {{ antragsteller }}", field="subject")
    with pytest.raises(InvalidInput) as refused:
        placeholders_check("Für {{ antragstelller }}", field="subject")
    assert refused.value.message.startswith("Den Platzhalter „{{ antragstelller }}“ gibt es nicht.")
    assert refused.value.field == "subject"


def test_a_draft_fills_the_placeholders_and_keeps_its_remedy(holder_case, template):
    worker = _staff(holder_case.authority, "bearbeiterin")
    case = _in_progress(holder_case, worker)
    decision = decision_draft(actor=worker, case=case, template=template(case))
    assert decision.subject == "Hundesteuerbescheid für Erika"
    assert decision.operative == f"Die Hundesteuer für {case.file_number} wird festgesetzt."
    assert (decision.fee_cents, decision.status) == (2550, Decision.Status.DRAFT)
    data = {
        "subject": decision.subject,
        "operative": decision.operative,
        "reasons": "",
        "legal_remedy": " ",
        "fee_cents": 100,
        "fee_legal_basis": "x",
    }
    with pytest.raises(InvalidInput) as refused:
        decision_update(actor=worker, decision=decision, data=data)
    assert refused.value.field == "legal_remedy"
    with pytest.raises(InvalidInput) as refused:
        decision_update(
            actor=worker,
            decision=decision,
            data={**data, "legal_remedy": REMEDY, "fee_legal_basis": ""},
        )
    assert refused.value.field == "fee_legal_basis"
    decision.refresh_from_db()
    assert decision.legal_remedy == REMEDY


def test_the_author_cannot_sign_off_her_own_decision(holder_case, template):
    author = _staff(holder_case.authority, "verfasserin")
    second = _staff(holder_case.authority, "zweite")
    case = _in_progress(holder_case, author)
    decision = decision_draft(
        actor=author, case=case, template=template(case, cosign_required=True)
    )
    decision = decision_submit(actor=author, decision=decision)
    assert decision.status == Decision.Status.COSIGN
    with pytest.raises(PermissionDenied):
        decision_cosign(actor=author, decision=decision)
    with pytest.raises(Conflict):
        decision_issue(actor=author, decision=decision)
    decision = decision_cosign(actor=second, decision=decision, approve=False)
    assert decision.status == Decision.Status.DRAFT
    decision = decision_cosign(
        actor=second, decision=decision_submit(actor=author, decision=decision)
    )
    assert (decision.status, decision.cosigner) == (Decision.Status.APPROVED, second)


def test_an_issued_decision_is_sealed_pdfa_in_the_file_and_in_the_postfach(holder_case, template):
    worker = _staff(holder_case.authority, "bearbeiterin")
    case = _in_progress(holder_case, worker)
    decision = decision_submit(
        actor=worker, decision=decision_draft(actor=worker, case=case, template=template(case))
    )
    decision = decision_issue(actor=worker, decision=decision)
    assert (decision.status, decision.route) == (Decision.Status.ISSUED, Decision.Route.MAILBOX)
    filed = decision.document
    assert (filed.kind, filed.title) == (DocumentKind.DECISION, "Hundesteuerbescheid für Erika")
    pdf = filed.document.file.read()
    check = seal_validate(pdf=pdf)
    assert (check.intact, check.valid, check.trusted, check.whole_document) == (True,) * 4
    with pikepdf.open(io.BytesIO(pdf)) as document:
        metadata = document.open_metadata()
        assert metadata.pdfa_status in ("2B", "3B")
    message = Message.objects.get(pk=decision.message_id)
    assert message.is_decision
    assert message.mailbox.account.user == case.applicant_user
    assert [a.document.sha256 for a in message.attachments.all()] == [filed.document.sha256]
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    actions = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert [a.action for a in actions.order_by("id")][-5:] == [
        "decision.draft",
        "decision.submit",
        "case.document_add",
        "case.transition",
        "decision.issue",
    ]
    with pytest.raises(Conflict):
        decision_issue(actor=worker, decision=decision)
    assert Decision.objects.get().document == filed


def _issued(case, worker, template) -> Decision:
    case = _in_progress(case, worker)
    decision = decision_submit(
        actor=worker, decision=decision_draft(actor=worker, case=case, template=template(case))
    )
    return decision_issue(actor=worker, decision=decision)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_retrieval_makes_it_known_the_next_day(holder_case, template):
    worker = _staff(holder_case.authority, "bearbeiterin")
    decision = _issued(holder_case, worker, template)
    # Notified Monday 2 March 2026, opened Thursday 5 March: known Friday 6 March,
    # the month for objection ends Monday 6 April (Easter Monday): Tuesday 7 April.
    Decision.objects.filter(pk=decision.pk).update(notified_at=_at(datetime.date(2026, 3, 2)))
    Message.objects.filter(pk=decision.message_id).update(
        first_opened_at=_at(datetime.date(2026, 3, 5))
    )
    assert decisions_watch(today=datetime.date(2026, 3, 9)) == {"abgerufen": 1, "gemeldet": 0}
    decision.refresh_from_db()
    assert decision.made_known_on == datetime.date(2026, 3, 6)
    assert decision.remedy_ends_on == datetime.date(2026, 4, 7)
    assert "41" in decision.legal_basis
    assert decisions_watch(today=datetime.date(2026, 3, 10)) == {"abgerufen": 0, "gemeldet": 0}


def test_no_retrieval_is_reported_once_on_the_day_after_ten_days(holder_case, template):
    worker = _staff(holder_case.authority, "bearbeiterin")
    decision = _issued(holder_case, worker, template)
    Case.objects.filter(pk=holder_case.pk).update(assignee=worker)
    # Notified Monday 2 March: the ten days are 3–12 March; reported on 13 March.
    Decision.objects.filter(pk=decision.pk).update(notified_at=_at(datetime.date(2026, 3, 2)))
    mail.outbox.clear()
    assert decisions_watch(today=datetime.date(2026, 3, 12)) == {"abgerufen": 0, "gemeldet": 0}
    outbox_run_due()
    assert [m.subject for m in mail.outbox if "nicht abgerufen" in m.subject] == []
    assert decisions_watch(today=datetime.date(2026, 3, 13)) == {"abgerufen": 0, "gemeldet": 1}
    assert decisions_watch(today=datetime.date(2026, 3, 14)) == {"abgerufen": 0, "gemeldet": 0}
    outbox_run_due()
    alerts = [m for m in mail.outbox if "nicht abgerufen" in m.subject]
    assert [(m.to, m.subject) for m in alerts] == [
        (
            ["bearbeiterin@vg.example"],
            f"Bescheid {holder_case.file_number} nicht abgerufen: bitte per Post senden",
        )
    ]
    decision.refresh_from_db()
    assert decision.made_known_on is None
    bekanntgabe = decision_bekanntgabe(decision, today=datetime.date(2026, 3, 14))
    assert bekanntgabe.retrieval_lapsed


def test_without_a_postfach_it_goes_by_post_in_a_batch(fresh_case, template):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    decision = _issued(fresh_case, worker, template)
    assert (decision.route, decision.message) == (Decision.Route.POST, None)
    # Posted Thursday 2 April 2026: the fourth day is Monday 6 April (Easter
    # Monday; the fiction day does not move under § 41 (2) VwVfG).
    batch = post_batch_create(
        actor=worker, authority_id=fresh_case.authority_id, posted_on=datetime.date(2026, 4, 2)
    )
    decision.refresh_from_db()
    assert decision.post_batch == batch
    assert decision.made_known_on == datetime.date(2026, 4, 6)
    letter = decision.document.document.file.read()
    with (
        pikepdf.open(io.BytesIO(batch.document.file.read())) as combined,
        pikepdf.open(io.BytesIO(letter)) as single,
    ):
        assert len(combined.pages) == len(single.pages)
        # The letter is sealed; the print copy carries no signature field,
        # whose byte range would not match the combined file.
        assert "/AcroForm" in single.Root
        assert "/AcroForm" not in combined.Root
        assert [a.Subtype for p in combined.pages for a in p.get("/Annots", [])] == []
    assert post_batch_create(actor=worker, authority_id=fresh_case.authority_id) is None
    assert PostBatch.objects.count() == 1


def _text_and_title(pdf: bytes) -> tuple[list[str], str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [page.extract_text() for page in reader.pages], str(reader.metadata.title)


def test_a_preview_says_draft_on_every_page_and_the_decision_does_not(fresh_case, template):
    worker = _staff(fresh_case.authority, "bearbeiterin")
    case = _in_progress(fresh_case, worker)
    decision = decision_draft(actor=worker, case=case, template=template(case))
    texts = {field: getattr(decision, field) for field in TEXT_FIELDS}
    texts["reasons"] = "Die Voraussetzungen liegen vor.\n" * 120  # three pages
    decision = decision_update(actor=worker, decision=decision, data=texts)
    pages, title = _text_and_title(decision_pdf(decision, draft=True))
    assert len(pages) >= 3
    assert ["ENTWURF" in page for page in pages] == [True] * len(pages)
    assert title == f"Entwurf: {decision.subject}"
    issued = decision_issue(actor=worker, decision=decision_submit(actor=worker, decision=decision))
    pages, title = _text_and_title(issued.document.document.file.read())
    assert not any("ENTWURF" in page for page in pages)
    assert title == decision.subject


def test_the_first_opening_records_the_bekanntgabe_at_once(holder_case, template):
    worker = _staff(holder_case.authority, "bearbeiterin")
    decision = _issued(holder_case, worker, template)
    holder = User.objects.get(pk=holder_case.applicant_user_id)
    opened = message_open(user=holder, public_id=decision.message.public_id)
    decision.refresh_from_db()
    assert decision.retrieved_at == opened.first_opened_at
    expected = decision_bekanntgabe(decision)
    assert decision.made_known_on == timezone.localdate() + datetime.timedelta(days=1)
    assert (decision.made_known_on, decision.remedy_ends_on) == (
        expected.made_known_on,
        expected.objection_period_ends_on,
    )
    assert [e.changes["on"] for e in AuditEntry.objects.filter(action="decision.made_known")] == [
        decision.made_known_on.isoformat()
    ]
    message_open(user=holder, public_id=decision.message.public_id)  # again: nothing new
    assert decisions_watch() == {"abgerufen": 0, "gemeldet": 0}
    assert AuditEntry.objects.filter(action="decision.made_known").count() == 1

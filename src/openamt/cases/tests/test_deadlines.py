"""Statutory deadlines of a case and the daily warnings."""

import datetime

from django.core import mail

from openamt.accounts.models import User
from openamt.cases.deadlines import deadlines_warn
from openamt.cases.models import Case, ServiceDeadline
from openamt.core.models import AuditEntry
from openamt.core.outbox import outbox_run_due
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.test_submissions import answered


def test_a_case_gets_its_deadline_and_one_warning_per_occasion(dog_form, moxa, fresh_storage):
    ServiceDeadline.objects.create(
        service=dog_form.form.service,
        processing_working_days=10,
        warning_working_days=3,
        legal_basis="Hundesteuersatzung",
        valid_from=datetime.date(2020, 1, 1),
    )
    draft = draft_start(user=None, version=dog_form, place=moxa)
    admin = User.objects.create_user(username="leitung", email="leitung@vg.example")
    authority_role_grant(
        actor=None, user=admin, authority=draft.authority, role=AuthorityRoleName.ADMIN
    )
    submission = submission_create(draft=answered(draft))
    outbox_run_due()
    case = Case.objects.get(submission=submission)
    received = case.received_at.date()
    assert case.due_on is not None
    assert case.warn_on is not None
    assert received < case.warn_on < case.due_on
    assert case.fiction_on is None
    mail.outbox.clear()
    assert deadlines_warn(today=case.warn_on - datetime.timedelta(days=1)) == 0
    assert deadlines_warn(today=case.warn_on) == 1
    assert deadlines_warn(today=case.warn_on) == 0  # once
    overdue = case.due_on + datetime.timedelta(days=1)
    assert deadlines_warn(today=overdue) == 1
    assert deadlines_warn(today=overdue) == 0
    outbox_run_due()
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["leitung@vg.example"], f"Frist läuft ab: {case.file_number}"),
        (["leitung@vg.example"], f"Frist überschritten: {case.file_number}"),
    ]
    assert AuditEntry.objects.filter(action="case.deadline_warning").count() == 2

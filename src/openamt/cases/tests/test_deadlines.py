"""Statutory deadlines of a case and the daily warnings."""

import datetime

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openamt.accounts.models import User
from openamt.cases.constants import Channel
from openamt.cases.deadlines import deadlines_warn
from openamt.cases.models import Case, ServiceDeadline
from openamt.cases.services import case_open
from openamt.catalogue.models import Service
from openamt.core.mail import mail_enqueue
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


def test_warnings_go_to_the_active_caseworker_else_the_admins_read_by_the_chunk(
    erfurt, erfurt_admin, register
):
    """Seven overdue cases read three at a time: one warned before, one of an
    active caseworker, one of a caseworker who has left, the rest of nobody.
    Reading costs the same few queries per chunk, however many cases."""
    erfurt_admin.email = "leitung@erfurt.example"
    erfurt_admin.save()
    active, gone = (
        User.objects.create_user(username=name, email=f"{name}@erfurt.example")
        for name in ("jana", "uwe")
    )
    gone.is_active = False
    gone.save()
    service = Service.objects.order_by("pk").first()
    cases = [
        case_open(
            actor=erfurt_admin,
            authority=erfurt,
            service=service,
            channel=Channel.PAPER,
            applicant_name=f"Antragsteller {n}",
            applicant_address={"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"},
        )
        for n in range(7)
    ]
    today = datetime.date(2026, 11, 30)
    Case.objects.update(due_on=today - datetime.timedelta(days=2), warn_on=today, assignee=None)
    Case.objects.filter(pk=cases[1].pk).update(assignee=active)
    Case.objects.filter(pk=cases[2].pk).update(assignee=gone)
    mail_enqueue(
        key=f"frist-ueberschritten.{cases[0].public_id}",
        to=["x@example.org"],
        subject="s",
        body="b",
    )
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as captured:
        assert deadlines_warn(today=today, chunk_size=3) == 6
    reads = [
        q["sql"] for q in captured if q["sql"].startswith("SELECT") and "audit" not in q["sql"]
    ]
    # One per chunk (warned before?) and mail_enqueue's own per mail.
    assert sum("core_outboxmail" in sql for sql in reads) == 3 + 6
    assert sum("organisations_authorityrole" in sql for sql in reads) == 3
    outbox_run_due()
    sent = {m.subject.split(": ")[1]: m.to for m in mail.outbox if m.subject.startswith("Frist")}
    assert sent == {
        cases[1].file_number: ["jana@erfurt.example"],
        cases[2].file_number: ["leitung@erfurt.example"],
        **{case.file_number: ["leitung@erfurt.example"] for case in cases[3:]},
    }

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from openamt.core.models import AuditEntry
from openamt.core.outbox import outbox_run_due
from openamt.forms.services import draft_save, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.submissions.delivery import BACKOFF_MINUTES, deliver_due, deliver_job
from openamt.submissions.models import DeliveryJob, Submission
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.test_submissions import answered


def _submit(version, place):
    draft = draft_start(user=None, version=version, place=place)
    answered(draft)
    return submission_create(draft=draft)


@pytest.fixture
def by_mail(dog_form):
    version = draft_save(
        actor=None, form=dog_form.form, definition={**DOG, "delivery": ["eingang", "email"]}
    )
    return version_publish(actor=None, version=version)


def test_the_platform_inbox_receives_at_once_and_only_the_authority_sees_it(
    dog_form, moxa, django_capture_on_commit_callbacks, erfurt_admin
):
    with django_capture_on_commit_callbacks(execute=True):
        submission = _submit(dog_form, moxa)
    submission.refresh_from_db()
    assert submission.status == "im_eingang"  # in the Eingang, not sent anywhere
    staff = Client()
    authority_role_grant(
        actor=None,
        user=erfurt_admin,
        authority=submission.authority,
        role=AuthorityRoleName.CASEWORKER,
    )
    staff.force_login(erfurt_admin)
    # The Eingang lists the case the application opened, linked to its page.
    inbox = staff.get(f"/verwaltung/behoerden/{submission.authority_id}/eingang/")
    case = submission.case
    assert [c.pk for c in inbox.context["page"]] == [case.pk]
    assert f">{submission.reference}</a>" in inbox.content.decode()
    other = Client()
    from openamt.accounts.models import User
    from openamt.organisations.models import Authority

    outsider = User.objects.create_user(username="anderer.kreis")
    greiz = Authority.objects.get(name="Landratsamt Greiz")
    authority_role_grant(actor=None, user=outsider, authority=greiz, role=AuthorityRoleName.ADMIN)
    other.force_login(outsider)
    assert other.get(f"/verwaltung/behoerden/{submission.authority_id}/eingang/").status_code == 404
    assert list(other.get(f"/verwaltung/behoerden/{greiz.pk}/eingang/").context["page"]) == []


def test_a_channel_that_fails_is_retried_with_backoff_then_reported(
    by_mail, moxa, django_capture_on_commit_callbacks
):
    submission = _submit(by_mail, moxa)
    authority = submission.authority
    from openamt.accounts.models import User

    boss = User.objects.create_user(username="vg.admin", email="admin@vg-ranis.example")
    authority_role_grant(actor=None, user=boss, authority=authority, role=AuthorityRoleName.ADMIN)
    start = timezone.now()
    job = DeliveryJob.objects.get(submission=submission, channel="email")
    deliver_job(DeliveryJob.objects.get(submission=submission, channel="eingang").pk, now=start)
    assert deliver_job(job.pk, now=start) == "offen"
    job.refresh_from_db()
    assert (job.attempts, job.next_attempt_at) == (1, start + timedelta(minutes=1))
    assert deliver_due(now=start + timedelta(seconds=30)) == 0  # not yet due
    moment = start
    for minutes in BACKOFF_MINUTES:
        moment += timedelta(minutes=minutes)
        assert deliver_due(now=moment) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("gescheitert", len(BACKOFF_MINUTES) + 1)
    assert job.last_error == "Die Behörde hat keine Funktions-E-Mail-Adresse hinterlegt."
    assert Submission.objects.get(pk=submission.pk).status == "zustellung_fehlgeschlagen"
    assert outbox_run_due(now=moment) == {"delivery": 0, "mail": 1, "receipt": 1}  # the alert
    assert mail.outbox[-1].to == ["admin@vg-ranis.example"]
    assert mail.outbox[-1].subject == f"Zustellung fehlgeschlagen: Antrag {submission.reference}"
    assert (
        AuditEntry.objects.filter(
            action="submission.delivery_failed", object_id=str(submission.pk)
        ).count()
        == 1
    )


def test_after_a_crash_the_recovery_run_delivers_exactly_once(by_mail, moxa):
    submission = _submit(by_mail, moxa)  # the worker never ran: both jobs are open
    authority = submission.authority
    authority.email = "eingang@vg-ranis.example"
    authority.save()
    assert deliver_due() == 2  # Eingang, e-mail notice
    assert deliver_due() == 0
    for job in submission.jobs.all():
        assert deliver_job(job.pk) == "erledigt"
    notices = [m for m in mail.outbox if m.to == ["eingang@vg-ranis.example"]]
    assert len(notices) == 1
    assert "Erika" not in notices[0].body
    assert submission.reference in notices[0].body
    # The mail is a notice only: the application is still just in the Eingang.
    assert Submission.objects.get(pk=submission.pk).status == "im_eingang"

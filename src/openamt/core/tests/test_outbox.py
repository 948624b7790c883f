"""Leases of the transactional outbox (core.outbox), on the mail outbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from openamt.core.mail import MAIL, mail_enqueue
from openamt.core.models import OutboxMail
from openamt.core.outbox import CUT_OFF, lease_claim, lease_duration, lease_next

pytestmark = pytest.mark.django_db


def _mail(key: str = "hinweis.1") -> OutboxMail:
    queued = mail_enqueue(key=key, to=["anna@example.org"], subject="Hinweis", body="Text")
    assert queued is not None
    return queued


def test_a_leased_job_is_nobody_elses_until_the_lease_expires():
    job = _mail()
    now = timezone.now()
    first = lease_claim(OutboxMail, job.pk, now=now)
    assert first is not None
    assert not first.cut_off
    assert lease_claim(OutboxMail, job.pk, now=now + timedelta(seconds=1)) is None
    assert lease_next(OutboxMail, now=now + timedelta(seconds=1), skip=set()) is None
    later = now + lease_duration() + timedelta(seconds=1)
    second = lease_next(OutboxMail, now=later, skip=set())
    assert second is not None
    assert second[0] == job.pk
    assert second[1].cut_off  # the first worker never recorded
    # The first worker wakes up: its lease is gone, its result is not recorded.
    assert not MAIL._record(job, first, {"status": "erledigt"}, None, later)
    job.refresh_from_db()
    assert (job.status, job.lease_owner) == ("offen", second[1].token)


def test_a_mail_cut_off_by_a_dead_worker_is_parked_not_sent_again():
    job = _mail()
    now = timezone.now()
    assert lease_claim(OutboxMail, job.pk, now=now) is not None  # then the worker dies
    assert MAIL.run(job.pk, now=now + lease_duration() + timedelta(seconds=1)) == "gescheitert"
    job.refresh_from_db()
    assert (job.attempts, job.last_error, job.lease_owner, job.lease_until) == (
        1,
        CUT_OFF,
        "",
        None,
    )
    assert mail.outbox == []


def test_the_same_key_is_one_mail_and_nobody_to_write_to_is_none():
    assert _mail("alarm.7").pk == _mail("alarm.7").pk
    assert mail_enqueue(key="alarm.8", to=["", ""], subject="Hinweis", body="Text") is None
    assert list(OutboxMail.objects.values_list("key", flat=True)) == ["alarm.7"]
    assert MAIL.run_due() == 1
    [sent] = mail.outbox
    assert (sent.to, sent.extra_headers["Message-ID"]) == (
        ["anna@example.org"],
        "<alarm.7@127.0.0.1>",
    )


def test_a_job_claimed_late_in_a_long_run_gets_its_full_lease():
    job = _mail()
    run_started = timezone.now() - timedelta(hours=1)  # the run's `now`, an hour ago
    assert lease_claim(OutboxMail, job.pk, now=run_started) is not None
    job.refresh_from_db()
    assert job.lease_until is not None
    assert job.lease_until > timezone.now() + lease_duration() - timedelta(minutes=1)
    assert lease_claim(OutboxMail, job.pk, now=run_started) is None

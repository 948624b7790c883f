"""A delivery worker process killed (SIGKILL) while it delivers, on SQLite (a
file database) and on PostgreSQL. Its lease keeps other workers off the job
until it expires; then the webhook, whose receiver keeps one application per
Idempotency-Key, is delivered again and the receiver holds exactly one; the
e-mail notice, which SMTP cannot recognise as a repeat, is not mailed twice
but parked visibly and reported to the authority's administrators."""

import os
import signal
import socketserver
import subprocess
import sys
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from openamt.accounts.models import User
from openamt.catalogue.models import Service
from openamt.core.models import OutboxMail
from openamt.core.outbox import CUT_OFF, lease_duration
from openamt.forms.services import draft_save, form_create, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.regions.models import Region
from openamt.submissions.delivery import deliver_due
from openamt.submissions.endpoints import endpoint_store
from openamt.submissions.models import Submission
from openamt.submissions.receipt import RECEIPTS
from openamt.submissions.services import draft_answer, draft_start, submission_create
from openamt.submissions.tests.test_submissions import ANSWERS
from openamt.testing.data import THURINGIA, load_register

pytestmark = pytest.mark.transactional


def committed_version(data_files, channels: list[str]):
    """A published dog-tax form delivering through `channels`, committed for other
    processes and threads to see (the register loaded into the emptied database)."""
    load_register(data_files, land=THURINGIA)
    form = form_create(
        actor=None,
        key="hundesteuer",
        service=Service.objects.get(leika_key="99102013000000"),
        title="Hundesteuer",
    )
    return version_publish(
        actor=None,
        version=draft_save(actor=None, form=form, definition={**DOG, "delivery": channels}),
    )


def accepted(version) -> Submission:
    """An application accepted in Moxa (Verwaltungsgemeinschaft Ranis-Ziegenrück)."""
    draft = draft_start(user=None, version=version, place=Region.objects.get(ags="16075069"))
    draft_answer(draft=draft, answers=ANSWERS, step="tiere")
    return submission_create(draft=draft)


def worker(**env: str) -> subprocess.Popen:
    """`openamt deliver-due` as a separate process on the test database."""
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{db['NAME']}"
    )
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "openamt"), "deliver-due"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "openamt.conf.test",
            "DATABASE_URL": url,
            **env,
        },
    )


def kill_when(event: threading.Event, process: subprocess.Popen) -> None:
    try:
        assert event.wait(60), f"the worker never delivered (exit {process.poll()})"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)


class SlowReceiver(BaseHTTPRequestHandler):
    """Keeps one application per Idempotency-Key; the first request hangs."""

    def log_message(self, *args):
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        server.requests += 1
        server.accepted.setdefault(self.headers["Idempotency-Key"], 0)
        server.accepted[self.headers["Idempotency-Key"]] += 1
        server.arrived.set()
        if server.requests == 1:
            server.release.wait(20)  # the worker is killed meanwhile
        try:
            self.send_response(200)
            self.end_headers()
        except OSError:  # the killed worker's connection is gone
            pass


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowReceiver)
    server.requests, server.accepted = 0, {}
    server.arrived, server.release = threading.Event(), threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_task(monkeypatch):
    """Accepted, then no task runs here: the worker process does the delivery."""
    monkeypatch.setattr(
        "openamt.submissions.services.enqueue_on_commit", lambda task, **kwargs: None
    )


def test_a_killed_worker_keeps_its_lease_then_the_webhook_is_delivered_once(
    data_files, transactional_db, receiver, no_task
):
    submission = accepted(committed_version(data_files, ["webhook"]))
    endpoint_store(
        authority=submission.authority,
        plugin="webhook",
        values={
            "url": f"http://127.0.0.1:{receiver.server_address[1]}/webhook",
            "secret": "webhook-geheimnis-mit-mindestens-32-zeichen",
        },
    )
    process = worker()
    kill_when(receiver.arrived, process)
    receiver.release.set()
    job = submission.jobs.get(channel="webhook")
    assert (job.status, job.attempts) == ("offen", 0)
    assert job.lease_owner != ""
    assert RECEIPTS.run_due() == 1  # the receipt goes its own way
    assert deliver_due() == 0  # the webhook is still leased to the dead worker
    assert receiver.requests == 1
    later = timezone.now() + lease_duration() + timedelta(seconds=1)
    assert deliver_due(now=later) == 1  # the lease expired: taken over, sent again
    assert deliver_due(now=later) == 0
    assert receiver.requests == 2
    assert receiver.accepted == {str(submission.public_id): 2}  # one application, sent twice
    job.refresh_from_db()
    assert (job.status, job.lease_owner, job.lease_until) == ("erledigt", "", None)
    assert Submission.objects.get(pk=submission.pk).status == "zugestellt"


class SlowSmtp(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to take one mail; after the first mail's data
    it never answers, as when the worker dies between sending and recording."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self) -> None:
        server = self.server
        self.reply("220 mail.example ESMTP")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"DATA":
                self.reply("354 weiter")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    data += self.rfile.readline()
                server.mails.append(data.decode())
                server.arrived.set()
                server.release.wait(20)
                return
            if command == b"QUIT":
                self.reply("221 tschüss")
                return
            self.reply("250 ok")


@pytest.fixture
def smtp():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SlowSmtp)
    server.daemon_threads = True
    server.mails, server.arrived, server.release = [], threading.Event(), threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def test_a_mail_notice_cut_off_by_a_killed_worker_is_not_mailed_twice(
    data_files, transactional_db, smtp, no_task
):
    submission = accepted(committed_version(data_files, ["email"]))
    authority = submission.authority
    authority.email = "eingang@vg-ranis.example"
    authority.save()
    boss = User.objects.create_user(username="vg.admin", email="admin@vg-ranis.example")
    authority_role_grant(actor=None, user=boss, authority=authority, role=AuthorityRoleName.ADMIN)
    process = worker(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp.server_address[1]),
    )
    kill_when(smtp.arrived, process)
    smtp.release.set()
    [sent] = smtp.mails
    assert f"Message-ID: <antrag.{submission.public_id}@127.0.0.1>" in sent
    later = timezone.now() + lease_duration() + timedelta(seconds=1)
    assert deliver_due(now=later) == 1  # the cut-off notice, parked
    job = submission.jobs.get(channel="email")
    assert (job.status, job.attempts, job.last_error) == ("gescheitert", 1, CUT_OFF)
    assert Submission.objects.get(pk=submission.pk).status == "zustellung_fehlgeschlagen"
    # No second notice to the functional mailbox; the administrators are told.
    [alert] = mail.outbox
    assert alert.to == ["admin@vg-ranis.example"]
    assert CUT_OFF in alert.body
    assert OutboxMail.objects.get().status == "erledigt"

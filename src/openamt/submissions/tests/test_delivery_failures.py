"""Any failure of a channel is a failed attempt, and the last one is parked and
reported even with the mail server down."""

import json
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from openamt.accounts.models import User
from openamt.core.models import AuditEntry, OutboxMail
from openamt.core.outbox import outbox_run_due
from openamt.organisations.constants import AuthorityRoleName
from openamt.organisations.services import authority_role_grant
from openamt.submissions.contrib.fit_connect.plugin import EncryptedSubmission
from openamt.submissions.delivery import BACKOFF_MINUTES, deliver_due, deliver_job
from openamt.submissions.endpoints import endpoint_store
from openamt.submissions.models import Submission
from openamt.submissions.tests.test_receivers import RECEIVER_KEY, _submission


class HtmlTokenEndpoint(BaseHTTPRequestHandler):
    """A token endpoint behind a misconfigured proxy: 200 with an HTML page;
    a webhook that accepts everything."""

    def log_message(self, *args):
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/webhook":
            self.server.received.append(json.loads(body)["reference"])
        data = b"<html><body>Wartungsarbeiten</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), HtmlTokenEndpoint)
    server.received = []
    Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_channel_raising_anything_is_a_failed_attempt_and_the_job_behind_it_is_delivered(
    dog_form, moxa, receiver, monkeypatch
):
    # A fault the plugin did not foresee: reading the token endpoint's HTML as JSON.
    monkeypatch.setattr(EncryptedSubmission, "_token", lambda self, options: json.loads("<html>"))
    base = f"http://127.0.0.1:{receiver.server_address[1]}"
    bad = _submission(dog_form, moxa, ["fit-connect"])
    endpoint_store(
        authority=bad.authority,
        plugin="fit-connect",
        values={
            "url": f"{base}/submissions",
            "token_url": f"{base}/token",
            "client_id": "vg-ranis",
            "client_secret": "zp-geheimnis",
            "public_key": RECEIVER_KEY.as_dict(private=False),
        },
    )
    endpoint_store(
        authority=bad.authority,
        plugin="webhook",
        values={"url": f"{base}/webhook", "secret": "webhook-geheimnis-mit-mindestens-32-zeichen"},
    )
    good = _submission(dog_form, moxa, ["webhook"])
    start = timezone.now()
    assert deliver_due(now=start) == 2  # both targets
    job = bad.jobs.get(channel="fit-connect")
    assert (job.status, job.attempts, job.last_error) == (
        "offen",
        1,
        "Unerwarteter Fehler (JSONDecodeError).",
    )
    assert job.next_attempt_at == start + timedelta(minutes=BACKOFF_MINUTES[0])
    assert receiver.received == [good.reference]
    assert good.jobs.get(channel="webhook").status == "erledigt"
    assert Submission.objects.get(pk=good.pk).status == "zugestellt"
    moment = start
    for minutes in BACKOFF_MINUTES:
        moment += timedelta(minutes=minutes)
        assert deliver_due(now=moment) == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("gescheitert", len(BACKOFF_MINUTES) + 1)
    assert Submission.objects.get(pk=bad.pk).status == "zustellung_fehlgeschlagen"
    assert deliver_due(now=moment + timedelta(days=1)) == 0  # parked, not retried


def test_with_the_mail_server_down_the_failure_is_kept_and_the_alert_sent_later(
    dog_form, moxa, monkeypatch
):
    submission = _submission(dog_form, moxa, ["email"])  # the authority has no e-mail address
    boss = User.objects.create_user(username="vg.admin", email="admin@vg-ranis.example")
    authority_role_grant(
        actor=None, user=boss, authority=submission.authority, role=AuthorityRoleName.ADMIN
    )

    def smtp_down(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(EmailBackend, "send_messages", smtp_down)
    job = submission.jobs.get(channel="email")
    moment = timezone.now()
    deliver_job(job.pk, now=moment)
    for minutes in BACKOFF_MINUTES:
        moment += timedelta(minutes=minutes)
        deliver_due(now=moment)
    job.refresh_from_db()
    assert job.status == "gescheitert"
    assert Submission.objects.get(pk=submission.pk).status == "zustellung_fehlgeschlagen"
    failed = AuditEntry.objects.filter(
        action="submission.delivery_failed", object_id=str(submission.pk)
    )
    assert failed.count() == 1
    assert mail.outbox == []
    call_command("deliver_due")  # the alert is tried: the server is still down
    alert_job = OutboxMail.objects.get()
    assert (alert_job.status, alert_job.attempts, alert_job.recipients) == (
        "offen",
        1,
        ["admin@vg-ranis.example"],
    )
    assert alert_job.last_error == "Mailserver nicht erreichbar (ConnectionRefusedError)."
    monkeypatch.undo()  # the mail server is back
    later = timezone.now() + timedelta(minutes=BACKOFF_MINUTES[0])
    assert outbox_run_due(now=later) == {"delivery": 0, "mail": 1, "receipt": 0}
    assert outbox_run_due(now=later) == {"delivery": 0, "mail": 0, "receipt": 0}
    [alert] = mail.outbox
    assert alert.to == ["admin@vg-ranis.example"]
    assert alert.subject == f"Zustellung fehlgeschlagen: Antrag {submission.reference}"
    assert (
        alert.extra_headers["Message-ID"]
        == f"<zustellung-gescheitert.{job.pk}.{job.attempts}@127.0.0.1>"
    )
    assert failed.count() == 1

"""A receiver that takes 10 seconds holds up nobody: while its delivery is in
progress, other applications are accepted (SQLite: no write lock held; a
parallel write would fail after the 5-second busy timeout) and the job's row
is not locked (PostgreSQL)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connections, transaction

from openamt.submissions.delivery import deliver_job
from openamt.submissions.endpoints import endpoint_store
from openamt.submissions.models import DeliveryJob, Submission
from openamt.submissions.tests.test_worker_crash import accepted, committed_version

pytestmark = pytest.mark.transactional


class TenSeconds(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.arrived.set()
        self.server.release.wait(10)
        self.server.answered.set()
        self.send_response(200)
        self.end_headers()


@pytest.fixture
def slow():
    server = ThreadingHTTPServer(("127.0.0.1", 0), TenSeconds)
    server.arrived, server.release, server.answered = (threading.Event() for _ in range(3))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def test_applications_are_accepted_while_a_slow_receiver_is_called(
    data_files, transactional_db, slow, monkeypatch
):
    monkeypatch.setattr(
        "openamt.submissions.services.enqueue_on_commit", lambda task, **kwargs: None
    )
    version = committed_version(data_files, ["webhook"])
    first = accepted(version)
    endpoint_store(
        authority=first.authority,
        plugin="webhook",
        values={
            "url": f"http://127.0.0.1:{slow.server_address[1]}/webhook",
            "secret": "webhook-geheimnis-mit-mindestens-32-zeichen",
        },
    )
    job = first.jobs.get(channel="webhook")
    outcome: list[str] = []

    def deliver() -> None:
        try:
            outcome.append(deliver_job(job.pk))
        finally:
            connections.close_all()

    delivering = threading.Thread(target=deliver)
    delivering.start()
    try:
        assert slow.arrived.wait(30)
        others = []
        for _ in range(3):
            others.append(accepted(version))
            assert not slow.answered.is_set()  # accepted while the receiver still works
        with transaction.atomic():
            # Nobody holds the job's row (PostgreSQL; SQLite has no row locks).
            locked = DeliveryJob.objects.select_for_update(nowait=True).get(pk=job.pk)
            assert locked.lease_owner != ""  # but it is leased
        assert not slow.answered.is_set()
    finally:
        slow.release.set()
        delivering.join(30)
    assert outcome == ["erledigt"]
    assert Submission.objects.filter(pk__in=[s.pk for s in others]).count() == 3
    job.refresh_from_db()
    assert (job.status, job.attempts, job.lease_owner) == ("erledigt", 0, "")

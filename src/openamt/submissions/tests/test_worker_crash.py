"""A delivery worker killed while it delivers: the job stays open, the restarted
run delivers again under the same Idempotency-Key, and the receiver, which
keeps one application per key, has exactly one. Needs PostgreSQL: the worker
is a separate process that must see the committed submission."""

import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connection

from openamt.catalogue.models import Service
from openamt.forms.services import draft_save, form_create, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.regions.models import Region
from openamt.submissions.delivery import deliver_due
from openamt.submissions.endpoints import endpoint_store
from openamt.submissions.models import Submission
from openamt.submissions.services import draft_answer, draft_start, submission_create
from openamt.submissions.tests.test_submissions import ANSWERS
from openamt.testing.data import THURINGIA, load_register

pytestmark = [
    pytest.mark.transactional,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the worker process needs a shared database"
    ),
]


class SlowReceiver(BaseHTTPRequestHandler):
    """Keeps one application per Idempotency-Key; the first request hangs."""

    def log_message(self, *args):
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        server = self.server
        server.requests += 1
        server.arrived.set()
        if server.requests == 1:
            server.release.wait(20)  # the worker is killed meanwhile
        server.accepted.setdefault(self.headers["Idempotency-Key"], 0)
        server.accepted[self.headers["Idempotency-Key"]] += 1
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


def test_a_killed_worker_leaves_the_job_open_and_the_restart_delivers_once(
    data_files, transactional_db, receiver, monkeypatch
):
    # Accepted, then no task runs here: the worker process below does the delivery.
    monkeypatch.setattr(
        "openamt.submissions.services.enqueue_on_commit", lambda task, **kwargs: None
    )
    load_register(data_files, land=THURINGIA)
    form = form_create(
        actor=None,
        key="hundesteuer",
        service=Service.objects.get(leika_key="99102013000000"),
        title="Hundesteuer",
    )
    version = version_publish(
        actor=None,
        version=draft_save(actor=None, form=form, definition={**DOG, "delivery": ["webhook"]}),
    )
    draft = draft_start(user=None, version=version, place=Region.objects.get(ags="16075069"))
    draft_answer(draft=draft, answers=ANSWERS, step="tiere")
    submission = submission_create(draft=draft)
    endpoint_store(
        authority=submission.authority,
        plugin="webhook",
        values={
            "url": f"http://127.0.0.1:{receiver.server_address[1]}/webhook",
            "secret": "webhook-geheimnis-mit-mindestens-32-zeichen",
        },
    )
    db = connection.settings_dict
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "openamt"), "deliver-due"],
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "openamt.conf.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        },
    )
    try:
        arrived = receiver.arrived.wait(30)
        assert arrived, f"the worker never delivered (exit {worker.poll()})"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    receiver.release.set()
    time.sleep(0.2)
    assert submission.jobs.get(channel="webhook").status == "offen"
    assert deliver_due() == 2  # the webhook again, and the receipt
    assert deliver_due() == 0
    assert receiver.requests == 2
    assert receiver.accepted == {str(submission.public_id): 2}  # one application, sent twice
    assert Submission.objects.get(pk=submission.pk).status == "zugestellt"

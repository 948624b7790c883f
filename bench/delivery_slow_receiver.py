"""Zustellung: deliveries per second to fast webhook receivers, first all fast
(the baseline), then with one receiver among them that takes 10 s to answer,
both in this run with the same workers. The slow receiver holds up only the
worker calling it: no transaction or row lock is held across the call, so the
others go on delivering, and the fast deliveries' rate stays near the baseline.

Workers are threads, each running the recovery loop (`deliver_due`) with its
own database connection, as several `openamt deliver-due` / `db_worker`
processes would. PostgreSQL: BENCH_DATABASE_URL, or a throw-away database on
127.0.0.1:5432; SQLite (WAL) if there is no server.
"""

import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _django import postgres_database, setup

postgres_database()
setup()

from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from openamt.core.editions import DataFiles  # noqa: E402
from openamt.forms.models import FormVersion  # noqa: E402
from openamt.forms.services import forms_load  # noqa: E402
from openamt.forms.tests.test_shipped import DATA_DIR  # noqa: E402
from openamt.organisations.models import Authority  # noqa: E402
from openamt.regions.models import Region  # noqa: E402
from openamt.submissions.delivery import deliver_due  # noqa: E402
from openamt.submissions.endpoints import endpoint_store  # noqa: E402
from openamt.submissions.models import DeliveryJob, Submission  # noqa: E402
from openamt.testing.data import THURINGIA, load_register  # noqa: E402

FAST = int(os.environ.get("BENCH_DELIVERIES", "600"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "8"))
SLOW_SECONDS = 10


class Receiver(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/langsam":
            time.sleep(SLOW_SECONDS)
        else:
            self.server.fast_done = time.perf_counter()  # type: ignore[attr-defined]
            self.server.fast_count += 1  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}"

started = time.perf_counter()
load_register(DataFiles.configured(), land=THURINGIA)
forms_load(directory=DATA_DIR)
print(
    f"database: {connection.vendor}; Thuringia and forms loaded in {time.perf_counter() - started:.0f} s"
)
version = FormVersion.objects.filter(status="veroeffentlicht").first()
assert version is not None
place = Region.objects.filter(level="gemeinde").first()
fast_authority, slow_authority = Authority.objects.order_by("pk")[:2]
for authority, path in ((fast_authority, "schnell"), (slow_authority, "langsam")):
    endpoint_store(
        authority=authority,
        plugin="webhook",
        values={"url": f"{base}/{path}", "secret": "bench-" + "x" * 32},
    )


def jobs(authority: Authority, count: int, run: str) -> None:
    submissions = Submission.objects.bulk_create(
        Submission(
            reference=f"{run}-{n}",
            version=version,
            authority=authority,
            place=place,
            answers={"bench": n},
            public_id=uuid.uuid4(),
        )
        for n in range(count)
    )
    now = timezone.now()
    DeliveryJob.objects.bulk_create(
        DeliveryJob(submission=submission, channel="webhook", next_attempt_at=now)
        for submission in submissions
    )


def worker() -> None:
    try:
        while deliver_due(limit=20):
            pass
    finally:
        connections.close_all()


def run(label: str, *, slow: bool) -> float:
    """Fast deliveries per second of one run (time until the last fast one arrived)."""
    if slow:
        jobs(slow_authority, 1, f"{label}-langsam")  # first in line: a worker takes it at once
    jobs(fast_authority, FAST, label)
    server.fast_count = 0  # type: ignore[attr-defined]
    connection.close()
    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - start
    fast_seconds = server.fast_done - start  # type: ignore[attr-defined]
    assert server.fast_count == FAST, server.fast_count  # type: ignore[attr-defined]
    assert not DeliveryJob.objects.exclude(status="erledigt").exists()
    rate = FAST / fast_seconds
    print(
        f"{label:<28} {FAST} fast deliveries in {fast_seconds:5.2f} s: {rate:6.1f}/s"
        f"   all done after {total:5.2f} s"
    )
    return rate


baseline = run("all fast", slow=False)
with_slow = run(f"one {SLOW_SECONDS}-second receiver", slow=True)
print(
    f"fast deliveries with one {SLOW_SECONDS}-second receiver among them, {WORKERS} workers: "
    f"{with_slow:.1f}/s, ratio to all fast {with_slow / baseline:.2f}x"
)
server.shutdown()

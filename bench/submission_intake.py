"""Antragseingang: applications with one 100 kB PDF each, submitted over HTTP
to 2 gunicorn processes on PostgreSQL by wrk for 60 s (target >= 100/s, none
lost: rows and delivery jobs are counted afterwards), against a bare insert of
the same rows; and the p95 of rendering a form step.

PostgreSQL: BENCH_DATABASE_URL, or a throw-away database on 127.0.0.1:5432.
The virus scanner is the EICAR test scanner (there is no clamd with signatures
on a bench machine); ClamAV's own scan time comes on top in production.
"""

import base64
import json
import os
import re
import shutil
import sys
import time
import uuid
from datetime import timedelta

from _django import percentile, postgres_database, served, setup

postgres_database()
workdir = setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from oauth2_provider.models import AccessToken, Application  # noqa: E402

from openamt.conf.keys import write_new_key  # noqa: E402
from openamt.core.editions import DataFiles  # noqa: E402
from openamt.forms.models import FormVersion  # noqa: E402
from openamt.forms.services import forms_load  # noqa: E402
from openamt.forms.tests.test_shipped import DATA_DIR, EXAMPLES_DIR  # noqa: E402
from openamt.mailbox.models import Document  # noqa: E402
from openamt.oidc.models import ClientSettings  # noqa: E402
from openamt.regions.models import Region  # noqa: E402
from openamt.responsibility.selectors import responsibility_find  # noqa: E402
from openamt.submissions.models import (  # noqa: E402
    Attachment,
    DeliveryJob,
    Draft,
    ReceiptJob,
    Submission,
)
from openamt.submissions.services import draft_answer, draft_start  # noqa: E402
from openamt.testing.accounts import holder_client, make_holder  # noqa: E402
from openamt.testing.data import THURINGIA, load_register  # noqa: E402
from openamt.testing.documents import sample_pdf  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
DISTINCT_FILES = 40  # cycled; the store keeps each content once
BARE_ROWS = 2000
RENDERS = 300

files = DataFiles.configured()
started = time.perf_counter()
load_register(files, land=THURINGIA)
forms_load(directory=DATA_DIR)
print(
    f"database: {connection.vendor}; Thuringia and 11 forms loaded in {time.perf_counter() - started:.0f} s"
)

example = json.loads((EXAMPLES_DIR / "hundesteuer-anmeldung.json").read_text(encoding="utf-8"))
answers = example["answers"]
answers.update(ermaessigung="nein")
for key in ("ermaessigung_grund", "ermaessigung_begruendung", "ermaessigung_nachweis"):
    answers.pop(key)
answers["hunde"][1].pop("gefaehrlich_nachweis")  # sent as the attachment below

app = Application.objects.create(
    name="Partnerportal",
    client_type=Application.CLIENT_CONFIDENTIAL,
    authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
)
ClientSettings.objects.create(application=app, may_submit=True)
AccessToken.objects.create(
    application=app,
    token="bench-antraege",  # noqa: S106 - a throw-away token of this benchmark
    scope="antraege:einreichen",
    expires=timezone.now() + timedelta(hours=2),
)
bodies = []
for n in range(DISTINCT_FILES):
    pdf = sample_pdf(f"Erlaubnis {n}", size=100_000)
    bodies.append(
        json.dumps(
            {
                "form": "hundesteuer-anmeldung",
                "place": example["place"],
                "answers": answers,
                "attachments": [
                    {
                        "path": "hunde.1.gefaehrlich_nachweis",
                        "filename": "erlaubnis.pdf",
                        "content_base64": base64.b64encode(pdf).decode(),
                    }
                ],
            },
            ensure_ascii=True,
        )
    )
# One request in-process first: the body is a valid application.
check = Client().post(
    "/api/v1/submissions",
    bodies[0],
    content_type="application/json",
    HTTP_AUTHORIZATION="Bearer bench-antraege",
    HTTP_IDEMPOTENCY_KEY="probe",
)
assert check.status_code == 202, check.content
Submission.objects.all().delete()
print(f"request body {len(bodies[0]) / 1024:.0f} kB (PDF {len(pdf) / 1024:.0f} kB, Base64)")

# --- form step render, in-process ------------------------------------------
version = FormVersion.objects.get(form__key="hundesteuer-anmeldung", status="veroeffentlicht")
holder = make_holder("bench@example.org")
draft = draft_start(
    user=holder, version=version, place=Region.objects.get(level="gemeinde", ags=example["place"])
)
draft_answer(draft=draft, answers=answers, step="hunde")
browser = holder_client(holder)
step_url = f"/antrag/entwurf/{draft.public_id}/schritt/hunde/"


def timed(url: str) -> list[float]:
    for _ in range(20):
        browser.get(url)
    samples = []
    for _ in range(RENDERS):
        t = time.perf_counter()
        assert browser.get(url).status_code == 200
        samples.append((time.perf_counter() - t) * 1000)
    return samples


step_ms, home_ms = timed(step_url), timed("/")
print(
    f"form step render (Hundesteuer, step „Hunde“ with 2 dogs, {RENDERS}x): "
    f"p50 {percentile(step_ms, 50):5.1f} ms  p95 {percentile(step_ms, 95):5.1f} ms   "
    f"start page p95 {percentile(home_ms, 95):4.1f} ms   ratio {percentile(step_ms, 95) / percentile(home_ms, 95):.1f}x"
)
Draft.objects.all().delete()

# --- bare insert of the same rows --------------------------------------------
place = Region.objects.get(level="gemeinde", ags=example["place"])
document = Document.objects.first()
authority = responsibility_find(service=version.form.service, region=place).authority
started = time.perf_counter()
for n in range(BARE_ROWS):
    with transaction.atomic():
        row = Submission.objects.create(
            reference=f"bare-{n}",
            version=version,
            authority=authority,
            place=place,
            answers=answers,
            public_id=uuid.uuid4(),
        )
        DeliveryJob.objects.create(submission=row, channel="eingang")
        ReceiptJob.objects.create(submission=row)
        Attachment.objects.create(submission=row, path="hunde.1.x", document=document, name="e.pdf")
bare_rate = BARE_ROWS / (time.perf_counter() - started)
Submission.objects.all().delete()
connection.close()

# --- HTTP: 2 gunicorn processes, wrk -------------------------------------------
if shutil.which("wrk") is None:
    print("HTTP intake: wrk not installed (make loadtool)")
    sys.exit(0)
(workdir / "bench_settings.py").write_text(
    "import os\n"
    "os.environ['OPENAMT_VIRUS_SCANNER'] = 'clamav'\n"
    "from openamt.conf.production import *  # noqa: F403\n"
    "OPENAMT_VIRUS_SCANNER = 'eicar-test'  # no clamd with signatures on a bench machine\n"
)
write_new_key(workdir / "oidc-keys")
env = {
    **os.environ,
    "PYTHONPATH": str(workdir),
    "DJANGO_SETTINGS_MODULE": "bench_settings",
    "SECRET_KEY": "bench",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "REDIS_URL": "",
    "OPENAMT_SIGNING_KEY_FILE": str(workdir / "key.json"),
    "OPENAMT_OIDC_KEY_DIR": str(workdir / "oidc-keys"),
}
script = workdir / "submit.lua"
script.write_text(
    "local bodies = {" + ",".join(f"[==[{body}]==]" for body in bodies) + "}\n"
    "local threads = 0\n"
    "setup = function(thread) threads = threads + 1; thread:set('tid', threads) end\n"
    "local n = 0\n"
    "request = function()\n"
    "  n = n + 1\n"
    "  return wrk.format('POST', '/api/v1/submissions', {['Content-Type'] = 'application/json',"
    " ['Authorization'] = 'Bearer bench-antraege', ['Idempotency-Key'] = 'b-' .. tid .. '-' .. n},"
    " bodies[n % #bodies + 1])\n"
    "end\n"
)
out = served(env, 8792, script, seconds=SECONDS, connections=8)
completed = int(re.search(r"(\d+) requests in", out).group(1))
failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
failed = int(failed.group(1)) if failed else 0
socket_errors = re.search(r"Socket errors: (.*)", out)
p99 = re.search(r"99%\s+(\S+)", out).group(1)
p50 = re.search(r"50%\s+(\S+)", out).group(1)
accepted = completed - failed
rows = Submission.objects.count()
jobs = DeliveryJob.objects.count() + ReceiptJob.objects.count()
with_file = (
    Attachment.objects.filter(submission__isnull=False).values("submission").distinct().count()
)
rate = accepted / SECONDS
print(
    f"HTTP intake, 2 gunicorn processes, wrk 8 connections, {SECONDS} s: {rate:.0f} applications/s "
    f"(latency p50 {p50}, p99 {p99}); target >= 100/s: {'OK' if rate >= 100 else 'MISSED'}"
)
print(
    f"  accepted (202) {accepted}, other responses {failed}"
    f"{', socket errors ' + socket_errors.group(1) if socket_errors else ''}; "
    f"rows afterwards: {rows} applications, {jobs} delivery jobs, {with_file} with their attachment, "
    f"{Document.objects.count()} stored files"
)
lost = accepted - rows
print(
    f"  lost: {max(lost, 0)} (rows >= accepted: {'OK' if rows >= accepted else 'MISSED'}; "
    f"2 jobs and 1 attachment each: {'OK' if jobs == 2 * rows and with_file == rows else 'MISSED'})"
)
print(
    f"bare insert of the same rows (1 application, 2 jobs, 1 attachment per transaction, "
    f"one connection): {bare_rate:.0f}/s   ratio {bare_rate / rate:.1f}x"
)

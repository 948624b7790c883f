"""Delivery to systems outside the platform, against local receivers that check
every byte: a FIT-Connect-style Zustellpunkt that decrypts, and a webhook that
verifies its signature."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.utils import timezone
from joserfc import jwe
from joserfc.jwe import JWERegistry
from joserfc.jwk import RSAKey

from openamt.forms.services import draft_save, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.submissions.delivery import BACKOFF_MINUTES, deliver_due, deliver_job
from openamt.submissions.endpoints import endpoint_store
from openamt.submissions.models import Submission
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.test_submissions import PERMIT, answered

REGISTRY = JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"])
RECEIVER_KEY = RSAKey.generate_key(2048)


class Receiver(BaseHTTPRequestHandler):
    received: list  # set per server
    webhook_secret = b"webhook-geheimnis-mit-mindestens-32-zeichen"

    def log_message(self, *args):  # keep test output quiet
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.path == "/token":
            form = parse_qs(body.decode())
            if form.get("client_secret") == ["zp-geheimnis"]:
                return self._reply(200, {"access_token": "zp-token", "token_type": "Bearer"})
            return self._reply(401, {"error": "invalid_client"})
        if self.path == "/submissions":
            if self.headers["Authorization"] != "Bearer zp-token":
                return self._reply(401, {})
            message = json.loads(body)
            self.server.received.append(
                {
                    "id": message["submissionId"],
                    "key": self.headers["Idempotency-Key"],
                    "metadata": json.loads(
                        jwe.decrypt_compact(
                            message["encryptedMetadata"], RECEIVER_KEY, registry=REGISTRY
                        ).plaintext
                    ),
                    "data": json.loads(
                        jwe.decrypt_compact(
                            message["encryptedData"], RECEIVER_KEY, registry=REGISTRY
                        ).plaintext
                    ),
                    "attachments": {
                        attachment_id: jwe.decrypt_compact(
                            content, RECEIVER_KEY, registry=REGISTRY
                        ).plaintext
                        for attachment_id, content in message["encryptedAttachments"].items()
                    },
                }
            )
            return self._reply(202, {})
        if self.path == "/webhook":
            expected = hmac.new(
                self.webhook_secret,
                self.headers["X-OpenAmt-Timestamp"].encode() + b"." + body,
                hashlib.sha256,
            ).hexdigest()
            if not hmac.compare_digest(self.headers["X-OpenAmt-Signature"], f"sha256={expected}"):
                return self._reply(403, {})
            self.server.received.append(json.loads(body))
            return self._reply(200, {})
        return self._reply(404, {})


@pytest.fixture
def receiver():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _submission(dog_form, moxa, channels):
    version = version_publish(
        actor=None,
        version=draft_save(
            actor=None, form=dog_form.form, definition={**DOG, "delivery": channels}
        ),
    )
    draft = draft_start(user=None, version=version, place=moxa)
    answered(draft)
    return submission_create(draft=draft)


def test_the_zustellpunkt_decrypts_exactly_the_submitted_data(dog_form, moxa, receiver):
    submission = _submission(dog_form, moxa, ["fit-connect"])
    base = f"http://127.0.0.1:{receiver.server_address[1]}"
    endpoint_store(
        authority=submission.authority,
        plugin="fit-connect",
        values={
            "url": f"{base}/submissions",
            "token_url": f"{base}/token",
            "client_id": "vg-ranis",
            "client_secret": "zp-geheimnis",
            "public_key": RECEIVER_KEY.as_dict(private=False),
        },
    )
    assert deliver_job(submission.jobs.get(channel="fit-connect").pk) == "erledigt"
    [got] = receiver.received
    assert got["id"] == got["key"] == str(submission.public_id)
    assert got["data"] == submission.answers
    assert (got["metadata"]["reference"], got["metadata"]["leikaKey"]) == (
        submission.reference,
        "99102013000000",
    )
    [described] = got["metadata"]["attachments"]
    assert described == {
        "attachmentId": described["attachmentId"],
        "path": "hunde.1.nachweis",
        "filename": "erlaubnis.pdf",
        "mimeType": "application/pdf",
        "sha256": hashlib.sha256(PERMIT).hexdigest(),
    }
    assert got["attachments"] == {described["attachmentId"]: PERMIT}
    assert Submission.objects.get(pk=submission.pk).status == "zugestellt"


def test_with_the_receiver_down_the_job_retries_and_then_fails(dog_form, moxa, receiver):
    submission = _submission(dog_form, moxa, ["fit-connect"])
    port = receiver.server_address[1]
    receiver.shutdown()
    receiver.server_close()
    endpoint_store(
        authority=submission.authority,
        plugin="fit-connect",
        values={
            "url": f"http://127.0.0.1:{port}/submissions",
            "token_url": f"http://127.0.0.1:{port}/token",
            "client_id": "vg-ranis",
            "client_secret": "zp-geheimnis",
            "public_key": RECEIVER_KEY.as_dict(private=False),
        },
    )
    moment = timezone.now()
    deliver_job(submission.jobs.get(channel="fit-connect").pk, now=moment)
    job = submission.jobs.get(channel="fit-connect")
    assert (job.attempts, job.last_error) == (
        1,
        f"127.0.0.1:{port} nicht erreichbar (ConnectionError).",
    )
    for minutes in BACKOFF_MINUTES:
        moment += timedelta(minutes=minutes)
        deliver_due(now=moment)
    assert submission.jobs.get(channel="fit-connect").status == "gescheitert"
    assert Submission.objects.get(pk=submission.pk).status == "zustellung_fehlgeschlagen"


def test_the_webhook_is_signed(dog_form, moxa, receiver):
    submission = _submission(dog_form, moxa, ["webhook"])
    url = f"http://127.0.0.1:{receiver.server_address[1]}/webhook"
    endpoint_store(
        authority=submission.authority,
        plugin="webhook",
        values={
            "url": f"http://127.0.0.1:{receiver.server_address[1]}/webhook",
            "secret": "webhook-geheimnis-mit-mindestens-32-zeichen",
        },
    )
    assert deliver_job(submission.jobs.get(channel="webhook").pk) == "erledigt"
    assert receiver.received[0]["answers"] == submission.answers
    [attachment] = receiver.received[0]["attachments"]
    assert base64.b64decode(attachment["content"]) == PERMIT
    endpoint_store(
        authority=submission.authority,
        plugin="webhook",
        values={"url": url, "secret": "ein-falsches-geheimnis-mit-32-zeichen-und-mehr"},
    )
    other = _submission(dog_form, moxa, ["webhook"])
    assert deliver_job(other.jobs.get(channel="webhook").pk) == "offen"
    assert other.jobs.get(channel="webhook").last_error.endswith("antwortete 403.")

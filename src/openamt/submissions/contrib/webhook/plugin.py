"""The application as JSON posted to the authority's system, signed with
HMAC-SHA256 over timestamp and body, with the submission's id as
Idempotency-Key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from openamt.submissions.base import receiver_post
from openamt.submissions.models import Submission
from openamt.submissions.payload import submission_attachments, submission_metadata
from openamt.submissions.registry import delivery_targets

MIN_SECRET = 32


class WebhookOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: HttpUrl = Field(title="Adresse")
    secret: str = Field(title="Webhook-Geheimnis", min_length=MIN_SECRET, max_length=200)


@delivery_targets.register("webhook")
class SignedWebhook:
    label = "Webhook (HMAC-signiert)"
    reaches_own_system = True
    idempotent_receiver = True  # the same Idempotency-Key on every attempt
    default = False
    configurable = True
    Options = WebhookOptions
    secret_options = frozenset({"secret"})

    def deliver(self, submission: Submission, options: WebhookOptions) -> None:
        attachments = [
            {**described, "content": base64.b64encode(content).decode()}
            for described, content in submission_attachments(submission)
        ]
        body = json.dumps(
            {**submission_metadata(submission, attachments), "answers": submission.answers},
            ensure_ascii=False,
            sort_keys=True,
        ).encode()
        timestamp = str(int(time.time()))
        signature = hmac.new(
            options.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        receiver_post(
            str(options.url),
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-OpenAmt-Timestamp": timestamp,
                "X-OpenAmt-Signature": f"sha256={signature}",
                "Idempotency-Key": str(submission.public_id),
            },
        )

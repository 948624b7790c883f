"""Ways an application reaches its authority (plugins by id, GUIDE §2).

`eingang`: the platform's own inbox (the authority's Eingang list); `email`:
a notice with a link to the authority's functional mailbox, without personal
data; `fit-connect`: FIT-Connect-style encrypted submission; `webhook`: a
signed JSON post.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterable
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from django.urls import reverse
from joserfc import jwe
from joserfc.jwe import JWERegistry
from joserfc.jwk import RSAKey

from openamt.core.links import public_url
from openamt.core.mail import MailError, mail_send
from openamt.core.registry import Registry
from openamt.submissions.models import DeliveryEndpoint, Submission


class DeliveryError(Exception):
    """The channel could not deliver now; the job is retried later."""


class Channel(Protocol):
    # Whether a delivery puts the application into the authority's own system
    # (Fachverfahren); otherwise it stays in the platform's Eingang.
    reaches_own_system: bool
    # Whether the receiver recognises a repeated delivery as the same one (an
    # Idempotency-Key, or nothing sent at all). After a worker died mid-way, only
    # such a channel is called again; any other job is parked for a person to
    # check (core.outbox), so its receiver never gets the application twice.
    idempotent_receiver: bool

    def deliver(self, submission: Submission) -> None: ...


delivery_channels: Registry[Channel] = Registry("Zustellweg")


def reach_own_system(channels: Iterable[str]) -> bool:
    """Whether one of these channels puts an application into the authority's
    own system (Fachverfahren), rather than leaving it in the platform's Eingang."""
    return any(delivery_channels.get(channel).reaches_own_system for channel in channels)


@delivery_channels.register("eingang")
class PlatformInbox:
    reaches_own_system = False
    idempotent_receiver = True

    def deliver(self, submission: Submission) -> None:
        """The Eingang list shows every submission of the authority: nothing to send."""


@delivery_channels.register("email")
class FunctionalMailbox:
    """A notice with a link: the application itself stays in the Eingang.

    SMTP has no idempotency key, so a mail sent just before its worker died
    cannot be told apart from one never sent: the receiver is not idempotent,
    and such a job is parked for a person instead of mailed again. The
    Message-ID is derived from the application, the same on every attempt."""

    reaches_own_system = False
    idempotent_receiver = False

    def deliver(self, submission: Submission) -> None:
        address = submission.authority.email
        if not address:
            raise DeliveryError("Die Behörde hat keine Funktions-E-Mail-Adresse hinterlegt.")
        link = public_url(reverse("backoffice:inbox", kwargs={"pk": submission.authority_id}))
        try:
            mail_send(
                subject=f"Neuer Antrag {submission.reference}",
                body=(
                    f"Ein Antrag „{submission.version.form.title}“ ist eingegangen (Aktenzeichen "
                    f"{submission.reference}). Sie finden ihn im Eingang:\n\n{link}\n"
                ),
                to=[address],
                key=f"antrag.{submission.public_id}",
            )
        except MailError as error:
            raise DeliveryError(str(error)) from error


def _endpoint(submission: Submission, channel: str) -> DeliveryEndpoint:
    endpoint = DeliveryEndpoint.objects.filter(
        authority_id=submission.authority_id, channel=channel
    ).first()
    if endpoint is None:
        raise DeliveryError(f"Die Behörde hat keinen Zustellpunkt „{channel}“ eingerichtet.")
    return endpoint


def _attachments(submission: Submission) -> list[tuple[dict[str, Any], bytes]]:
    """(description, content) of each attachment, in the order of their answer paths."""
    result = []
    for attachment in submission.attachments.select_related("document").order_by("path"):
        with attachment.document.file.open("rb") as handle:
            content = handle.read()
        result.append(
            (
                {
                    "attachmentId": str(uuid.uuid5(submission.public_id, attachment.path)),
                    "path": attachment.path,
                    "filename": attachment.name,
                    "mimeType": attachment.document.content_type,
                    "sha256": attachment.document.sha256,
                },
                content,
            )
        )
    return result


def _metadata(submission: Submission, attachments: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "submissionId": str(submission.public_id),
        "reference": submission.reference,
        "leikaKey": submission.version.form.service.leika_key,
        "form": submission.version.form.key,
        "formVersion": submission.version.number,
        "submittedAt": submission.submitted_at.isoformat(),
        "assuranceLevel": submission.assurance_level,
        "fees": submission.fees,
        "attachments": attachments,
    }


def _post(url: str, **kwargs: Any) -> requests.Response:
    try:
        response = requests.post(url, timeout=30, **kwargs)
    except requests.RequestException as error:
        raise DeliveryError(
            f"{urlsplit(url).netloc} nicht erreichbar ({type(error).__name__})."
        ) from error
    if response.status_code >= 300:
        raise DeliveryError(f"{urlsplit(url).netloc} antwortete {response.status_code}.")
    return response


@delivery_channels.register("fit-connect")
class EncryptedSubmission:
    """Metadata and data, each a JWE (RSA-OAEP-256, A256GCM) to the destination's
    public key, posted with an OAuth client-credentials token."""

    reaches_own_system = True
    idempotent_receiver = True  # the same Idempotency-Key on every attempt
    registry = JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"])

    def _encrypt(self, key: RSAKey, payload: Any) -> str:
        plaintext = (
            payload
            if isinstance(payload, bytes)
            else json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        )
        return jwe.encrypt_compact(
            {"alg": "RSA-OAEP-256", "enc": "A256GCM"}, plaintext, key, registry=self.registry
        )

    def deliver(self, submission: Submission) -> None:
        endpoint = _endpoint(submission, "fit-connect")
        try:
            key = RSAKey.import_key(endpoint.public_key or {})
        except ValueError as error:
            raise DeliveryError(
                "Der öffentliche Schlüssel des Zustellpunkts ist unbrauchbar."
            ) from error
        token = (
            _post(
                endpoint.token_url,
                data={
                    "grant_type": "client_credentials",
                    "client_id": endpoint.client_id,
                    "client_secret": endpoint.client_secret,
                },
            )
            .json()
            .get("access_token", "")
        )
        attachments = _attachments(submission)
        _post(
            endpoint.url,
            json={
                "submissionId": str(submission.public_id),
                "encryptedMetadata": self._encrypt(
                    key, _metadata(submission, [described for described, _ in attachments])
                ),
                "encryptedData": self._encrypt(key, submission.answers),
                "encryptedAttachments": {
                    described["attachmentId"]: self._encrypt(key, content)
                    for described, content in attachments
                },
            },
            headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": str(submission.public_id),
            },
        )


@delivery_channels.register("webhook")
class SignedWebhook:
    """The application as JSON, signed with HMAC-SHA256 over timestamp and body."""

    reaches_own_system = True
    idempotent_receiver = True  # the same Idempotency-Key on every attempt

    def deliver(self, submission: Submission) -> None:
        endpoint = _endpoint(submission, "webhook")
        attachments = [
            {**described, "content": base64.b64encode(content).decode()}
            for described, content in _attachments(submission)
        ]
        body = json.dumps(
            {**_metadata(submission, attachments), "answers": submission.answers},
            ensure_ascii=False,
            sort_keys=True,
        ).encode()
        timestamp = str(int(time.time()))
        signature = hmac.new(
            endpoint.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        _post(
            endpoint.url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-OpenAmt-Timestamp": timestamp,
                "X-OpenAmt-Signature": f"sha256={signature}",
                "Idempotency-Key": str(submission.public_id),
            },
        )


@delivery_channels.register("quittung")
class ReceiptToPostfach:
    """The applicant's Eingangsbestätigung, into their Postfach (no account: nothing to do)."""

    reaches_own_system = False
    idempotent_receiver = True  # message_deliver keeps one message per idempotency key

    def deliver(self, submission: Submission) -> None:
        from openamt.mailbox.models import Mailbox
        from openamt.mailbox.services import Upload, message_deliver
        from openamt.submissions.receipt import receipt_pdf

        mailbox = (
            Mailbox.objects.filter(account__user_id=submission.user_id).first()
            if submission.user_id
            else None
        )
        if mailbox is None:
            return
        message_deliver(
            sender=submission.authority,
            address=mailbox.address,
            subject=f"Eingangsbestätigung {submission.reference}",
            body=(
                f"Ihr Antrag „{submission.version.form.title}“ ist bei {submission.authority.name} eingegangen. "
                f"Aktenzeichen: {submission.reference}. Die Bestätigung mit allen Angaben liegt bei."
            ),
            files=[
                Upload(
                    name=f"eingangsbestaetigung-{submission.reference}.pdf",
                    data=receipt_pdf(submission),
                )
            ],
            reference=submission.reference,
            idempotency_key=f"receipt-{submission.public_id}",
        )

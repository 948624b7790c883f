"""FIT-Connect-style submission: metadata, data and each attachment as a JWE
(RSA-OAEP-256, A256GCM) to the destination's public key, posted with an OAuth
client-credentials token and the submission's id as Idempotency-Key, so a
retry after a lost answer is recognised by the receiver."""

from __future__ import annotations

import json
from typing import Any

from joserfc import jwe
from joserfc.jwe import JWERegistry
from joserfc.jwk import RSAKey
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from openamt.submissions.base import DeliveryError, receiver_post
from openamt.submissions.models import Submission
from openamt.submissions.payload import submission_attachments, submission_metadata
from openamt.submissions.registry import delivery_targets


class FitConnectOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: HttpUrl = Field(title="Adresse des Zustellpunkts")
    token_url: HttpUrl = Field(title="Token-Adresse")
    client_id: str = Field(title="Client-ID", min_length=1, max_length=100)
    client_secret: str = Field(title="Client-Geheimnis", min_length=1, max_length=200)
    public_key: dict[str, Any] = Field(title="Öffentlicher Schlüssel als JWK")

    @field_validator("public_key")
    @classmethod
    def _public_rsa_key(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            key = RSAKey.import_key(value)
        except (ValueError, TypeError):
            raise ValueError(
                "Der öffentliche Schlüssel ist kein RSA-Schlüssel im JWK-Format."
            ) from None
        if key.is_private:
            raise ValueError("Bitte nur den öffentlichen Schlüssel angeben, nie den privaten.")
        return value


@delivery_targets.register("fit-connect")
class EncryptedSubmission:
    label = "FIT-Connect-Zustellpunkt"
    reaches_own_system = True
    idempotent_receiver = True  # the same Idempotency-Key on every attempt
    default = False
    configurable = True
    Options = FitConnectOptions
    secret_options = frozenset({"client_secret"})
    jwe_registry = JWERegistry(algorithms=["RSA-OAEP-256", "A256GCM"])

    def _encrypt(self, key: RSAKey, payload: Any) -> str:
        plaintext = (
            payload
            if isinstance(payload, bytes)
            else json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()
        )
        return jwe.encrypt_compact(
            {"alg": "RSA-OAEP-256", "enc": "A256GCM"}, plaintext, key, registry=self.jwe_registry
        )

    def _token(self, options: FitConnectOptions) -> str:
        response = receiver_post(
            str(options.token_url),
            data={
                "grant_type": "client_credentials",
                "client_id": options.client_id,
                "client_secret": options.client_secret,
            },
        )
        try:
            token = response.json().get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise DeliveryError("Die Token-Adresse lieferte kein Zugangstoken.")
        return token

    def deliver(self, submission: Submission, options: FitConnectOptions) -> None:
        key = RSAKey.import_key(options.public_key)
        token = self._token(options)
        attachments = submission_attachments(submission)
        receiver_post(
            str(options.url),
            json={
                "submissionId": str(submission.public_id),
                "encryptedMetadata": self._encrypt(
                    key,
                    submission_metadata(submission, [described for described, _ in attachments]),
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

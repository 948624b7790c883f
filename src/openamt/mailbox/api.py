"""Delivery API: authorities and their services deliver to a Postfach.

Clients authenticate with an OAuth2 access token from the client-credentials
grant (scope `postfach:zustellen`); the client is registered for one
authority, which is the sender. Every delivery carries an `Idempotency-Key`:
a retry returns the first message instead of delivering twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Header, Router, Schema, Status
from oauth2_provider.models import Application

from openamt.core.api_auth import ScopedClient, api_client
from openamt.core.errors import NotFound
from openamt.core.schemas import Base64File, ProblemOut, status_link
from openamt.mailbox.models import Message
from openamt.mailbox.services import MAX_FILES, Upload, message_deliver
from openamt.oidc.selectors import client_settings
from openamt.organisations.models import Authority

SCOPE = "postfach:zustellen"
router = Router()


def _sender(application: Application) -> Authority | None:
    settings = client_settings(application)
    return settings.authority if settings is not None else None


# A client registered for an authority, which is the sender of what it delivers.
delivery_client = ScopedClient(
    scope=SCOPE,
    admit=_sender,
    refusal="Dieser Zugang ist keiner Behörde zugeordnet und darf nicht zustellen.",
)


class DocumentIn(Base64File):
    """Ein PDF-Dokument (höchstens 10 MB)."""


class DeliveryIn(Schema):
    address: uuid.UUID = Field(description="Postfach-Adresse des Servicekontos")
    subject: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x08\x0b-\x1f\x7f]+$")
    body: str = Field(
        min_length=1, max_length=20_000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$"
    )
    is_decision: bool = Field(False, description="Bescheid")
    reference: str = Field(
        "", max_length=100, pattern=r"^[^\x00-\x1f\x7f]*$", description="Bezug: Antrag oder Vorgang"
    )
    documents: list[DocumentIn] = Field(default_factory=list, max_length=MAX_FILES)


class DeliveryOut(Schema):
    id: uuid.UUID
    status: str = Field(description="zugestellt oder geöffnet")
    delivered_at: datetime
    first_opened_at: datetime | None = Field(
        description="Zugangsnachweis: erstes Öffnen durch die Empfängerin oder den Empfänger"
    )
    status_url: str


def _out(message: Message) -> dict[str, Any]:
    return {
        "id": message.public_id,
        "status": "geöffnet" if message.first_opened_at else "zugestellt",
        "delivered_at": message.delivered_at,
        "first_opened_at": message.first_opened_at,
        "status_url": reverse("api:message-status", kwargs={"public_id": message.public_id}),
    }


@router.post(
    "/nachrichten",
    auth=delivery_client,
    response={
        202: DeliveryOut,
        400: ProblemOut,
        401: ProblemOut,
        403: ProblemOut,
        404: ProblemOut,
        409: ProblemOut,
        413: ProblemOut,
        415: ProblemOut,
        422: ProblemOut,
    },
    summary="Nachricht in ein Postfach zustellen",
    openapi_extra=status_link("openamt_mailbox_api_status"),
    description=(
        "Antwortet 202 mit dem Status der Zustellung. Eine Wiederholung mit demselben "
        "Idempotency-Key liefert dieselbe Nachricht; derselbe Schlüssel mit anderem Inhalt ergibt 409."
    ),
)
def deliver(
    request: HttpRequest,
    payload: DeliveryIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[\x21-\x7e]+$"
    ),
) -> Status:
    client = api_client(request)
    message, _created = message_deliver(
        sender=client.grant,
        address=payload.address,
        subject=payload.subject,
        body=payload.body,
        files=[Upload(name=d.filename, data=d.content()) for d in payload.documents],
        is_decision=payload.is_decision,
        reference=payload.reference,
        idempotency_key=idempotency_key,
        client_id=client.client_id,
    )
    return Status(202, _out(message))


@router.get(
    "/nachrichten/{public_id}",
    auth=delivery_client,
    response={200: DeliveryOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut},
    url_name="message-status",
    summary="Status einer zugestellten Nachricht (mit Zugangsnachweis)",
)
def status(request: HttpRequest, public_id: uuid.UUID) -> dict[str, Any]:
    message = Message.objects.filter(public_id=public_id, sender=api_client(request).grant).first()
    if message is None:
        raise NotFound("Diese Nachricht gibt es nicht oder sie stammt nicht von Ihrer Behörde.")
    return _out(message)

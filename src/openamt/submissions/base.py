"""The contract of a delivery target (Zustellweg), a plugin kind (GUIDE §2):
how an application reaches its authority. Implementations live in
`submissions/contrib/<id>/`; the registry is in `registry.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit

import requests
from pydantic import BaseModel

if TYPE_CHECKING:
    from openamt.submissions.models import Submission


class DeliveryError(Exception):
    """The target could not deliver now; the job is retried later. The text
    is shown to the authority's administrators: no personal data."""


class DeliveryTarget(Protocol):
    # A German name for the staff's choices ("Webhook (HMAC-signiert)").
    label: str
    # Whether a delivery puts the application into the authority's own system
    # (Fachverfahren); otherwise it stays in the platform's Eingang.
    reaches_own_system: bool
    # Whether the receiver recognises a repeated delivery as the same one (an
    # Idempotency-Key, or nothing sent at all). After a worker died mid-way only
    # such a target is called again; any other job is parked for a person to
    # check (core.outbox), so that its receiver never gets an application twice.
    idempotent_receiver: bool
    # Whether a form without a choice of its own is delivered this way.
    default: bool
    # Whether administrators set it up per authority (Zustellpunkte page).
    configurable: bool
    # Secret options: stored sealed, never shown again.
    secret_options: frozenset[str]

    @property
    def Options(self) -> type[BaseModel]: ...

    def deliver(self, submission: Submission, options: Any) -> None:
        """Deliver `submission` with the authority's validated `options` (an
        instance of Options). Raises DeliveryError when it cannot now; any
        other exception counts as a failed attempt too."""
        ...


def receiver_post(url: str, **kwargs: Any) -> requests.Response:
    """POST to a receiver (30 s timeout); DeliveryError naming only the host
    when it is unreachable or answers with a status of 300 or above."""
    try:
        response = requests.post(url, timeout=30, **kwargs)
    except requests.RequestException as error:
        raise DeliveryError(
            f"{urlsplit(url).netloc} nicht erreichbar ({type(error).__name__})."
        ) from error
    if response.status_code >= 300:
        raise DeliveryError(f"{urlsplit(url).netloc} antwortete {response.status_code}.")
    return response

"""Ways an application reaches its authority (plugins by id, GUIDE §2).

`eingang`: the platform's own inbox (the authority's Eingang list); `email`:
a notice with a link to the authority's functional mailbox, without personal
data. FIT-Connect-style encrypted submission and signed webhooks follow.
"""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from openamt.core.registry import Registry
from openamt.submissions.models import Submission


class DeliveryError(Exception):
    """The channel could not deliver now; the job is retried later."""


class Channel(Protocol):
    def deliver(self, submission: Submission) -> None: ...


delivery_channels: Registry[Channel] = Registry("Zustellweg")


@delivery_channels.register("eingang")
class PlatformInbox:
    def deliver(self, submission: Submission) -> None:
        """The Eingang list shows every submission of the authority: nothing to send."""


@delivery_channels.register("email")
class FunctionalMailbox:
    def deliver(self, submission: Submission) -> None:
        address = submission.authority.email
        if not address:
            raise DeliveryError("Die Behörde hat keine Funktions-E-Mail-Adresse hinterlegt.")
        link = settings.OPENAMT_PUBLIC_URL.rstrip("/") + reverse(
            "backoffice:inbox", kwargs={"pk": submission.authority_id}
        )
        try:
            send_mail(
                f"Neuer Antrag {submission.reference}",
                f"Ein Antrag „{submission.version.form.title}“ ist eingegangen (Aktenzeichen "
                f"{submission.reference}). Sie finden ihn im Eingang:\n\n{link}\n",
                settings.DEFAULT_FROM_EMAIL,
                [address],
            )
        except OSError as error:
            raise DeliveryError(f"Mailserver nicht erreichbar: {error}") from error

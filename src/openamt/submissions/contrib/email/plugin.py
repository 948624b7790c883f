"""A notice to the authority's functional mailbox with a link to the Eingang,
without personal data: the application itself stays on the platform.

SMTP has no idempotency key, so a mail sent just before its worker died
cannot be told apart from one never sent: the receiver is not idempotent, and
such a job is parked for a person instead of mailed again (core.outbox). The
Message-ID is derived from the application, the same on every attempt."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from openamt.core.links import public_url
from openamt.core.mail import MailError, mail_send
from openamt.submissions.base import DeliveryError
from openamt.submissions.models import Submission
from openamt.submissions.registry import delivery_targets


class MailboxOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    address: str = Field(
        "",
        title="E-Mail-Adresse",
        description="leer: die Funktions-E-Mail-Adresse der Behörde",
        max_length=254,
    )

    @field_validator("address")
    @classmethod
    def _an_address(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValueError("Bitte geben Sie eine gültige E-Mail-Adresse an.") from None
        return value


@delivery_targets.register("email")
class FunctionalMailbox:
    label = "E-Mail an das Funktionspostfach"
    reaches_own_system = False
    idempotent_receiver = False  # SMTP cannot recognise a repeated mail
    default = False
    configurable = True
    Options = MailboxOptions
    secret_options: frozenset[str] = frozenset()

    def deliver(self, submission: Submission, options: MailboxOptions) -> None:
        address = options.address or submission.authority.email
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

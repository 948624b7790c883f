from django.db import models

from openamt.core.models import OutboxStatus


class SubmissionStatus(models.TextChoices):
    """Where an application is. The words say what really happened: an
    application that only lies in the platform's Eingang was not sent anywhere
    (IN_INBOX); DELIVERED means the authority's own system (Fachverfahren)
    received it through a delivery channel that reaches it."""

    SUBMITTED = "eingereicht", "eingereicht"
    AWAITING_PAYMENT = "wartet_auf_zahlung", "wartet auf Zahlung"
    IN_INBOX = "im_eingang", "im Eingang der Behörde"
    DELIVERED = "zugestellt", "an das Fachverfahren der Behörde übermittelt"
    DELIVERY_FAILED = "zustellung_fehlgeschlagen", "Übermittlung an die Behörde gestört"
    WITHDRAWN = "zurueckgezogen", "zurückgezogen"


# What each status means for the applicant, in one sentence (receipt page, API).
STATUS_EXPLANATIONS = {
    SubmissionStatus.SUBMITTED: (
        "Ihr Antrag ist auf der Plattform eingegangen und wird der zuständigen Behörde "
        "bereitgestellt."
    ),
    SubmissionStatus.AWAITING_PAYMENT: "Ihr Antrag wird bearbeitet, sobald die Gebühr bezahlt ist.",
    SubmissionStatus.IN_INBOX: (
        "Ihr Antrag liegt im elektronischen Eingang der zuständigen Behörde auf dieser "
        "Plattform; die Behörde ruft ihn dort ab."
    ),
    SubmissionStatus.DELIVERED: (
        "Ihr Antrag wurde an das System der zuständigen Behörde übermittelt, in dem sie "
        "ihn bearbeitet."
    ),
    SubmissionStatus.DELIVERY_FAILED: (
        "Die Übermittlung an die Behörde ist mehrmals gescheitert. Die Behörde ist "
        "informiert; Ihr Antrag bleibt gespeichert und geht nicht verloren."
    ),
    SubmissionStatus.WITHDRAWN: "Der Antrag wurde zurückgezogen.",
}


# Allowed status changes: from -> to. A draft is not a submission yet (Draft model).
TRANSITIONS = {
    SubmissionStatus.SUBMITTED: {
        SubmissionStatus.AWAITING_PAYMENT,
        SubmissionStatus.IN_INBOX,
        SubmissionStatus.DELIVERED,
        SubmissionStatus.DELIVERY_FAILED,
        SubmissionStatus.WITHDRAWN,
    },
    SubmissionStatus.AWAITING_PAYMENT: {SubmissionStatus.SUBMITTED, SubmissionStatus.WITHDRAWN},
    SubmissionStatus.DELIVERY_FAILED: {
        SubmissionStatus.IN_INBOX,
        SubmissionStatus.DELIVERED,
        SubmissionStatus.WITHDRAWN,
    },
    SubmissionStatus.IN_INBOX: set(),
    SubmissionStatus.DELIVERED: set(),
    SubmissionStatus.WITHDRAWN: set(),
}


# A delivery job is an outbox job (core.outbox): the same states.
JobStatus = OutboxStatus

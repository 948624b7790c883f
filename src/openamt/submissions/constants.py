from django.db import models


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "eingereicht", "eingereicht"
    AWAITING_PAYMENT = "wartet_auf_zahlung", "wartet auf Zahlung"
    DELIVERED = "zugestellt", "zugestellt"
    DELIVERY_FAILED = "zustellung_fehlgeschlagen", "Zustellung fehlgeschlagen"
    WITHDRAWN = "zurueckgezogen", "zurückgezogen"


# Allowed status changes: from -> to. A draft is not a submission yet (Draft model).
TRANSITIONS = {
    SubmissionStatus.SUBMITTED: {
        SubmissionStatus.AWAITING_PAYMENT,
        SubmissionStatus.DELIVERED,
        SubmissionStatus.DELIVERY_FAILED,
        SubmissionStatus.WITHDRAWN,
    },
    SubmissionStatus.AWAITING_PAYMENT: {SubmissionStatus.SUBMITTED, SubmissionStatus.WITHDRAWN},
    SubmissionStatus.DELIVERY_FAILED: {SubmissionStatus.DELIVERED, SubmissionStatus.WITHDRAWN},
    SubmissionStatus.DELIVERED: set(),
    SubmissionStatus.WITHDRAWN: set(),
}


class JobStatus(models.TextChoices):
    PENDING = "offen", "offen"
    DONE = "erledigt", "erledigt"
    FAILED = "gescheitert", "gescheitert"

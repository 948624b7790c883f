"""The platform's own Eingang: an application delivered here becomes a case
(Vorgang) of the responsible authority, processed on the platform."""

from __future__ import annotations

from openamt.cases.services import case_open_from_submission
from openamt.core.registry import NoOptions
from openamt.submissions.models import Submission
from openamt.submissions.registry import delivery_targets


@delivery_targets.register("eingang")
class PlatformInbox:
    label = "Eingang der Plattform"
    reaches_own_system = False
    idempotent_receiver = True  # a submission opens its case once
    default = True
    configurable = False
    Options = NoOptions
    secret_options: frozenset[str] = frozenset()

    def deliver(self, submission: Submission, options: NoOptions) -> None:
        """Open the submission's case (or find the one opened before)."""
        case_open_from_submission(submission=submission)

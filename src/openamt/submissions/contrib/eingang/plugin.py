"""The platform's own inbox: the authority's Eingang list shows every
application addressed to it, so there is nothing to send."""

from __future__ import annotations

from openamt.core.registry import NoOptions
from openamt.submissions.models import Submission
from openamt.submissions.registry import delivery_targets


@delivery_targets.register("eingang")
class PlatformInbox:
    label = "Eingang der Plattform"
    reaches_own_system = False
    idempotent_receiver = True  # nothing is sent
    default = True
    configurable = False
    Options = NoOptions
    secret_options: frozenset[str] = frozenset()

    def deliver(self, submission: Submission, options: NoOptions) -> None:
        """Nothing to do: the Eingang lists the submission from its row."""

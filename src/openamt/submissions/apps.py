from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "openamt.submissions"
    verbose_name = "Anträge"

    def ready(self) -> None:
        # The delivery and receipt outboxes register themselves.
        from openamt.submissions import delivery, receipt  # noqa: F401

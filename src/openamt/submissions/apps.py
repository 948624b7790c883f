from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "openamt.submissions"
    verbose_name = "Anträge"

    def ready(self) -> None:
        from openamt.submissions import delivery  # noqa: F401  (registers the delivery outbox)

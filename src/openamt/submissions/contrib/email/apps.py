from django.apps import AppConfig


class EmailConfig(AppConfig):
    name = "openamt.submissions.contrib.email"
    label = "delivery_email"
    verbose_name = "Zustellweg E-Mail an das Funktionspostfach"

    def ready(self) -> None:
        from openamt.submissions.contrib.email import plugin  # noqa: F401  (registers itself)

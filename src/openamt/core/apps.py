from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openamt.core"
    label = "core"
    verbose_name = "Plattform"

    def ready(self) -> None:
        from openamt.core import (
            checks,  # noqa: F401  (registers the system checks)
            mail,  # noqa: F401  (registers the mail outbox)
        )

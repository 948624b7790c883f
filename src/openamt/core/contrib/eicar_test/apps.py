from django.apps import AppConfig


class EicarTestConfig(AppConfig):
    name = "openamt.core.contrib.eicar_test"
    label = "scanner_eicar_test"
    verbose_name = "Virenscanner für Tests (EICAR)"

    def ready(self) -> None:
        from openamt.core.contrib.eicar_test import plugin  # noqa: F401  (registers itself)

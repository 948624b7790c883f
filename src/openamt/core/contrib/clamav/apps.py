from django.apps import AppConfig


class ClamavConfig(AppConfig):
    name = "openamt.core.contrib.clamav"
    label = "scanner_clamav"
    verbose_name = "Virenscanner ClamAV"

    def ready(self) -> None:
        from openamt.core.contrib.clamav import plugin  # noqa: F401  (registers itself)

from django.apps import AppConfig


class FitConnectConfig(AppConfig):
    name = "openamt.submissions.contrib.fit_connect"
    label = "delivery_fit_connect"
    verbose_name = "Zustellweg FIT-Connect"

    def ready(self) -> None:
        from openamt.submissions.contrib.fit_connect import plugin  # noqa: F401  (registers itself)

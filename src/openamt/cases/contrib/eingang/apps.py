from django.apps import AppConfig


class EingangConfig(AppConfig):
    name = "openamt.cases.contrib.eingang"
    label = "delivery_eingang"
    verbose_name = "Zustellweg Eingang der Plattform"

    def ready(self) -> None:
        from openamt.cases.contrib.eingang import plugin  # noqa: F401  (registers itself)

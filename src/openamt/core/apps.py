from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "openamt.core"
    label = "core"
    verbose_name = "Plattform"

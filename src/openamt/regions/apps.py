from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "openamt.regions"
    label = "regions"
    verbose_name = "Gebiete"

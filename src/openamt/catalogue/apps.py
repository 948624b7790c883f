from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "openamt.catalogue"
    label = "catalogue"
    verbose_name = "Leistungskatalog"

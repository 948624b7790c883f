from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "openamt.organisations"
    label = "organisations"
    verbose_name = "Behörden und Mandanten"

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "openamt.api"
    verbose_name = "Schnittstelle"

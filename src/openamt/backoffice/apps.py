from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "openamt.backoffice"
    label = "backoffice"
    verbose_name = "Fachoberfläche"

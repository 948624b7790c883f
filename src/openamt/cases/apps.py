from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openamt.cases"
    verbose_name = "Vorgangsbearbeitung"

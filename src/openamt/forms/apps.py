from django.apps import AppConfig


class FormsConfig(AppConfig):
    name = "openamt.forms"
    label = "forms"
    verbose_name = "Online-Formulare"

from django.apps import AppConfig


class ResponsibilityConfig(AppConfig):
    name = "openamt.responsibility"
    label = "responsibility"
    verbose_name = "Zuständigkeitsfinder"

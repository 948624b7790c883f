from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "openamt.submissions"
    verbose_name = "Anträge"

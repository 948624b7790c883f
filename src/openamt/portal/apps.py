from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "openamt.portal"
    label = "portal"
    verbose_name = "Verwaltungsportal"

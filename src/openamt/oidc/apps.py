from django.apps import AppConfig


class OidcConfig(AppConfig):
    name = "openamt.oidc"
    verbose_name = "Anmeldung für andere Dienste (OpenID Connect) und API-Zugänge"

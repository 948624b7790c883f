from django.apps import AppConfig


class UpstreamOidcConfig(AppConfig):
    name = "openamt.accounts.contrib.upstream_oidc"
    label = "identity_upstream_oidc"
    verbose_name = "Anmeldung über einen anderen OpenID-Anbieter"

    def ready(self) -> None:
        from openamt.accounts.contrib.upstream_oidc import plugin  # noqa: F401  (registers itself)

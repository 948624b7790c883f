from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "openamt.accounts"
    label = "accounts"
    verbose_name = "Benutzerkonten"

    def ready(self) -> None:
        # Identity-provider plugins register themselves on import.
        from openamt.accounts.contrib import eid_test, upstream_oidc  # noqa: F401

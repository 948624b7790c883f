from django.apps import AppConfig


class EidTestConfig(AppConfig):
    name = "openamt.accounts.contrib.eid_test"
    label = "identity_eid_test"
    verbose_name = "Online-Ausweis (Testverfahren)"

    def ready(self) -> None:
        from openamt.accounts.contrib.eid_test import plugin  # noqa: F401  (registers itself)

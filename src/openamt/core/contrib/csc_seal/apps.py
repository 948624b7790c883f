from django.apps import AppConfig


class CscSealConfig(AppConfig):
    name = "openamt.core.contrib.csc_seal"
    label = "signer_csc_seal"
    verbose_name = "Fernsiegel über die CSC-Schnittstelle"

    def ready(self) -> None:
        from openamt.core.contrib.csc_seal import plugin  # noqa: F401  (registers itself)

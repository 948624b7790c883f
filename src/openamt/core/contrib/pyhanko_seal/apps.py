from django.apps import AppConfig


class PyhankoSealConfig(AppConfig):
    name = "openamt.core.contrib.pyhanko_seal"
    label = "signer_pyhanko_seal"
    verbose_name = "Siegel mit eigenem Zertifikat (pyHanko)"

    def ready(self) -> None:
        from openamt.core.contrib.pyhanko_seal import plugin  # noqa: F401  (registers itself)

from django.db import models

from openamt.core.models import TimeStampedModel
from openamt.portal.constants import LegalPageKind


class LegalPage(TimeStampedModel):
    """The operator's text of a legal page (Impressum, Datenschutz, Barrierefreiheit,
    Kontakt). Until the Land saves one, the shipped starting text is shown."""

    kind = models.CharField("Seite", max_length=20, choices=LegalPageKind.choices, unique=True)
    body = models.TextField("Text")

    class Meta:
        verbose_name = "Rechtstext"
        verbose_name_plural = "Rechtstexte"

    def __str__(self) -> str:
        return self.get_kind_display()

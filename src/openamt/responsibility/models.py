from __future__ import annotations

from django.db import models

from openamt.catalogue.models import Service
from openamt.core.models import TimeStampedModel
from openamt.organisations.models import Authority
from openamt.responsibility.constants import AdministrativeLevel, ResponsibilityRole


class ResponsibilityRule(TimeStampedModel):
    """The level the Land's law assigns a service to, with the reason in one line.

    A rule for a Leistungsschlüssel also covers its more detailed variants
    (same key up to the last three digits, then up to the last six).
    """

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="rule")
    level = models.CharField("Ebene", max_length=16, choices=AdministrativeLevel.choices)
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="nur für Landesbehörden: die eine zuständige Behörde",
    )
    reason = models.CharField("Begründung", max_length=300)

    class Meta:
        verbose_name = "Zuständigkeitsregel"
        verbose_name_plural = "Zuständigkeitsregeln"
        ordering = ["service__leika_key"]

    def __str__(self) -> str:
        return f"{self.service}: {self.get_level_display()}"


class Responsibility(TimeStampedModel):
    """An explicit Zuständigkeit: it overrides the rule for its area.

    `area_ars` is an ARS prefix ("16" the whole Land, "16061" a Kreis, a
    12-digit key one Gemeinde); the longest matching prefix wins.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="responsibilities")
    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="responsibilities"
    )
    area_ars = models.CharField("Gebiet (ARS-Anfang)", max_length=12)
    role = models.CharField(
        "Rolle",
        max_length=16,
        choices=ResponsibilityRole.choices,
        default=ResponsibilityRole.RESPONSIBLE,
    )
    online_service_url = models.URLField("Onlinedienst", blank=True)
    valid_from = models.DateField("gültig ab", null=True, blank=True)
    valid_until = models.DateField("gültig bis", null=True, blank=True)

    class Meta:
        verbose_name = "Zuständigkeit"
        verbose_name_plural = "Zuständigkeiten"
        ordering = ["service__leika_key", "area_ars"]
        indexes = [models.Index(fields=["service", "area_ars"])]

    def __str__(self) -> str:
        return f"{self.service} – {self.authority} ({self.area_ars})"

"""What the platform adds to django-oauth-toolkit's clients, codes and tokens:
whom a client acts for, which assurance level it requires, and at which level
the user was authenticated when a code or token was issued."""

from django.db import models
from oauth2_provider.models import AccessToken, Application, Grant

from openamt.accounts.constants import AssuranceLevel
from openamt.organisations.models import Authority


class ClientSettings(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="openamt"
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_clients",
        help_text="Zustelldienste: die Behörde, für die der Zugang Nachrichten zustellt",
    )
    may_submit = models.BooleanField(
        "darf Anträge einreichen",
        default=False,
        help_text="vertrauenswürdige Portale, die Anträge für Antragstellende einreichen",
    )
    required_level = models.CharField(
        "verlangtes Vertrauensniveau",
        max_length=16,
        choices=AssuranceLevel.choices,
        default=AssuranceLevel.LOW,
    )

    class Meta:
        verbose_name = "Einstellung eines Zugangs"
        verbose_name_plural = "Einstellungen der Zugänge"

    def __str__(self) -> str:
        return f"{self.application} ({self.get_required_level_display()})"


class GrantLevel(models.Model):
    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="openamt_level")
    level = models.CharField(max_length=16, choices=AssuranceLevel.choices)

    def __str__(self) -> str:
        return self.level


class TokenLevel(models.Model):
    access_token = models.OneToOneField(
        AccessToken, on_delete=models.CASCADE, related_name="openamt_level"
    )
    level = models.CharField(max_length=16, choices=AssuranceLevel.choices)

    def __str__(self) -> str:
        return self.level

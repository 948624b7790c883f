"""What the platform adds to django-oauth-toolkit's clients, codes and tokens:
whom a client acts for, which assurance level it requires, and how and in
which session the user was authenticated when a code or token was issued."""

from django.db import models
from oauth2_provider.models import AccessToken, Application, Grant

from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.models import AccountSession
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
    may_introspect = models.BooleanField(
        "Ressourcenserver (darf Tokens prüfen)",
        default=False,
        help_text="Dienste, die Zugriffstokens anderer Zugänge über die Introspection "
        "(RFC 7662) prüfen, bevor sie Daten herausgeben",
    )

    class Meta:
        verbose_name = "Einstellung eines Zugangs"
        verbose_name_plural = "Einstellungen der Zugänge"

    def __str__(self) -> str:
        return f"{self.application} ({self.get_required_level_display()})"


class Authentication(models.Model):
    """How the holder was authenticated when a code or token was issued: the
    level, the `acr` value the client was told (in the vocabulary it asked
    in), the login method (`amr`), when, and in which Servicekonto session.
    Ending that session revokes the tokens (`session_tokens_revoke`)."""

    level = models.CharField(max_length=16, choices=AssuranceLevel.choices)
    acr = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=32, blank=True)
    auth_time = models.DateTimeField(null=True, blank=True)
    session = models.ForeignKey(
        AccountSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.level


class GrantLevel(Authentication):
    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="openamt_level")


class TokenLevel(Authentication):
    access_token = models.OneToOneField(
        AccessToken, on_delete=models.CASCADE, related_name="openamt_level"
    )

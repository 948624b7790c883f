from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models

from openamt.accounts.constants import AssuranceLevel, SecurityEventKind
from openamt.core.models import TimeStampedModel


class User(AbstractUser):
    """Every person who logs in: staff and Servicekonto holders.

    A custom model from the first migration so that later modules can add
    to it without a data migration of Django's auth tables.
    """

    email = models.EmailField("E-Mail-Adresse", blank=True)

    class Meta:
        verbose_name = "Benutzer"
        verbose_name_plural = "Benutzer"


class Account(TimeStampedModel):
    """A Servicekonto of a natural person. Its user logs in with the e-mail
    address (the user name is the address, case-folded) and stays inactive
    until the address is confirmed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account"
    )
    email_verified_at = models.DateTimeField("E-Mail bestätigt am", null=True, blank=True)

    class Meta:
        verbose_name = "Servicekonto"
        verbose_name_plural = "Servicekonten"

    def __str__(self) -> str:
        return f"Servicekonto {self.pk}"


class AccountSession(models.Model):
    """A login of an account holder, listable and revocable by them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField("angemeldet am", auto_now_add=True)
    last_seen_at = models.DateTimeField("zuletzt aktiv")
    device = models.CharField("Gerät", max_length=120, blank=True)
    assurance_level = models.CharField(
        "Vertrauensniveau", max_length=16, choices=AssuranceLevel.choices
    )
    method = models.CharField("Anmeldeverfahren", max_length=32)

    class Meta:
        verbose_name = "Sitzung"
        verbose_name_plural = "Sitzungen"
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.device} ({self.created_at:%d.%m.%Y %H:%M})"


class SecurityEvent(models.Model):
    """The security log an account holder sees: logins, factor changes, revocations.
    It names the device, never the address the request came from."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_events"
    )
    created_at = models.DateTimeField("Zeitpunkt", auto_now_add=True)
    kind = models.CharField("Ereignis", max_length=32, choices=SecurityEventKind.choices)
    assurance_level = models.CharField(
        "Vertrauensniveau", max_length=16, choices=AssuranceLevel.choices, blank=True
    )
    device = models.CharField("Gerät", max_length=120, blank=True)

    class Meta:
        verbose_name = "Sicherheitsereignis"
        verbose_name_plural = "Sicherheitsereignisse"
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d.%m.%Y %H:%M})"


class BusinessAccount(TimeStampedModel):
    """An Unternehmenskonto: an organisation whose members act for it and read
    its Postfach. Owners manage the members."""

    name = models.CharField("Name", max_length=200)
    street = models.CharField("Straße und Hausnummer", max_length=200, blank=True)
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    city = models.CharField("Ort", max_length=100, blank=True)
    register_number = models.CharField("Registernummer", max_length=60, blank=True)
    vat_id = models.CharField("Umsatzsteuer-Identifikationsnummer", max_length=14, blank=True)

    class Meta:
        verbose_name = "Unternehmenskonto"
        verbose_name_plural = "Unternehmenskonten"

    def __str__(self) -> str:
        return self.name


class BusinessRole(models.TextChoices):
    OWNER = "owner", "Inhaberin/Inhaber (verwaltet Mitglieder)"
    MEMBER = "member", "Mitglied"


class BusinessMembership(models.Model):
    business = models.ForeignKey(
        BusinessAccount, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business_memberships"
    )
    role = models.CharField("Rolle", max_length=16, choices=BusinessRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "Mitgliedschaft"
        verbose_name_plural = "Mitgliedschaften"
        constraints = [
            models.UniqueConstraint(fields=["business", "user"], name="business_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.business} ({self.get_role_display()})"


class ProfileAttribute(models.Model):
    """One attribute of the holder's profile, with where it came from: entered by
    the holder, or asserted by an identity provider at an assurance level."""

    SELF = "selbst"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    name = models.CharField(max_length=32)
    value = models.CharField("Wert", max_length=200)
    source = models.CharField("Herkunft", max_length=32, default=SELF)
    assurance_level = models.CharField(
        "Vertrauensniveau", max_length=16, choices=AssuranceLevel.choices, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Profilangabe"
        verbose_name_plural = "Profilangaben"
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="profile_attribute_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ExternalIdentity(models.Model):
    """A login at an upstream identity provider (e.g. BundID) linked to a Servicekonto,
    found again by the provider's stable subject identifier."""

    provider = models.CharField(max_length=32)
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "verknüpfte Anmeldung"
        verbose_name_plural = "verknüpfte Anmeldungen"
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"


class Passkey(models.Model):
    """A WebAuthn credential (passkey or security key), an alternative second factor."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="passkeys"
    )
    credential_id = models.BinaryField(unique=True)
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    name = models.CharField("Bezeichnung", max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Passkey"
        verbose_name_plural = "Passkeys"

    def __str__(self) -> str:
        return self.name

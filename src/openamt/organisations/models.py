from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.db import models

from openamt.core.models import TimeStampedModel
from openamt.core.sealing import SealedField
from openamt.organisations.constants import (
    WEEKDAYS,
    AuthorityKind,
    AuthorityRoleName,
    LandRoleName,
    TenantStatus,
)
from openamt.regions.models import Region


class Authority(TimeStampedModel):
    """An Organisationseinheit: a body that administers a territory or a task.

    Authorities made from the register keep the register unit they
    administer in `register_region` (a Gemeindeverband or a Landkreis);
    that link makes their creation idempotent. Contact data nobody has
    entered stays empty and is shown as "nicht hinterlegt".
    """

    name = models.CharField("Name", max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField("Art", max_length=32, choices=AuthorityKind.choices)
    register_region = models.OneToOneField(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="register_authority",
        verbose_name="verwaltete Einheit laut Gemeindeverzeichnis",
    )
    regions = models.ManyToManyField(
        Region, related_name="serving_authorities", verbose_name="Zuständigkeitsgebiet", blank=True
    )
    street = models.CharField("Straße und Hausnummer", max_length=200, blank=True)
    postcode = models.CharField("PLZ", max_length=5, blank=True)
    city = models.CharField("Ort", max_length=100, blank=True)
    phone = models.CharField("Telefon", max_length=40, blank=True)
    email = models.EmailField("E-Mail", blank=True)
    website = models.URLField("Internetseite", blank=True)
    opening_hours = models.JSONField("Öffnungszeiten", default=list, blank=True)
    leitweg_id = models.CharField("Leitweg-ID", max_length=46, blank=True, db_index=True)
    iban = models.CharField("IBAN", max_length=34, blank=True)
    bic = models.CharField("BIC", max_length=11, blank=True)
    account_holder = models.CharField("Kontoinhaber", max_length=200, blank=True)
    # The authority's FIT-Connect Zustellpunkt on this platform (routing answers name it).
    destination_id = models.UUIDField(
        "Destination-ID", default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        verbose_name = "Behörde"
        verbose_name_plural = "Behörden"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        lines = [self.street, " ".join(p for p in (self.postcode, self.city) if p)]
        return [line for line in lines if line]

    @property
    def opening_hours_display(self) -> list[tuple[str, str]]:
        return [
            (
                WEEKDAYS[int(p["day"])],
                f"{p['opens']}–{p['closes']} Uhr" + (f" ({p['note']})" if p.get("note") else ""),
            )
            for p in self.opening_hours
        ]


class Tenant(TimeStampedModel):
    """An authority's membership of the platform (Mandant)."""

    authority = models.OneToOneField(Authority, on_delete=models.PROTECT, related_name="tenant")
    status = models.CharField("Status", max_length=16, choices=TenantStatus.choices)
    applied_on = models.DateField("beantragt am")
    activated_on = models.DateField("aktiv seit", null=True, blank=True)
    terminated_on = models.DateField("gekündigt zum", null=True, blank=True)

    class Meta:
        verbose_name = "Mandant"
        verbose_name_plural = "Mandanten"
        ordering = ["authority__name"]

    def __str__(self) -> str:
        return f"{self.authority} ({self.get_status_display()})"


class AuthoritySeal(models.Model):
    """How an authority seals its decisions (Bescheide): a signer plugin
    (`core/signers/registry.py`), its public options as JSON and its secret
    options (private key, client secret) sealed, both as the plugin's Options
    model describes them (GUIDE §2). Without a row, outside production the
    development CA seals (`seals.py`); in production nothing is sealed."""

    authority = models.OneToOneField(Authority, on_delete=models.CASCADE, related_name="seal")
    plugin = models.CharField("Siegeldienst", max_length=40)
    options = models.JSONField("Einstellungen", default=dict)
    secrets = SealedField("Geheimnisse (versiegelt)", blank=True)

    class Meta:
        verbose_name = "Siegel einer Behörde"
        verbose_name_plural = "Siegel der Behörden"

    def __str__(self) -> str:
        return f"{self.authority} ({self.plugin})"

    def secret_values(self) -> dict[str, str]:
        """The unsealed secret options ({} when none are stored)."""
        return json.loads(self.secrets) if self.secrets else {}


class AuthorityRole(models.Model):
    """A staff user's role in one authority."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authority_roles"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField("Rolle", max_length=16, choices=AuthorityRoleName.choices)

    class Meta:
        verbose_name = "Rolle in einer Behörde"
        verbose_name_plural = "Rollen in Behörden"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "authority", "role"], name="authority_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} – {self.authority}"


class LandRole(models.Model):
    """A staff user's role for the whole Land (not bound to one authority)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="land_roles"
    )
    role = models.CharField("Rolle", max_length=16, choices=LandRoleName.choices)

    class Meta:
        verbose_name = "Landesrolle"
        verbose_name_plural = "Landesrollen"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="land_role_unique")]

    def __str__(self) -> str:
        return self.get_role_display()

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openamt.regions.constants import Level, PostcodeSource, RegionKind


class RegionQuerySet(models.QuerySet["Region"]):
    def active(self) -> RegionQuerySet:
        return self.filter(valid_until__isnull=True)

    def at_level(self, level: str) -> RegionQuerySet:
        return self.filter(level=level)

    def within(self, ars_prefix: str) -> RegionQuerySet:
        return self.filter(ars__startswith=ars_prefix)


class Region(models.Model):
    """A territorial unit of the Destatis register (GV100AD), any level.

    `ars` holds the significant digits of the Amtlicher Regionalschlüssel
    (2 for a Land up to 12 for a Gemeinde), so a prefix query on it walks
    the hierarchy. Units that vanish from a newer edition keep their row
    with `valid_until` set.
    """

    level = models.CharField("Ebene", max_length=16, choices=Level.choices)
    ars = models.CharField("Regionalschlüssel (ARS)", max_length=12)
    ags = models.CharField("Gemeindeschlüssel (AGS)", max_length=8, blank=True, db_index=True)
    name = models.CharField("Bezeichnung", max_length=80)
    name_folded = models.CharField(max_length=80, db_index=True, editable=False)
    seat = models.CharField("Verwaltungssitz", max_length=80, blank=True)
    kind = models.CharField("Art", max_length=2, choices=RegionKind.choices, blank=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    area_ha = models.PositiveBigIntegerField("Fläche (ha)", null=True, blank=True)
    population = models.PositiveBigIntegerField("Einwohner", null=True, blank=True)
    seat_postcode = models.CharField("PLZ des Verwaltungssitzes", max_length=5, blank=True)
    has_several_postcodes = models.BooleanField("mehrere PLZ", default=False)
    valid_from = models.DateField("gültig ab (Gebietsstand)")
    valid_until = models.DateField("gültig bis", null=True, blank=True)
    edition = models.DateField("zuletzt im Gebietsstand")

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "Gebiet"
        verbose_name_plural = "Gebiete"
        ordering = ["ars"]
        constraints = [
            models.UniqueConstraint(
                fields=["ars"], condition=Q(valid_until__isnull=True), name="region_active_ars"
            ),
        ]
        indexes = [models.Index(fields=["level", "ars"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.valid_until is None

    @property
    def ars_full(self) -> str:
        """The 12-digit ARS as used by FIT-Connect and XZuFi."""
        return self.ars.ljust(12, "0")

    @property
    def short_name(self) -> str:
        """The name without the register's designation ("Erfurt, Stadt" -> "Erfurt")."""
        return self.name.split(",", 1)[0].strip()


class Postcode(models.Model):
    """A postcode in a Gemeinde, with the place name it goes by there (n:m)."""

    code = models.CharField("Postleitzahl", max_length=5, db_index=True)
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="postcodes")
    place_name = models.CharField("Ortsname", max_length=120)
    place_folded = models.CharField(max_length=120, db_index=True, editable=False)
    source = models.CharField("Quelle", max_length=16, choices=PostcodeSource.choices)

    class Meta:
        verbose_name = "Postleitzahl"
        verbose_name_plural = "Postleitzahlen"
        ordering = ["code", "place_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "region", "place_name", "source"], name="postcode_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.place_name}"

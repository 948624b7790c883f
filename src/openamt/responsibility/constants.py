from django.db import models


class AdministrativeLevel(models.TextChoices):
    """Which administration carries out a service, by law."""

    MUNICIPAL = "gemeinde", "Gemeindeverwaltung (Gemeinde, VG oder erfüllende Gemeinde)"
    KREIS = "kreis", "Landkreis oder kreisfreie Stadt"
    LAND = "land", "Landesbehörde"


class ResponsibilityRole(models.TextChoices):
    RESPONSIBLE = "zustaendig", "zuständig"
    CONTACT = "ansprechpunkt", "Ansprechpunkt"
    EXECUTION = "ausfuehrung", "Ausführung"

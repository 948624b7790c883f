from django.db import models


class LegalPageKind(models.TextChoices):
    """The pages every German public portal publishes; the value is the page's path."""

    IMPRESSUM = "impressum", "Impressum"
    PRIVACY = "datenschutz", "Datenschutzerklärung"
    ACCESSIBILITY = "barrierefreiheit", "Erklärung zur Barrierefreiheit"
    CONTACT = "kontakt", "Kontakt"


# Longest text a legal page may have (a Datenschutzerklärung runs to some pages).
MAX_LEGAL_TEXT = 50_000

from django.db import models


class VersionStatus(models.TextChoices):
    DRAFT = "entwurf", "Entwurf"
    PUBLISHED = "veroeffentlicht", "veröffentlicht"
    RETIRED = "zurueckgezogen", "zurückgezogen"


# Field types of a form definition (docs/form-schema.json), with their German names.
FIELD_TYPES = {
    "text": "Text",
    "long_text": "langer Text",
    "number": "Zahl",
    "money": "Geldbetrag",
    "date": "Datum",
    "choice": "Auswahl",
    "yes_no": "Ja/Nein",
    "email": "E-Mail-Adresse",
    "phone": "Telefonnummer",
    "iban": "IBAN",
    "place": "Postleitzahl und Ort",
    "address": "Anschrift",
    "file": "Datei",
    "declaration": "Erklärung",
    "info": "Hinweistext",
}

from django.db import models

# LeiKa Typisierung: who regulates a service and who carries it out.
TYPISIERUNG = {
    "1": "Regelung und Vollzug durch den Bund",
    "2": "Regelung durch den Bund, Vollzug durch die Länder",
    "3": "Regelung durch den Bund, Vollzug durch die Kommunen",
    "2/3": "Regelung durch den Bund, Vollzug durch Land oder Kommune",
    "4": "Regelung und Vollzug durch das Land",
    "5": "Regelung durch das Land, Vollzug durch die Kommunen",
    "6": "Regelung und Vollzug durch die Kommune",
}


# The texts of a service, as the Land writes them and an authority may specialise them.
TEXT_FIELDS = [
    ("description", "Beschreibung"),
    ("required_documents", "Erforderliche Unterlagen"),
    ("fees", "Gebühren"),
    ("deadlines", "Fristen"),
    ("processing_time", "Bearbeitungsdauer"),
    ("legal_basis", "Rechtsgrundlage"),
    ("forms", "Formulare"),
]


class TermKind(models.TextChoices):
    SYNONYM = "synonym", "Synonym"
    KEYWORD = "keyword", "Schlagwort"


class SearchMiss(models.TextChoices):
    """The two lists of the search log that show Land editors what to add."""

    NOTHING_FOUND = "ohne-treffer", "Nichts gefunden"
    NOTHING_OPENED = "ohne-aufruf", "Kein Treffer geöffnet"

from __future__ import annotations

from django.db import models
from django.db.models import Q

from openamt.catalogue.constants import TYPISIERUNG, TermKind
from openamt.core.models import TimeStampedModel


class OzgService(models.Model):
    """An OZG-Leistung: the bundle of LeiKa services the OZG catalogue digitises together."""

    ozg_id = models.PositiveIntegerField("OZG-ID", unique=True)
    name = models.CharField("Bezeichnung", max_length=200)
    lebenslage = models.CharField("Lebenslage", max_length=100, db_index=True)
    themenfeld = models.CharField("Themenfeld", max_length=100, db_index=True)

    class Meta:
        verbose_name = "OZG-Leistung"
        verbose_name_plural = "OZG-Leistungen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A Leistung of the LeiKa catalogue, identified by its Leistungsschlüssel.

    Services the catalogue lists without a key ("nicht im LeiKa") get a
    stable internal key derived from their name, starting with "X".
    """

    leika_key = models.CharField("Leistungsschlüssel", max_length=14, unique=True)
    in_leika = models.BooleanField("im LeiKa", default=True)
    name = models.CharField("Bezeichnung", max_length=300)
    name_folded = models.CharField(max_length=300, db_index=True, editable=False)
    typisierung = models.CharField("Typisierung", max_length=10, blank=True)
    ozg_service = models.ForeignKey(
        OzgService, on_delete=models.SET_NULL, null=True, blank=True, related_name="services"
    )
    legal_basis = models.TextField("Rechtsgrundlage", blank=True)
    laws = models.CharField("Gesetze", max_length=500, blank=True)
    popularity = models.PositiveIntegerField("Beliebtheit", default=0)
    # Folded words of name and search terms; the full-text index is built on it
    # (SQLite: FTS5 table of stems, PostgreSQL: tsvector with the german config).
    search_document = models.TextField(blank=True, editable=False)

    class Meta:
        verbose_name = "Leistung"
        verbose_name_plural = "Leistungen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def typisierung_label(self) -> str:
        labels = [TYPISIERUNG.get(part.strip(), "") for part in self.typisierung.split(",")]
        return "; ".join(label for label in labels if label)


class ServiceText(TimeStampedModel):
    """German texts of a service: the Land's (no authority) or an authority's
    specialisation, which wins field by field where it is filled in."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="texts")
    authority = models.ForeignKey(
        "organisations.Authority",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_texts",
    )
    description = models.TextField("Beschreibung", blank=True)
    required_documents = models.TextField("Erforderliche Unterlagen", blank=True)
    fees = models.TextField("Gebühren", blank=True)
    deadlines = models.TextField("Fristen", blank=True)
    processing_time = models.TextField("Bearbeitungsdauer", blank=True)
    legal_basis = models.TextField("Rechtsgrundlage", blank=True)
    forms = models.TextField("Formulare", blank=True)

    class Meta:
        verbose_name = "Leistungsbeschreibung"
        verbose_name_plural = "Leistungsbeschreibungen"
        constraints = [
            models.UniqueConstraint(
                fields=["service"], condition=Q(authority__isnull=True), name="service_text_land"
            ),
            models.UniqueConstraint(fields=["service", "authority"], name="service_text_authority"),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.authority or 'Land'})"


class ServiceTerm(models.Model):
    """A synonym or keyword under which people look for a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="terms")
    term = models.CharField("Begriff", max_length=120)
    term_folded = models.CharField(max_length=120, db_index=True, editable=False)
    kind = models.CharField("Art", max_length=16, choices=TermKind.choices)

    class Meta:
        verbose_name = "Suchbegriff"
        verbose_name_plural = "Suchbegriffe"
        constraints = [
            models.UniqueConstraint(fields=["service", "term_folded"], name="service_term_unique")
        ]

    def __str__(self) -> str:
        return self.term


class SearchSynonym(models.Model):
    """An everyday word and what it means in the catalogue's language
    ("Hochzeit" → "Eheschließung", "weg" → "Verlust"); the Land maintains them.

    A search for the word also finds services named with the meaning; the
    meaning may be several words, which must then all match.
    """

    word = models.CharField("Wort", max_length=60)
    word_folded = models.CharField(max_length=60, db_index=True, editable=False)
    meaning = models.CharField("Bedeutung im Leistungskatalog", max_length=120)
    meaning_folded = models.CharField(max_length=120, editable=False)

    class Meta:
        verbose_name = "Synonym der Suche"
        verbose_name_plural = "Synonyme der Suche"
        constraints = [
            models.UniqueConstraint(
                fields=["word_folded", "meaning_folded"], name="search_synonym_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.word} → {self.meaning}"


class SearchLogEntry(models.Model):
    """One normalised query of the portal's service search, counted anonymously.

    Holds no address, account, session or time of day: only the query, how
    often it was searched and a result opened, what the last search found
    and the day it was last searched (to show editors what is current).
    """

    query = models.CharField("Suchanfrage", max_length=100, unique=True)
    searches = models.PositiveIntegerField("Suchen", default=0)
    opened = models.PositiveIntegerField("Treffer geöffnet", default=0)
    result_count = models.PositiveIntegerField("Treffer der letzten Suche", default=0)
    last_searched = models.DateField("zuletzt gesucht")

    class Meta:
        verbose_name = "Suchanfrage"
        verbose_name_plural = "Suchanfragen"
        indexes = [models.Index(fields=["result_count", "opened"], name="search_log_misses")]

    def __str__(self) -> str:
        return self.query

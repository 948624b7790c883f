"""German free-text search over the service catalogue.

A query is analysed in Python, the same for both databases: words are
folded, stop words dropped, and a word the catalogue does not know is
corrected (typos, by edit similarity) or split (compounds such as
"Gewerbeanmeldung" = "Gewerbe" + "Anmeldung"). The result, groups of
alternatives that must all match, runs on the database's own full-text
engine: FTS5 over Snowball stems on SQLite, `tsvector` with the `german`
configuration on PostgreSQL. Both match word prefixes, which covers the
first part of compounds ("Hund" finds "Hundesteuer").
"""

from __future__ import annotations

import bisect
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.core.cache import cache
from django.db import connection
from django.db.models import Max
from rapidfuzz import fuzz, process

from openamt.catalogue.models import Service, ServiceTerm
from openamt.core.text import fold

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry no meaning for finding a service.
STOP_WORDS = frozenset(
    [
        "ich",
        "mein",
        "meine",
        "meinen",
        "mich",
        "mir",
        "will",
        "moechte",
        "mochte",
        "wie",
        "wo",
        "was",
        "wer",
        "bei",
        "beim",
        "fuer",
        "fur",
        "von",
        "vom",
        "zum",
        "zur",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einer",
        "und",
        "oder",
        "mit",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "aus",
        "bitte",
        "brauche",
        "neue",
        "neuen",
        "neues",
    ]
)
MIN_SIMILARITY = 80
_stemmer = snowballstemmer.stemmer("german")

Phrase = tuple[str, ...]  # words that must all match


@dataclass(frozen=True)
class AnalysedQuery:
    groups: tuple[tuple[Phrase, ...], ...]  # every group must match one of its phrases
    match_all: bool = True  # False: any group may match (the fallback)

    def relaxed(self) -> AnalysedQuery:
        return AnalysedQuery(groups=self.groups, match_all=False)

    def __bool__(self) -> bool:
        return bool(self.groups)


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def document_for(service: Service, terms: list[str]) -> str:
    return " ".join(dict.fromkeys(words_of(" ".join([service.name, *terms]))))


INDEX_VERSION_KEY = "catalogue:search-index-version"


def _catalogue_version() -> tuple[int, int, int, int]:
    # Counts catch imports; the version key catches edits (bumped by index_rebuild).
    return (
        Service.objects.count(),
        ServiceTerm.objects.count(),
        ServiceTerm.objects.aggregate(last=Max("pk"))["last"] or 0,
        cache.get(INDEX_VERSION_KEY, 0),
    )


@lru_cache(maxsize=2)
def _vocabulary_for(version: tuple[int, int, int, int]) -> tuple[dict[str, int], tuple[str, ...]]:
    frequency: Counter[str] = Counter()
    for document in Service.objects.values_list("search_document", flat=True).iterator(2000):
        frequency.update(set(document.split()))
    return dict(frequency), tuple(sorted(frequency))


_VERSION_TTL = 30.0
_version_seen: tuple[float, tuple[int, int, int, int]] = (0.0, (0, 0, 0, 0))


def vocabulary() -> tuple[dict[str, int], tuple[str, ...]]:
    """Catalogue words with their document frequency, rebuilt when services or terms change.

    The version costs three queries, so a process re-reads it at most every
    30 seconds, or at once when this process rebuilt the index itself.
    """
    global _version_seen
    checked_at, version = _version_seen
    now = time.monotonic()
    if now - checked_at > _VERSION_TTL or version[3] != cache.get(INDEX_VERSION_KEY, 0):
        version = _catalogue_version()
        _version_seen = (now, version)
    return _vocabulary_for(version)


def _is_prefix(word: str, ordered: tuple[str, ...]) -> bool:
    index = bisect.bisect_left(ordered, word)
    return any(other != word and other.startswith(word) for other in ordered[index : index + 2])


def _splits(word: str, frequency: dict[str, int], ordered: tuple[str, ...]) -> list[Phrase]:
    """Two-part compound splits whose parts are catalogue words (with Fugen-s)."""
    found: list[Phrase] = []
    for cut in range(3, len(word) - 2):
        left, right = word[:cut], word[cut:]
        for head in (left, left[:-1] if left.endswith("s") else None):
            if head and head in frequency and (right in frequency or _is_prefix(right, ordered)):
                found.append((head, right))
    return found


def analyse(query: str) -> AnalysedQuery:
    frequency, ordered = vocabulary()
    groups: list[tuple[Phrase, ...]] = []
    for word in words_of(query):
        if len(word) < 2 or word in STOP_WORDS:
            continue
        alternatives: list[Phrase] = [(word,)]
        seen = frequency.get(word, 0)
        # A rare word may be a typo, or a prefix of a typo in the catalogue.
        if seen < 2 and not word.isdigit():
            alternatives.extend(_splits(word, frequency, ordered))
            for match, _score, _index in process.extract(
                word, ordered, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=3
            ):
                if frequency[match] > seen:
                    alternatives.append((match,))
            if len(alternatives) == 1 and not seen and not _is_prefix(word, ordered):
                continue  # nothing in the catalogue resembles it: do not let it veto
        groups.append(tuple(dict.fromkeys(alternatives)))
    return AnalysedQuery(groups=tuple(groups))


def _expression(query: AnalysedQuery, *, term: Callable[[str], str], and_: str, or_: str) -> str:
    """The query in a full-text syntax: groups joined by AND (or OR when relaxed),
    alternatives by OR, words of a phrase by AND."""

    def phrase(words: Phrase) -> str:
        return and_.join(term(word) for word in words)

    groups = (or_.join(f"({phrase(p)})" for p in group) for group in query.groups)
    return (and_ if query.match_all else or_).join(f"({group})" for group in groups)


def _fts5_expression(query: AnalysedQuery) -> str:
    return _expression(query, term=lambda word: f'"{stem(word)}"*', and_=" AND ", or_=" OR ")


def _tsquery(query: AnalysedQuery) -> str:
    return _expression(query, term=lambda word: f"{word}:*", and_=" & ", or_=" | ")


def matching_ids(query: AnalysedQuery, limit: int = 500) -> list[tuple[int, float]]:
    """(service id, rank) of matching services, best first; rank: lower is better."""
    if not query:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id, -ts_rank(to_tsvector('german', search_document), q) AS rank "
                "FROM catalogue_service, to_tsquery('german', %s) AS q "
                "WHERE to_tsvector('german', search_document) @@ q ORDER BY rank LIMIT %s",
                [_tsquery(query), limit],
            )
        else:
            cursor.execute(
                "SELECT rowid, bm25(catalogue_service_fts) AS rank FROM catalogue_service_fts "
                "WHERE catalogue_service_fts MATCH %s ORDER BY rank LIMIT %s",
                [_fts5_expression(query), limit],
            )
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def index_rebuild(service_ids: list[int] | None = None) -> int:
    """Recompute search documents (all, or some services) and the SQLite index."""
    services = (
        Service.objects.all() if service_ids is None else Service.objects.filter(pk__in=service_ids)
    )
    terms: dict[int, list[str]] = {}
    for service_id, term in ServiceTerm.objects.filter(service__in=services).values_list(
        "service_id", "term"
    ):
        terms.setdefault(service_id, []).append(term)
    changed = []
    rows = []
    for service in services.only("pk", "name", "search_document"):
        document = document_for(service, terms.get(service.pk, []))
        if document != service.search_document:
            service.search_document = document
            changed.append(service)
        rows.append((service.pk, " ".join(stem(word) for word in document.split())))
    Service.objects.bulk_update(changed, ["search_document"], batch_size=1000)
    if changed:
        try:
            cache.incr(INDEX_VERSION_KEY)
        except ValueError:
            cache.set(INDEX_VERSION_KEY, 1, None)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if service_ids is None:
                cursor.execute("DELETE FROM catalogue_service_fts")
            else:
                cursor.executemany(
                    "DELETE FROM catalogue_service_fts WHERE rowid = %s", [(pk,) for pk, _ in rows]
                )
            cursor.executemany(
                "INSERT INTO catalogue_service_fts (rowid, stems) VALUES (%s, %s)", rows
            )
    return len(changed)

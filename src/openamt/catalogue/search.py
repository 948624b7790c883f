"""German free-text search over the service catalogue.

A query is analysed in Python, the same for both databases. Each word of
the query becomes a *concept* with one or more readings: the word itself,
what the Land's synonyms say it means ("Hochzeit" → "Eheschließung"), its
parts when it is a compound of catalogue words ("Kinderkrippenplatz" →
"Kinder" + "Krippe" + "Platz"), or the catalogue word it is probably a typo
of. Words that say what to do ("beantragen", "anmelden", and the LeiKa
Verrichtungen such as "Ausstellung") are action concepts: they weigh less
than the words that say what it is about, so "Wohngeld beantragen" is found
by "Wohngeld" and "Gewerbe anmelden" is still told from "Gewerbe abmelden".

The database's own full-text engine finds which services contain each word
(FTS5 over Snowball stems on SQLite, `tsvector` with the `german`
configuration on PostgreSQL; both match word prefixes); `ranked_ids` then
scores each service by the concepts it covers. Service documents carry the
parts of their own compounds too, so "Ausweis" finds "Personalausweis".
"""

from __future__ import annotations

import bisect
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.core.cache import cache as django_cache
from django.db import connection, transaction
from django.db.models import Count, Max, QuerySet
from django.db.models.functions import Length
from rapidfuzz import fuzz, process

from openamt.catalogue.models import SearchSynonym, Service, ServiceTerm
from openamt.catalogue.words import (
    STOP_WORDS,
    Phrase,
    shared_tails,
    split_compound,
    split_leading,
    stem,
    words_of,
)

# Words of what to do that the catalogue's Verrichtungen do not derive.
GENERIC_ACTIONS = frozenset(
    [
        "antrag",
        "antrage",
        "antragen",
        "beantragen",
        "beantragung",
        "bekommen",
        "einreichen",
        "erhalten",
        "formular",
        "formulare",
        "online",
        "stellen",
    ]
)
NOUN_WEIGHT, ACTION_WEIGHT = 1.0, 0.3
EXACT, SYNONYM, SPLIT, TYPO = 1.0, 0.9, 0.9, 0.8  # how much a reading is trusted
MIN_SIMILARITY = 80
CLOSE_SIMILARITY = 90
MIN_PREFIX = 4  # shorter words match whole words only ("weg" must not find "Wegzug")
MAX_RESULTS = 300

Slot = tuple[Phrase, ...]  # one part of a reading: any of its phrases fills it


@dataclass(frozen=True)
class Reading:
    slots: tuple[Slot, ...]
    quality: float
    weights: tuple[float, ...] = (1.0,)  # of each slot: an action part weighs less


@dataclass(frozen=True)
class Concept:
    word: str
    readings: tuple[Reading, ...]
    action: bool

    @property
    def weight(self) -> float:
        return ACTION_WEIGHT if self.action else NOUN_WEIGHT

    def words(self) -> set[str]:
        return {w for r in self.readings for slot in r.slots for phrase in slot for w in phrase}


@dataclass(frozen=True)
class AnalysedQuery:
    text: str  # the query's folded words
    concepts: tuple[Concept, ...]

    def __bool__(self) -> bool:
        return bool(self.concepts)


def _nominal(word: str) -> str:
    """The -ung noun of a verb ("ändern" → "änderung", "anmelden" → "anmeldung")."""
    if word.endswith(("ern", "eln")):
        return word[:-1] + "ung"
    return word[:-2] + "ung" if word.endswith("en") else word


@dataclass(frozen=True)
class Vocabulary:
    known: dict[str, int]  # word -> number of documents with it (a synonym's word: at least 1)
    ordered: tuple[str, ...]  # the known words, sorted (prefix look-ups, typo matching)
    synonyms: dict[str, tuple[Phrase, ...]]  # everyday word -> its meanings
    action_stems: frozenset[str]

    def seen(self, word: str) -> int:
        return self.known.get(word, 0)

    def is_prefix(self, word: str) -> bool:
        if len(word) < MIN_PREFIX:
            return False
        index = bisect.bisect_left(self.ordered, word)
        return any(o != word and o.startswith(word) for o in self.ordered[index : index + 2])

    def is_action(self, word: str) -> bool:
        return (
            word in GENERIC_ACTIONS
            or stem(word) in self.action_stems
            or stem(_nominal(word)) in self.action_stems
        )


def _action_stems(services: list[tuple[str, str]]) -> frozenset[str]:
    """Stems of the LeiKa Verrichtungen ("Ausstellung", "Anmeldung", ...): the word a
    service's name adds to its Leistungsobjekt's name (key digits 9-11 name the
    Verrichtung); words that occur once are too rare to be sure of."""
    names = dict(services)
    counted: Counter[str] = Counter()
    for key, name in services:
        if key[8:11] == "000" or key[11:] != "000" or not key.isdigit():
            continue
        parent = names.get(f"{key[:8]}000000")
        if parent and name.startswith(parent + " "):
            rest = words_of(name[len(parent) :])
            if len(rest) == 1:
                counted[rest[0]] += 1
    return frozenset(stem(word) for word, count in counted.items() if count > 1)


INDEX_VERSION_KEY = "catalogue:search-index-version"
Version = tuple[int, ...]


def _catalogue_version() -> Version:
    # Counts catch imports; the version key catches edits (bumped by index_changed).
    terms = ServiceTerm.objects.aggregate(n=Count("pk"), last=Max("pk"))
    synonyms = SearchSynonym.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (
        Service.objects.count(),
        terms["n"],
        terms["last"] or 0,
        synonyms["n"],
        synonyms["last"] or 0,
        django_cache.get(INDEX_VERSION_KEY, 0),
    )


@lru_cache(maxsize=2)
def _vocabulary_for(version: Version) -> Vocabulary:
    frequency: Counter[str] = Counter()
    for document in Service.objects.values_list("search_document", flat=True).iterator(2000):
        frequency.update(set(document.split()))
    synonyms: defaultdict[str, list[Phrase]] = defaultdict(list)
    for word, meaning in SearchSynonym.objects.values_list("word_folded", "meaning_folded"):
        synonyms[word].append(tuple(meaning.split()))
    for word in synonyms:
        frequency[word] = max(frequency[word], 1)
    services = list(Service.objects.values_list("leika_key", "name_folded"))
    return Vocabulary(
        known=dict(frequency),
        ordered=tuple(sorted(frequency)),
        synonyms={word: tuple(meanings) for word, meanings in synonyms.items()},
        action_stems=_action_stems(services),
    )


_VERSION_TTL = 30.0
_version_seen: tuple[float, Version] = (0.0, ())


def vocabulary() -> Vocabulary:
    """The catalogue's words, rebuilt when services, terms or synonyms change.

    The version costs four queries, so a process re-reads it at most every
    30 seconds, or at once when an edit bumped the shared version key.
    """
    global _version_seen
    checked_at, version = _version_seen
    now = time.monotonic()
    if (
        not version
        or now - checked_at > _VERSION_TTL
        or version[-1] != django_cache.get(INDEX_VERSION_KEY, 0)
    ):
        version = _catalogue_version()
        _version_seen = (now, version)
    return _vocabulary_for(version)


def _bump_version() -> None:
    try:
        django_cache.incr(INDEX_VERSION_KEY)
    except ValueError:
        django_cache.set(INDEX_VERSION_KEY, 1, None)


def index_changed() -> None:
    """Tell every process that the search vocabulary changed: now (this
    transaction sees its own edit) and after commit (others re-read then)."""
    _bump_version()
    transaction.on_commit(_bump_version)


def _slot(word: str, vocab: Vocabulary) -> Slot:
    return ((word,), *vocab.synonyms.get(word, ()))


def _concept(word: str, vocab: Vocabulary) -> Concept | None:
    readings: list[Reading] = []
    seen = vocab.seen(word)
    if seen or vocab.is_prefix(word) or word.isdigit():
        readings.append(Reading(slots=(((word,),),), quality=EXACT))
    readings.extend(Reading(slots=((m,),), quality=SYNONYM) for m in vocab.synonyms.get(word, ()))
    fixes: list[str] = []
    # A rare word may be a compound of catalogue words, or a typo.
    if seen < 2 and len(word) >= MIN_PREFIX and not word.isdigit():
        parts = split_compound(word, vocab.known) or split_leading(word, vocab.known)
        if parts:
            readings.append(
                Reading(
                    slots=tuple(_slot(part, vocab) for part in parts),
                    quality=SPLIT,
                    weights=tuple(
                        ACTION_WEIGHT if vocab.is_action(part) else NOUN_WEIGHT for part in parts
                    ),
                )
            )
        for match, score, _index in process.extract(
            word, vocab.ordered, scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=3
        ):
            # A word the catalogue has once may itself be a typo there ("Einbürgerrung").
            if not seen or (score >= CLOSE_SIMILARITY and vocab.seen(match) >= 3 * seen):
                fixes.append(match)
                readings.append(Reading(slots=(_slot(match, vocab),), quality=TYPO))
    if not readings:
        return None  # nothing in the catalogue resembles it: do not let it count
    action = vocab.is_action(word) or (not seen and any(vocab.is_action(f) for f in fixes))
    return Concept(word=word, readings=tuple(readings), action=action)


def analyse(query: str) -> AnalysedQuery:
    vocab = vocabulary()
    concepts = []
    words = words_of(query)
    for word in dict.fromkeys(words):
        if len(word) < 2 or word in STOP_WORDS:
            continue
        concept = _concept(word, vocab)
        if concept is not None:
            concepts.append(concept)
    return AnalysedQuery(text=" ".join(words), concepts=tuple(concepts))


def _matches(words: list[str]) -> dict[str, set[int]]:
    """For each word, the ids of the services whose document contains it (prefix
    match for words of MIN_PREFIX letters or more); one query for all words."""
    if not words:
        return {}
    if connection.vendor == "postgresql":
        part = (
            "SELECT %s, id FROM catalogue_service "
            "WHERE to_tsvector('german', search_document) @@ to_tsquery('german', %s)"
        )
        terms = [f"{w}:*" if len(w) >= MIN_PREFIX else w for w in words]
    else:
        part = "SELECT %s, rowid FROM catalogue_service_fts WHERE catalogue_service_fts MATCH %s"
        terms = [f'"{stem(w)}"' + ("*" if len(w) >= MIN_PREFIX else "") for w in words]
    found: dict[str, set[int]] = {word: set() for word in words}
    with connection.cursor() as cursor:
        # Only placeholders vary with the query; the words travel as parameters.
        cursor.execute(
            " UNION ALL ".join([part] * len(words)),
            [value for pair in enumerate(terms) for value in pair],
        )
        for index, service_id in cursor.fetchall():
            found[words[index]].add(service_id)
    return found


def _concept_scores(concept: Concept, found: dict[str, set[int]]) -> dict[int, float]:
    """Service id -> how well it covers the concept (0..1, best reading)."""
    scores: dict[int, float] = {}
    for reading in concept.readings:
        filled: defaultdict[int, float] = defaultdict(float)
        for slot, weight in zip(reading.slots, reading.weights, strict=True):
            ids: set[int] = set()
            for phrase in slot:
                ids |= set.intersection(*(found[w] for w in phrase))
            for service_id in ids:
                filled[service_id] += weight
        for service_id, covered in filled.items():
            value = reading.quality * covered / sum(reading.weights)
            if value > scores.get(service_id, 0.0):
                scores[service_id] = value
    return scores


def ranked_ids(query: AnalysedQuery, services: QuerySet[Service]) -> list[int]:
    """Ids of the services (of `services`) that match, best first, at most MAX_RESULTS.

    Candidates contain a word of a noun concept (of an action concept when the
    query has only those). Score: the sum of concept weight × coverage; a
    service scoring less than half the best is left out. Among equal scores:
    the name equal to the query, popularity, the shorter document, the key.
    """
    words = sorted({w for c in query.concepts for w in c.words()})
    found = _matches(words)
    nouns = [c for c in query.concepts if not c.action]
    totals: defaultdict[int, float] = defaultdict(float)
    for concept in nouns or query.concepts:
        for service_id, value in _concept_scores(concept, found).items():
            totals[service_id] += concept.weight * value
    if nouns:
        for concept in query.concepts:
            if concept.action:
                for service_id, value in _concept_scores(concept, found).items():
                    if service_id in totals:
                        totals[service_id] += concept.weight * value
    if not totals:
        return []
    floor = max(totals.values()) / 2
    rows = services.filter(pk__in=[pk for pk, v in totals.items() if v >= floor]).values_list(
        "pk", "name_folded", "popularity", Length("search_document")
    )
    order = sorted(
        rows,
        key=lambda r: (-totals[r[0]], r[1] != query.text, -r[2], r[3], r[0]),
    )
    return [row[0] for row in order[:MAX_RESULTS]]


def _document(
    words: list[str], known: dict[str, int], tails: frozenset[str], parts_of: dict[str, Phrase]
) -> str:
    """The words, then the parts of their compounds (recursively), each once."""
    document = dict.fromkeys(words)
    pending = list(words)
    while pending:
        word = pending.pop()
        if word not in parts_of:
            parts_of[word] = split_compound(word, known, tails=tails) or ()
        for part in parts_of[word]:
            if part not in document:
                document[part] = None
                pending.append(part)
    return " ".join(document)


def index_rebuild() -> int:
    """Recompute the search documents and keep the SQLite index in step.

    A document holds the words of the service's name and search terms without
    stop words, then the parts of its compounds split against the words of all
    documents: so a new term can change other services' documents too, and
    every document is recomputed (about half a second for the whole catalogue);
    only changed ones are written. Returns their number.
    """
    words: dict[int, list[str]] = {
        pk: words_of(name) for pk, name in Service.objects.values_list("pk", "name")
    }
    for service_id, term in ServiceTerm.objects.values_list("service_id", "term"):
        words[service_id].extend(words_of(term))
    for pk, listed in words.items():
        words[pk] = [w for w in dict.fromkeys(listed) if w not in STOP_WORDS]
    known: Counter[str] = Counter(w for listed in words.values() for w in listed)
    tails = shared_tails(known)
    parts_of: dict[str, Phrase] = {}
    documents = {pk: _document(listed, known, tails, parts_of) for pk, listed in words.items()}
    changed = [
        Service(pk=pk, search_document=documents[pk])
        for pk, current in Service.objects.values_list("pk", "search_document")
        if documents[pk] != current
    ]
    Service.objects.bulk_update(changed, ["search_document"], batch_size=1000)
    if changed:
        index_changed()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM catalogue_service_fts")
            complete = cursor.fetchone()[0] == len(documents)
            stale = [s.pk for s in changed] if complete else list(documents)
            if not complete:
                cursor.execute("DELETE FROM catalogue_service_fts")
            else:
                cursor.executemany(
                    "DELETE FROM catalogue_service_fts WHERE rowid = %s", [(pk,) for pk in stale]
                )
            cursor.executemany(
                "INSERT INTO catalogue_service_fts (rowid, stems) VALUES (%s, %s)",
                [(pk, " ".join(stem(w) for w in documents[pk].split())) for pk in stale],
            )
    return len(changed)

"""Typo tolerance for place names ("Erfrut", "Teistungn", "Pösneck").

Substring matching (backed by the pg_trgm index on PostgreSQL) finds what
people type correctly; when it finds nothing, the query is compared by edit
similarity with the names of all Gemeinden and Ortsteile. The same code runs
on SQLite and PostgreSQL, so both answer alike. The name list (about 25,000
entries for Germany) is built once per process and rebuilt when the register
or the postcode list changes.
"""

from __future__ import annotations

import time
from functools import lru_cache

from django.db.models import Count, Max
from rapidfuzz import fuzz, process

from openamt.regions.constants import Level
from openamt.regions.models import Postcode, Region
from openamt.regions.names import place_fold

MIN_SIMILARITY = 80
MIN_LENGTH = 4  # shorter words resemble too many names
_VERSION_TTL = 30.0
_version_seen: tuple[float, tuple[int, ...]] = (0.0, ())


def _version() -> tuple[int, ...]:
    regions = Region.objects.aggregate(n=Count("pk"), last=Max("pk"), closed=Count("valid_until"))
    postcodes = Postcode.objects.aggregate(n=Count("pk"), last=Max("pk"))
    return (
        regions["n"],
        regions["last"] or 0,
        regions["closed"],
        postcodes["n"],
        postcodes["last"] or 0,
    )


@lru_cache(maxsize=2)
def _names_for(version: tuple[int, ...]) -> tuple[str, ...]:
    gemeinden = (
        Region.objects.active().at_level(Level.GEMEINDE).values_list("name_folded", flat=True)
    )
    names = {name.split(",", 1)[0].strip() for name in gemeinden.iterator(5000)}
    names.update(Postcode.objects.values_list("place_folded", flat=True).distinct().iterator(5000))
    return tuple(sorted(name for name in names if name))


def place_names() -> tuple[str, ...]:
    """Folded short names of active Gemeinden and Ortsteile; the version that
    decides a rebuild is read at most every 30 seconds."""
    global _version_seen
    checked_at, version = _version_seen
    now = time.monotonic()
    if now - checked_at > _VERSION_TTL or not version:
        version = _version()
        _version_seen = (now, version)
    return _names_for(version)


def similar_place_names(query: str, limit: int = 5) -> list[str]:
    """Place names that look like a misspelt query, most similar first."""
    folded = place_fold(query)
    if len(folded) < MIN_LENGTH or folded.isdigit():
        return []
    return [
        name
        for name, _score, _index in process.extract(
            folded, place_names(), scorer=fuzz.ratio, score_cutoff=MIN_SIMILARITY, limit=limit
        )
    ]

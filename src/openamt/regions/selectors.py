"""Reads of the region register. Region data is public: no acting user needed."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, Value, When

from openamt.core.errors import NotFound
from openamt.regions.constants import ARS_LENGTH, Level
from openamt.regions.models import Postcode, Region, RegionQuerySet
from openamt.regions.names import place_fold
from openamt.regions.search import MIN_LENGTH, similar_place_names

# Municipalities first: that is what a person searching a place means.
_LEVEL_RANK = Case(
    *(
        When(level=level, then=Value(rank))
        for rank, level in enumerate(
            [
                Level.GEMEINDE,
                Level.VERBAND,
                Level.KREIS,
                Level.REGION,
                Level.REGIERUNGSBEZIRK,
                Level.LAND,
            ]
        )
    ),
    output_field=IntegerField(),
)


def _postcode_match(q: str) -> Q:
    codes = (
        Postcode.objects.filter(code=q)
        if len(q) == 5
        else Postcode.objects.filter(code__startswith=q)
    )
    return Q(pk__in=codes.values("region_id"))


def _named(names: list[str]) -> Q:
    """Regions called exactly one of these folded names, or with an Ortsteil of that name."""
    match = Q(pk__in=Postcode.objects.filter(place_folded__in=names).values("region_id"))
    for name in names:
        match |= Q(name_folded=name) | Q(name_folded__startswith=f"{name},")
    return match if names else Q(pk__in=[])


def region_search(
    *, q: str = "", level: str | None = None, ars_prefix: str | None = None
) -> RegionQuerySet:
    """Active regions matching a name, place name (Ortsteil), PLZ, AGS or ARS.

    Ordered by relevance: exact name, name prefix, then any other match;
    municipalities before the levels above them.
    """
    regions = Region.objects.active()
    if level:
        regions = regions.at_level(level)
    if ars_prefix:
        regions = regions.within(ars_prefix)
    q = q.strip()
    if not q:
        return regions.order_by("ars")
    if q.isdigit():
        if len(q) <= 5:
            match = _postcode_match(q)
        elif len(q) == 8:
            match = Q(ags=q) | Q(ars__startswith=q)
        else:
            match = Q(ars__startswith=q)
        return regions.filter(match).order_by(_LEVEL_RANK, "name_folded", "ars")
    folded = place_fold(q)
    places = Postcode.objects.filter(place_folded__contains=folded).values("region_id")
    match = Q(name_folded__contains=folded) | Q(pk__in=places)
    relevance = Case(
        When(name_folded=folded, then=Value(0)),
        When(name_folded__startswith=f"{folded},", then=Value(0)),
        When(name_folded__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    if len(folded) >= MIN_LENGTH and not regions.filter(match).exists():
        # Nothing contains what was typed: perhaps a typo ("Erfrut"); the most similar names first.
        similar = similar_place_names(folded)
        match = _named(similar)
        relevance = Case(
            *(
                When(Q(name_folded=name) | Q(name_folded__startswith=f"{name},"), then=Value(rank))
                for rank, name in enumerate(similar)
            ),
            default=Value(len(similar)),
            output_field=IntegerField(),
        )
    return (
        regions.filter(match)
        .annotate(relevance=relevance)
        .order_by("relevance", _LEVEL_RANK, "name_folded", "ars")
    )


def region_get(*, key: str) -> Region:
    """The active region with this AGS (8 digits) or ARS (significant or zero-padded)."""
    candidates = Region.objects.active()
    if len(key) == 8:
        region = candidates.filter(ags=key).first()
    else:
        # "16061000000" padded to 12 digits means the Kreis 16061: the longest
        # key whose remaining digits are zeros.
        keys = [key[:n] for n in ARS_LENGTH.values() if not key[n:].strip("0")]
        region = candidates.filter(ars__in=[key, *keys]).order_by("-ars").first()
    if region is None:
        raise NotFound(f"Kein Gebiet mit dem Schlüssel {key}.")
    return region


def region_ancestors(*, region: Region) -> dict[str, Region]:
    """Land, Regierungsbezirk, Kreis and Verband above a region, by level, in one query."""
    prefixes = [region.ars[:n] for n in ARS_LENGTH.values() if n < len(region.ars)]
    return {r.level: r for r in Region.objects.active().filter(ars__in=prefixes)}


def region_postcodes(*, region: Region) -> list[str]:
    return sorted(set(region.postcodes.values_list("code", flat=True)))


def region_place_names(*, region: Region) -> list[str]:
    names = set(region.postcodes.values_list("place_name", flat=True)) - {region.short_name}
    return sorted(names)


MAX_PLACES = 50
# The most Gemeinden one Land has (Bayern: 2,056): a bound for "every Gemeinde in an area".
MAX_AREA_GEMEINDEN = 2500


def places_resolve(*, query: str, limit: int = MAX_PLACES) -> list[Region]:
    """The active Gemeinden a place query can mean: a PLZ (all Gemeinden it
    covers), an AGS, an ARS or its prefix (all Gemeinden inside), or a name
    or Ortsteil (exact matches first, otherwise the best search hits)."""
    query = query.strip()
    gemeinden = Region.objects.active().at_level(Level.GEMEINDE)
    if query.isdigit():
        if len(query) == 5 and Postcode.objects.filter(code=query).exists():
            found = gemeinden.filter(pk__in=Postcode.objects.filter(code=query).values("region_id"))
        elif len(query) == 8:
            found = gemeinden.filter(ags=query)
        elif 2 <= len(query) <= 12:
            try:
                region = region_get(key=query)
            except NotFound:
                return []
            found = gemeinden.within(region.ars)
        else:
            found = gemeinden.none()
        return list(found.order_by("name_folded", "ars")[:limit])
    folded = place_fold(query)
    if not folded:
        return []
    exact = gemeinden.filter(
        Q(name_folded=folded)
        | Q(name_folded__startswith=f"{folded},")
        # "Neustadt" means every Neustadt an der/in/bei …, "Neustadt (Hessen)", …
        | Q(name_folded__startswith=f"{folded} ")
        | Q(name_folded__startswith=f"{folded}/")
        | Q(pk__in=Postcode.objects.filter(place_folded=folded).values("region_id"))
    )
    matches = list(exact.order_by("name_folded", "ars")[:limit])
    return matches or list(region_search(q=query, level=Level.GEMEINDE)[:10])

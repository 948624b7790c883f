"""Writes to the region register: imports of official editions."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from openamt.core.errors import DomainError, ImportFormatError
from openamt.core.imports import ImportSummary, Progress
from openamt.regions.constants import Level, PostcodeSource
from openamt.regions.importers.gemeindeverzeichnis import RegionRecord
from openamt.regions.importers.postcodes import PostcodeRow
from openamt.regions.models import Postcode, Region
from openamt.regions.names import place_fold

LEVEL_ORDER = [
    Level.LAND,
    Level.REGIERUNGSBEZIRK,
    Level.REGION,
    Level.KREIS,
    Level.VERBAND,
    Level.GEMEINDE,
]
_COMPARED = [
    "ars",
    "name",
    "seat",
    "kind",
    "parent_id",
    "area_ha",
    "population",
    "seat_postcode",
    "has_several_postcodes",
    "edition",
]


def _natural_key(level: str, ars: str, ags: str) -> str:
    # A Gemeinde keeps its AGS when it moves to another Verband; its ARS changes.
    return f"ags:{ags}" if level == Level.GEMEINDE else f"ars:{ars}"


def _parent_ars(record: RegionRecord, known: dict[str, Region]) -> str | None:
    ars = record.ars
    candidates = {
        Level.LAND: [],
        Level.REGIERUNGSBEZIRK: [ars[:2]],
        Level.REGION: [ars[:3], ars[:2]],
        Level.KREIS: [ars[:4], ars[:3], ars[:2]],
        # Verbände outside any Kreis (e.g. 07000 9999) hang below the Land.
        Level.VERBAND: [ars[:5], ars[:3], ars[:2]],
        Level.GEMEINDE: [ars[:9], ars[:5]],
    }[Level(record.level)]
    return next((c for c in candidates if c in known), None)


@transaction.atomic
def regions_import(
    *,
    records: Iterable[RegionRecord],
    land: str | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Bring the register up to one GV100AD edition, idempotently.

    Units missing from the edition are kept and closed with `valid_until`
    set to the edition's date; with `land`, only that Land is touched.
    The whole run is one transaction: a bad record leaves nothing behind.
    """
    by_level: dict[str, list[RegionRecord]] = {level: [] for level in LEVEL_ORDER}
    first_line: dict[str, int] = {}
    edition: date | None = None
    for record in records:
        if progress:
            progress(1)
        # One file is one Gebietsstand; a stray date would re-stamp everything.
        edition = edition or record.edition
        if record.edition != edition:
            raise ImportFormatError(
                f"Gebietsstand {record.edition:%d.%m.%Y} weicht vom Rest der Datei "
                f"({edition:%d.%m.%Y}) ab.",
                line=record.line,
            )
        key = _natural_key(record.level, record.ars, record.ags)
        if key in first_line:
            raise ImportFormatError(
                f"Schlüssel {key[4:]} kommt doppelt vor (zuerst in Zeile {first_line[key]}).",
                line=record.line,
            )
        first_line[key] = record.line
        if land and not record.ars.startswith(land):
            continue
        by_level[record.level].append(record)
    if edition is None or not any(by_level.values()):
        raise DomainError("Die Datei enthält keine Gebietssätze.")

    scope = Region.objects.active()
    if land:
        scope = scope.within(land)
    newest = scope.order_by("-edition").values_list("edition", flat=True).first()
    if newest and newest > edition:
        raise DomainError(
            f"Der Gebietsstand {edition:%d.%m.%Y} ist älter als der bereits importierte "
            f"({newest:%d.%m.%Y}); ältere Ausgaben werden nicht eingespielt."
        )
    existing = {_natural_key(r.level, r.ars, r.ags): r for r in scope}
    summary = ImportSummary()
    known: dict[str, Region] = {}
    seen: set[int] = set()

    for level in LEVEL_ORDER:
        to_create: list[Region] = []
        to_update: list[Region] = []
        for record in by_level[level]:
            parent_ars = _parent_ars(record, known)
            values = {
                "ars": record.ars,
                "name": record.name,
                "seat": record.seat,
                "kind": record.kind,
                "parent_id": known[parent_ars].pk if parent_ars else None,
                "area_ha": record.area_ha,
                "population": record.population,
                "seat_postcode": record.seat_postcode,
                "has_several_postcodes": record.has_several_postcodes,
                "edition": edition,
            }
            region = existing.get(_natural_key(level, record.ars, record.ags))
            if region is None:
                region = Region(
                    level=level,
                    ags=record.ags,
                    name_folded=place_fold(record.name),
                    valid_from=record.edition,
                    **values,
                )
                to_create.append(region)
            elif any(getattr(region, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(region, key, value)
                region.name_folded = place_fold(record.name)
                to_update.append(region)
                seen.add(region.pk)
            else:
                summary.unchanged[level] += 1
                seen.add(region.pk)
            known[record.ars] = region
        Region.objects.bulk_create(to_create, batch_size=2000)
        # Children need their parents' keys (RETURNING: SQLite >= 3.35, PostgreSQL).
        assert all(region.pk for region in to_create), "bulk_create returned no primary keys"
        Region.objects.bulk_update(to_update, [*_COMPARED, "name_folded"], batch_size=2000)
        summary.created[level] += len(to_create)
        summary.updated[level] += len(to_update)

    vanished = [r for r in existing.values() if r.pk not in seen]
    for region in vanished:
        region.valid_until = edition
        summary.deactivated[region.level] += 1
    Region.objects.bulk_update(vanished, ["valid_until"], batch_size=2000)
    _sync_register_postcodes(land=land, summary=summary)
    return summary


def _sync_register_postcodes(*, land: str | None, summary: ImportSummary) -> None:
    """Each Gemeinde is findable by its seat postcode from the register itself.

    This covers municipalities that the (older) OSM postcode list does not
    know yet, such as mergers after its edition.
    """
    gemeinden = Region.objects.active().at_level(Level.GEMEINDE).exclude(seat_postcode="")
    current = Postcode.objects.filter(source=PostcodeSource.REGISTER)
    if land:
        gemeinden = gemeinden.within(land)
        current = current.filter(region__ars__startswith=land)
    wanted = {(g.seat_postcode, g.pk, g.short_name) for g in gemeinden}
    _replace_postcodes(
        current=current, wanted=wanted, source=PostcodeSource.REGISTER, summary=summary
    )


def _replace_postcodes(
    *,
    current: QuerySet[Postcode],
    wanted: set[tuple[str, int, str]],
    source: str,
    summary: ImportSummary,
) -> None:
    """Make the rows of `current` equal `wanted` (code, region id, place name)."""
    have = {
        (p.code, p.region_id, p.place_name): p.pk
        for p in current.only("pk", "code", "region_id", "place_name")
    }
    missing = sorted(wanted - have.keys())
    obsolete = [pk for key, pk in have.items() if key not in wanted]
    Postcode.objects.bulk_create(
        [
            Postcode(
                code=code,
                region_id=region_id,
                place_name=place,
                place_folded=place_fold(place),
                source=source,
            )
            for code, region_id, place in missing
        ],
        batch_size=2000,
    )
    Postcode.objects.filter(pk__in=obsolete).delete()
    summary.created["postleitzahl"] += len(missing)
    summary.deleted["postleitzahl"] += len(obsolete)
    summary.unchanged["postleitzahl"] += len(wanted) - len(missing)


@transaction.atomic
def postcodes_import(
    *, rows: Iterable[PostcodeRow], progress: Progress | None = None
) -> ImportSummary:
    """Replace the OSM postcode assignments with one edition of the list.

    Rows whose AGS no longer exists in the register (municipalities merged
    since the list's edition) are attached to their successor where the
    register names exactly one: the single Gemeinde of the same Kreis that
    the list does not know yet, provided it has the row's postcode as its
    seat postcode or carries the old name in its own. Others are skipped
    and counted; their postcode still leads to the current municipalities.
    """
    rows = list(rows)
    gemeinden = {
        g.ags: g
        for g in Region.objects.active()
        .at_level(Level.GEMEINDE)
        .only("pk", "ags", "name", "seat_postcode")
    }
    listed = {row.ags for row in rows}
    successors_by_kreis: dict[str, list[Region]] = {}
    for ags, gemeinde in gemeinden.items():
        if ags not in listed:
            successors_by_kreis.setdefault(ags[:5], []).append(gemeinde)

    summary = ImportSummary()
    wanted: set[tuple[str, int, str]] = set()
    for row in rows:
        if progress:
            progress(1)
        region = gemeinden.get(row.ags) or _successor(row, successors_by_kreis)
        if region is None:
            summary.skipped["veraltete AGS ohne Nachfolger"] += 1
            summary.notes.append(f"Zeile {row.line}: AGS {row.ags} ({row.place}) übersprungen")
            continue
        if region.ags != row.ags:
            summary.notes.append(
                f"Zeile {row.line}: {row.place} (AGS {row.ags}) → {region.name} (AGS {region.ags})"
            )
        wanted.add((row.postcode, region.pk, row.place))

    _replace_postcodes(
        current=Postcode.objects.filter(source=PostcodeSource.OSM),
        wanted=wanted,
        source=PostcodeSource.OSM,
        summary=summary,
    )
    return summary


def _successor(row: PostcodeRow, successors_by_kreis: dict[str, list[Region]]) -> Region | None:
    candidates = successors_by_kreis.get(row.ags[:5], [])
    if len(candidates) != 1:
        return None
    successor = candidates[0]
    old_words = {word for word in place_fold(row.place).replace("/", " ").split() if len(word) > 3}
    new_words = set(place_fold(successor.name).replace("/", " ").replace(",", " ").split())
    if successor.seat_postcode == row.postcode or old_words & new_words:
        return successor
    return None

"""The real GV100AD and postcode files, imported into the test database."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from openamt.core.errors import DomainError, ImportFormatError
from openamt.core.imports import open_text, read_text
from openamt.regions.constants import Level, RegionKind
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad
from openamt.regions.importers.postcodes import parse_postcodes
from openamt.regions.models import Postcode, Region
from openamt.regions.selectors import region_search
from openamt.regions.services import postcodes_import, regions_import


def _import_regions(path: Path, land: str | None = None):
    with open_text(path) as handle:
        return regions_import(records=parse_gv100ad(handle), land=land)


def _import_postcodes(path: Path):
    with open_text(path) as handle:
        return postcodes_import(rows=parse_postcodes(handle))


def _snapshot() -> tuple[int, int, list[tuple]]:
    return (
        Region.objects.count(),
        Postcode.objects.count(),
        list(Region.objects.order_by("pk").values_list("pk", "name", "valid_until", "edition")),
    )


@pytest.mark.germany
def test_all_german_municipalities_are_imported(register):
    gemeinden = Region.objects.active().at_level(Level.GEMEINDE)
    assert gemeinden.count() == 10953
    assert Region.objects.active().at_level(Level.LAND).count() == 16


def test_thuringia_has_the_register_structure(register):
    thuringia = Region.objects.active().within("16")
    assert thuringia.at_level(Level.GEMEINDE).count() == 605
    verbaende = Counter(thuringia.at_level(Level.VERBAND).values_list("kind", flat=True))
    assert verbaende == {
        RegionKind.VERWALTUNGSGEMEINSCHAFT: 42,
        RegionKind.ERFUELLENDE_GEMEINDE: 38,
        RegionKind.VERBANDSFREI: 109,
    }
    kreise = Counter(thuringia.at_level(Level.KREIS).values_list("kind", flat=True))
    assert kreise == {RegionKind.LANDKREIS: 17, RegionKind.KREISFREIE_STADT: 5}


def test_a_municipality_carries_its_register_data_and_hierarchy(register):
    uder = Region.objects.active().get(ags="16061119")
    assert (uder.name, uder.ars, uder.kind) == (
        "Uder",
        "160615051119",
        RegionKind.KREISANGEHOERIGE_GEMEINDE,
    )
    assert (uder.area_ha, uder.population, uder.seat_postcode) == (5780, 6134, "37318")
    assert uder.valid_from == date(2025, 11, 30)
    assert uder.parent.name == "EG Uder"
    assert uder.parent.kind == RegionKind.ERFUELLENDE_GEMEINDE
    assert uder.parent.parent.name == "Eichsfeld"
    assert uder.parent.parent.parent.name == "Thüringen"


def test_reimport_of_the_same_edition_changes_nothing(register):
    before = _snapshot()
    summary = _import_regions(register.regions)
    assert summary.changed == 0
    assert sum(summary.unchanged[level] for level in Level) == 16000
    assert summary.unchanged["postleitzahl"] == 10757  # seat postcodes from the register
    postcodes = _import_postcodes(register.postcodes)
    assert postcodes.changed == 0
    assert _snapshot() == before


def test_corrupted_file_is_rejected_with_its_line_and_nothing_changes(register, tmp_path):
    lines = read_text(register.regions).splitlines(keepends=True)
    # Line 15190 is a Thuringian Gemeinde; an area with a letter is malformed.
    broken = lines[15189]
    assert broken.startswith("60")
    lines[15189] = broken[:130] + "X" + broken[131:]
    path = tmp_path / "GV100AD_kaputt.txt"
    path.write_text("".join(lines), encoding="utf-8")
    before = _snapshot()
    with pytest.raises(ImportFormatError) as error:
        _import_regions(path)
    assert error.value.line == 15190
    assert "Zeile 15190" in error.value.message
    assert _snapshot() == before


def test_truncated_record_is_rejected(register, tmp_path):
    lines = read_text(register.regions).splitlines(keepends=True)
    lines[99] = lines[99][:150] + "\n"
    path = tmp_path / "GV100AD_kurz.txt"
    path.write_text("".join(lines), encoding="utf-8")
    before = _snapshot()
    with pytest.raises(ImportFormatError) as error:
        _import_regions(path)
    assert error.value.line == 100
    assert _snapshot() == before


def _new_edition(source: Path, target: Path, *, rename: tuple[str, str], drop_ags: str) -> None:
    out = []
    for line in read_text(source).splitlines():
        line = line[:2] + "20261231" + line[10:]
        if line.startswith("60") and line[10:15] + line[15:18] == drop_ags:
            continue
        if line.startswith("60") and line[22:72].strip() == rename[0]:
            line = line[:22] + rename[1].ljust(50) + line[72:]
        out.append(line + "\n")
    target.write_text("".join(out), encoding="utf-8")


def test_newer_edition_renames_and_closes_vanished_municipalities(register, tmp_path):
    path = tmp_path / "GV100AD_31122026.txt"
    _new_edition(register.regions, path, rename=("Uder", "Uder-Eichsfeld"), drop_ags="16061001")
    vanished = Region.objects.active().get(ags="16061001")
    total = Region.objects.count()

    summary = _import_regions(path, land="16")

    assert summary.deactivated == {Level.GEMEINDE: 1}
    assert summary.updated[Level.GEMEINDE] == 604  # every record carries the new Gebietsstand
    vanished.refresh_from_db()
    assert vanished.valid_until == date(2026, 12, 31)
    assert Region.objects.count() == total  # history is kept
    uder = Region.objects.active().get(ags="16061119")
    assert uder.name == "Uder-Eichsfeld"
    assert list(region_search(q=vanished.name, level=Level.GEMEINDE).filter(pk=vanished.pk)) == []
    # Other Länder are untouched by a Land-scoped import.
    assert Region.objects.active().get(ags="09162000").edition == date(2025, 11, 30)


def test_older_edition_is_refused(register, tmp_path):
    path = tmp_path / "GV100AD_alt.txt"
    text = read_text(register.regions)
    path.write_text(
        "".join(line[:2] + "20201231" + line[10:] for line in text.splitlines(keepends=True)),
        encoding="utf-8",
    )
    before = _snapshot()
    with pytest.raises(DomainError, match="älter"):
        _import_regions(path)
    assert _snapshot() == before


def test_postcodes_are_n_to_m(register):
    erfurt_codes = set(
        Postcode.objects.filter(region__ags="16051000").values_list("code", flat=True)
    )
    assert {"99084", "99085", "99086", "99089"} <= erfurt_codes
    gemeinden_37318 = set(
        Postcode.objects.filter(code="37318").values_list("region__name", flat=True)
    )
    assert {"Uder", "Arenshausen", "Schachtebich"} <= gemeinden_37318


def test_mergers_missing_from_the_postcode_list_are_found_by_their_postcodes(register):
    uder = Region.objects.active().get(ags="16061119")
    berga = Region.objects.active().get(ags="16076094")
    assert uder in region_search(q="37318", level=Level.GEMEINDE)
    assert berga in region_search(q="07980", level=Level.GEMEINDE)
    assert berga in region_search(q="07570", level=Level.GEMEINDE)
    # The former municipalities are place names (Ortsteile) of their successor.
    assert list(region_search(q="Wüstheuterode", level=Level.GEMEINDE)) == [uder]
    assert list(region_search(q="Wünschendorf/Elster", level=Level.GEMEINDE)) == [berga]


def test_stale_postcode_rows_without_a_unique_successor_are_skipped(register, tmp_path):
    path = tmp_path / "plz.csv"
    path.write_text(read_text(register.postcodes), encoding="utf-8")
    summary = _import_postcodes(path)
    # Glasehausen (2023 merger) cannot be attached unambiguously.
    assert summary.skipped["veraltete AGS ohne Nachfolger"] == 10
    assert any("16061039 (Glasehausen)" in note for note in summary.notes)
    assert not Postcode.objects.filter(place_name="Glasehausen").exists()


def test_malformed_postcode_row_aborts_the_import(register, tmp_path):
    lines = read_text(register.postcodes).splitlines(keepends=True)
    lines[500] = lines[500].replace(",", ",9", 1)  # AGS with nine digits
    path = tmp_path / "plz_kaputt.csv"
    path.write_text("".join(lines), encoding="utf-8")
    before = _snapshot()
    with pytest.raises(ImportFormatError) as error:
        _import_postcodes(path)
    assert error.value.line == 501
    assert _snapshot() == before


def _rewrite(source: Path, target: Path, change) -> None:
    lines = read_text(source).splitlines(keepends=True)
    change(lines)
    target.write_text("".join(lines), encoding="utf-8")


def test_a_record_of_another_edition_is_rejected(register, tmp_path):
    path = tmp_path / "gemischt.txt"
    _rewrite(
        register.regions,
        path,
        lambda lines: lines.__setitem__(41, lines[41][:2] + "20261130" + lines[41][10:]),
    )
    before = _snapshot()
    with pytest.raises(ImportFormatError, match=r"Gebietsstand 30\.11\.2026 weicht") as error:
        _import_regions(path)
    assert error.value.line == 42
    assert _snapshot() == before


def test_a_duplicated_record_is_rejected(register, tmp_path):
    path = tmp_path / "doppelt.txt"
    _rewrite(register.regions, path, lambda lines: lines.insert(15190, lines[15186]))
    before = _snapshot()
    with pytest.raises(
        ImportFormatError, match=r"Schlüssel 16051000 kommt doppelt vor \(zuerst in Zeile 15187\)"
    ) as error:
        _import_regions(path)
    assert error.value.line == 15191
    assert _snapshot() == before


@pytest.mark.germany
def test_every_unit_below_a_land_has_a_parent(register):
    assert (
        not Region.objects.active().exclude(level=Level.LAND).filter(parent__isnull=True).exists()
    )

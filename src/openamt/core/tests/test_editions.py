"""Which edition of the official data is imported: shipped, or newer from OPENAMT_DATA_DIR."""

import gzip
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from openamt.core.editions import PACKAGE_DIR, DataFiles, edition
from openamt.core.imports import count_lines, open_text, read_text


def test_without_a_data_folder_the_shipped_compressed_editions_are_used(settings):
    settings.DATA_DIR = None
    files = DataFiles.configured()
    assert files == DataFiles(
        regions=PACKAGE_DIR / "regions" / "data" / "GV100AD_30112025.txt.xz",
        postcodes=PACKAGE_DIR / "regions" / "data" / "zuordnung_plz_ort_2024-01.csv.xz",
        services=PACKAGE_DIR / "catalogue" / "data" / "leika_ozg_katalog_2019-12.csv.xz",
        ozg_services=PACKAGE_DIR / "catalogue" / "data" / "ozg_leistungen_2019-12.csv.xz",
    )
    # The register as Destatis publishes it: 16,000 records of 220 characters.
    assert count_lines(files.regions) == 16000
    with open_text(files.postcodes) as handle:
        assert handle.readline() == "osm_id,ags,ort,plz,landkreis,bundesland\n"


def _edition_folder(base: Path, *names: str) -> None:
    (base / "regions").mkdir(parents=True)
    for name in names:
        (base / "regions" / name).write_text("", encoding="utf-8")


def test_a_newer_edition_in_the_data_folder_wins_an_older_one_does_not(settings, tmp_path):
    _edition_folder(tmp_path, "GV100AD_31122024.txt", "GV100AD_31032026.txt.gz")
    settings.DATA_DIR = tmp_path
    files = DataFiles.configured()
    # 31.03.2026 is newer than the shipped 30.11.2025; 31.12.2024 is older.
    assert files.regions == tmp_path / "regions" / "GV100AD_31032026.txt.gz"
    # Kinds the folder does not hold come from the package.
    assert files.services == PACKAGE_DIR / "catalogue" / "data" / "leika_ozg_katalog_2019-12.csv.xz"


def test_at_the_same_edition_the_operators_file_wins(settings, tmp_path):
    _edition_folder(tmp_path, "GV100AD_30112025.txt")
    settings.DATA_DIR = tmp_path
    assert DataFiles.configured().regions == tmp_path / "regions" / "GV100AD_30112025.txt"


def test_editions_are_ordered_by_the_date_in_their_name():
    assert edition(Path("GV100AD_30112025.txt.xz")) == (2025, 11, 30)
    assert edition(Path("zuordnung_plz_ort_2024-01.csv")) == (2024, 1, 0)
    assert edition(Path("liste.csv")) == (0, 0, 0)


def test_compressed_and_plain_files_read_alike(tmp_path):
    text = "osm_id,ags,ort\r\n1,16051000,Erfurt\r\n"
    plain, packed = tmp_path / "plz.csv", tmp_path / "plz.csv.gz"
    plain.write_bytes(text.encode())
    packed.write_bytes(gzip.compress(text.encode()))
    assert read_text(plain) == read_text(packed) == text


def test_import_without_a_path_takes_the_configured_edition(register):
    out = StringIO()
    call_command("import_regions", "--land", "16", stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert lines[0] == f"Ausgabe: {register.regions.name}"
    assert lines[-1] == "0 Änderungen."

"""Loading the real register data into a test database."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from openamt.organisations.services import authorities_sync_from_register
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad
from openamt.regions.importers.postcodes import parse_postcodes
from openamt.regions.services import postcodes_import, regions_import

THURINGIA = "16"


@dataclass(frozen=True)
class DataFiles:
    regions: Path
    postcodes: Path

    @classmethod
    def find(cls) -> "DataFiles | None":
        base = Path(settings.DATA_DIR)
        files = cls(
            regions=base / "regions" / "GV100AD_30112025.txt",
            postcodes=base / "postcodes" / "zuordnung_plz_ort_2024-01.csv",
        )
        return files if files.regions.is_file() and files.postcodes.is_file() else None


def load_register(files: DataFiles, *, land: str | None = None) -> None:
    """The register (all of Germany, or one Land: the fast path), its postcodes,
    and the authorities of Thuringia."""
    with files.regions.open(encoding="utf-8") as handle:
        regions_import(records=parse_gv100ad(handle), land=land)
    with files.postcodes.open(encoding="utf-8", newline="") as handle:
        rows = parse_postcodes(handle)
        if land:
            rows = (row for row in rows if row.ags.startswith(land))
        postcodes_import(rows=rows)
    authorities_sync_from_register(land=THURINGIA)

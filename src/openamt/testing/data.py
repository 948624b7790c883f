"""Loading the real register data into a test database."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from openamt.catalogue.importers.leika import parse_catalogue, parse_ozg_list
from openamt.catalogue.services import services_import, terms_load, texts_load
from openamt.organisations.services import authorities_sync_from_register
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad
from openamt.regions.importers.postcodes import parse_postcodes
from openamt.regions.services import postcodes_import, regions_import
from openamt.responsibility.services import rules_load

THURINGIA = "16"


@dataclass(frozen=True)
class DataFiles:
    regions: Path
    postcodes: Path
    services: Path
    ozg_services: Path

    @classmethod
    def find(cls) -> "DataFiles | None":
        base = Path(settings.DATA_DIR)
        files = cls(
            regions=base / "regions" / "GV100AD_30112025.txt",
            postcodes=base / "postcodes" / "zuordnung_plz_ort_2024-01.csv",
            services=base / "services" / "leika_ozg_katalog_2019-12.csv",
            ozg_services=base / "services" / "ozg_leistungen_2019-12.csv",
        )
        paths = (files.regions, files.postcodes, files.services, files.ozg_services)
        return files if all(path.is_file() for path in paths) else None


def load_register(files: DataFiles, *, land: str | None = None) -> None:
    """The register (all of Germany, or one Land: the fast path), its postcodes,
    the authorities of Thuringia and the service catalogue."""
    with files.regions.open(encoding="utf-8") as handle:
        regions_import(records=parse_gv100ad(handle), land=land)
    with files.postcodes.open(encoding="utf-8", newline="") as handle:
        rows = parse_postcodes(handle)
        if land:
            rows = (row for row in rows if row.ags.startswith(land))
        postcodes_import(rows=rows)
    authorities_sync_from_register(land=THURINGIA)
    load_catalogue(files)


def load_catalogue(files: DataFiles) -> None:
    with files.ozg_services.open(encoding="utf-8", newline="") as handle:
        ozg_rows = list(parse_ozg_list(handle))
    with files.services.open(encoding="utf-8", newline="") as handle:
        services_import(rows=parse_catalogue(handle), ozg_rows=ozg_rows)
    terms_load()
    texts_load()
    rules_load()

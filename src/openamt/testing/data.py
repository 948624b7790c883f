"""Loading the real register data into a test database."""

from openamt.catalogue.importers.leika import parse_catalogue, parse_ozg_list
from openamt.catalogue.services import services_import, terms_load, texts_load
from openamt.core.editions import DataFiles
from openamt.core.imports import open_text
from openamt.organisations.services import authorities_sync_from_register
from openamt.regions.importers.gemeindeverzeichnis import parse_gv100ad
from openamt.regions.importers.postcodes import parse_postcodes
from openamt.regions.services import postcodes_import, regions_import
from openamt.responsibility.services import rules_load

THURINGIA = "16"


def load_register(files: DataFiles, *, land: str | None = None) -> None:
    """The register (all of Germany, or one Land: the fast path), its postcodes,
    the authorities of Thuringia and the service catalogue."""
    with open_text(files.regions) as handle:
        regions_import(records=parse_gv100ad(handle), land=land)
    with open_text(files.postcodes) as handle:
        rows = parse_postcodes(handle)
        if land:
            rows = (row for row in rows if row.ags.startswith(land))
        postcodes_import(rows=rows)
    authorities_sync_from_register(land=THURINGIA)
    load_catalogue(files)


def load_catalogue(files: DataFiles) -> None:
    with open_text(files.ozg_services) as handle:
        ozg_rows = list(parse_ozg_list(handle))
    with open_text(files.services) as handle:
        services_import(rows=parse_catalogue(handle), ozg_rows=ozg_rows)
    terms_load()
    texts_load()
    rules_load()

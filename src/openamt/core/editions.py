"""The editions of the official data files the platform imports.

The package ships one edition of each (compressed, in the owning app's `data/`)
so that a fresh clone imports the whole register; an operator puts a newer
edition into `OPENAMT_DATA_DIR` (the layout of the published downloads:
`regions/`, `postcodes/`, `services/`, plain or compressed). For each kind the
newest edition found in either place is used; at the same edition the operator's
file wins.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

PACKAGE_DIR = Path(__file__).resolve().parents[1]

# kind: (folder under OPENAMT_DATA_DIR, app that ships it, file name pattern)
_KINDS = {
    "regions": ("regions", "regions", "GV100AD_*.txt*"),
    "postcodes": ("postcodes", "regions", "zuordnung_plz_ort_*.csv*"),
    "services": ("services", "catalogue", "leika_ozg_katalog_*.csv*"),
    "ozg_services": ("services", "catalogue", "ozg_leistungen_*.csv*"),
}
# Destatis names its editions by day (TTMMJJJJ); the others by month (JJJJ-MM).
_DAY = re.compile(r"_(\d{2})(\d{2})(\d{4})\.")
_MONTH = re.compile(r"_(\d{4})-(\d{2})\.")


@dataclass(frozen=True)
class DataFiles:
    """One file per kind of official data: GV100AD register, OSM postcode list,
    LeiKa/OZG catalogue and the OZG service list."""

    regions: Path
    postcodes: Path
    services: Path
    ozg_services: Path

    @classmethod
    def configured(cls) -> "DataFiles":
        """The newest edition of each kind, from `settings.DATA_DIR` (if set) or
        the package. Raises `FileNotFoundError` when the package lacks one (a
        broken installation)."""
        base = settings.DATA_DIR
        return cls(**{kind: _newest(kind, base) for kind in _KINDS})

    def all(self) -> tuple[Path, ...]:
        return (self.regions, self.postcodes, self.services, self.ozg_services)


def edition(path: Path) -> tuple[int, int, int]:
    """(year, month, day) of the edition a data file's name gives; day 0 for
    monthly editions, (0, 0, 0) for a name without a date."""
    if match := _DAY.search(path.name):
        day, month, year = (int(part) for part in match.groups())
        return year, month, day
    if match := _MONTH.search(path.name):
        return int(match[1]), int(match[2]), 0
    return 0, 0, 0


def _newest(kind: str, base: Path | None) -> Path:
    folder, app, pattern = _KINDS[kind]
    # The operator's folder is listed first, so that at the same edition max() keeps it.
    candidates = sorted((base / folder).glob(pattern)) if base else []
    candidates += sorted((PACKAGE_DIR / app / "data").glob(pattern))
    if not candidates:
        raise FileNotFoundError(f"keine Datei {pattern} für {kind}")
    return max(candidates, key=edition)

"""What every importer of an official file reports: counts per kind, and notes."""

import bz2
import gzip
import lzma
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

Progress = Callable[[int], object]
_COLUMNS = [
    ("created", "neu"),
    ("updated", "geändert"),
    ("unchanged", "unverändert"),
    ("deactivated", "beendet"),
    ("deleted", "gelöscht"),
    ("skipped", "übersprungen"),
]


@dataclass
class ImportSummary:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    deactivated: Counter[str] = field(default_factory=Counter)
    deleted: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(
            sum(c.values()) for c in (self.created, self.updated, self.deactivated, self.deleted)
        )

    def table(self) -> list[str]:
        """The counts as a plain-text table, one line per kind."""
        counters = [getattr(self, attr) for attr, _ in _COLUMNS]
        kinds = sorted(set().union(*counters))
        lines = [f"{'Art':<30}" + "".join(f"{label:>14}" for _, label in _COLUMNS)]
        for kind in kinds:
            lines.append(f"{kind:<30}" + "".join(f"{c[kind]:>14}" for c in counters))
        return lines


_DECOMPRESSORS: dict[str, Callable[..., IO[str]]] = {
    ".xz": lzma.open,
    ".gz": gzip.open,
    ".bz2": bz2.open,
}


def open_text(path: Path) -> IO[str]:
    """An official data file opened as UTF-8 text, decompressed on the fly when its
    name ends in .xz, .gz or .bz2. Line endings are kept as they are (`newline=""`),
    as the csv module needs. Raises `OSError` when the file cannot be read."""
    opener = _DECOMPRESSORS.get(path.suffix, open)
    return opener(path, "rt", encoding="utf-8", newline="")


def read_text(path: Path) -> str:
    """The whole text of a (possibly compressed) data file."""
    with open_text(path) as handle:
        return handle.read()


def count_lines(path: Path) -> int:
    """Lines in a (possibly compressed) data file, for a progress bar's total."""
    with open_text(path) as handle:
        return sum(1 for _ in handle)


@contextmanager
def progress_bar(total: int, label: str, stream: Any) -> Iterator[Progress]:
    with tqdm(total=total, desc=label, unit=" Sätze", file=stream, mininterval=0.2) as bar:
        yield bar.update


def write_summary(command: Any, summary: ImportSummary, *, notes: bool = False) -> None:
    """Print an import's counts (and notes) from a management command."""
    for line in summary.table():
        command.stdout.write(line)
    if notes:
        for note in summary.notes:
            command.stdout.write(note)
    command.stdout.write(command.style.SUCCESS(f"{summary.changed} Änderungen."))

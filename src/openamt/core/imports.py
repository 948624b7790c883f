"""What every importer of an official file reports: counts per kind, and notes."""

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

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

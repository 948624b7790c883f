"""Reads of the portal's own pages (public)."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openamt.portal.constants import LegalPageKind
from openamt.portal.models import LegalPage

STARTING_TEXTS = Path(__file__).parent / "data" / "rechtstexte"


@dataclass(frozen=True)
class LegalText:
    kind: LegalPageKind
    body: str
    updated_at: datetime | None  # None: the shipped starting text, never saved by the Land

    @property
    def title(self) -> str:
        return self.kind.label


def legal_starting_text(*, kind: LegalPageKind) -> str:
    """The text shipped with the software: German, with the operator's facts as
    placeholders in square brackets."""
    return (STARTING_TEXTS / f"{kind.value}.txt").read_text(encoding="utf-8").strip()


def legal_page_get(*, kind: LegalPageKind) -> LegalText:
    """The Land's text of a legal page, or the starting text until it saves one.
    Every page always exists, so the footer's links never lead nowhere."""
    page = LegalPage.objects.filter(kind=kind).first()
    if page is None:
        return LegalText(kind=kind, body=legal_starting_text(kind=kind), updated_at=None)
    return LegalText(kind=kind, body=page.body, updated_at=page.updated_at)


def legal_pages() -> list[LegalText]:
    """All legal pages in the order of the footer, in one query."""
    saved = {page.kind: page for page in LegalPage.objects.all()}
    texts = []
    for kind in LegalPageKind:
        page = saved.get(kind.value)
        texts.append(
            LegalText(kind=kind, body=page.body, updated_at=page.updated_at)
            if page
            else LegalText(kind=kind, body=legal_starting_text(kind=kind), updated_at=None)
        )
    return texts

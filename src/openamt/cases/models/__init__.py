"""Vorgangsbearbeitung: cases, their electronic file, decisions and the legal
rules they are computed with. One module per part; this package is the
`cases.models` Django loads."""

from openamt.cases.models.api import CaseApiWrite
from openamt.cases.models.archive import ArchiveTransfer, ArchiveTransferFile, DeletionRecord
from openamt.cases.models.case import Case, CaseDocument, FilingPlanEntry, Team

__all__ = [
    "ArchiveTransfer",
    "ArchiveTransferFile",
    "Case",
    "CaseApiWrite",
    "CaseDocument",
    "DeletionRecord",
    "FilingPlanEntry",
    "Team",
]

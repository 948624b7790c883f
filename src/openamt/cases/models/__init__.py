"""Vorgangsbearbeitung: cases, their electronic file, decisions and the legal
rules they are computed with. One module per part; this package is the
`cases.models` Django loads."""

from openamt.cases.models.case import Case, CaseDocument, FilingPlanEntry, Team
from openamt.cases.models.requests import CaseMessage, InformationRequest

__all__ = [
    "Case",
    "CaseDocument",
    "CaseMessage",
    "FilingPlanEntry",
    "InformationRequest",
    "Team",
]

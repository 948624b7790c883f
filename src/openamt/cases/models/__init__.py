"""Vorgangsbearbeitung: cases, their electronic file, decisions and the legal
rules they are computed with. One module per part; this package is the
`cases.models` Django loads."""

from openamt.cases.models.api import CaseApiWrite
from openamt.cases.models.archive import ArchiveTransfer, ArchiveTransferFile, DeletionRecord
from openamt.cases.models.case import Case, CaseDocument, FilingPlanEntry, Team
from openamt.cases.models.decision import Decision, DecisionTemplate, PostBatch
from openamt.cases.models.requests import CaseMessage, InformationRequest
from openamt.cases.models.rules import (
    BekanntgabeChannel,
    BekanntgabeRule,
    Jurisdiction,
    ObjectionPeriod,
    Remedy,
    ServiceDeadline,
)

__all__ = [
    "ArchiveTransfer",
    "ArchiveTransferFile",
    "BekanntgabeChannel",
    "BekanntgabeRule",
    "Case",
    "CaseApiWrite",
    "CaseDocument",
    "CaseMessage",
    "Decision",
    "DecisionTemplate",
    "DeletionRecord",
    "FilingPlanEntry",
    "InformationRequest",
    "Jurisdiction",
    "ObjectionPeriod",
    "PostBatch",
    "Remedy",
    "ServiceDeadline",
    "Team",
]

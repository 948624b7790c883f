"""Vorgangsbearbeitung: cases, their electronic file, decisions and the legal
rules they are computed with. One module per part; this package is the
`cases.models` Django loads."""

from openamt.cases.models.rules import (
    BekanntgabeChannel,
    BekanntgabeRule,
    Jurisdiction,
    ObjectionPeriod,
    Remedy,
    ServiceDeadline,
)

__all__ = [
    "BekanntgabeChannel",
    "BekanntgabeRule",
    "Jurisdiction",
    "ObjectionPeriod",
    "Remedy",
    "ServiceDeadline",
]

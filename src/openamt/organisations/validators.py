"""Validation of identifiers an authority carries (Leitweg-ID, IBAN, opening hours)."""

from datetime import time

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from stdnum import iban as stdnum_iban
from stdnum.de import leitweg
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from openamt.core.errors import InvalidInput


def validate_leitweg_id(value: str) -> str:
    """Syntax and check digits (ISO 7064 MOD 97-10) of a Leitweg-ID per XStandards Einkauf."""
    try:
        return leitweg.validate(value.strip())
    except InvalidChecksum:
        raise InvalidInput(
            "Die Prüfziffer der Leitweg-ID stimmt nicht.", field="leitweg_id"
        ) from None
    except (InvalidFormat, InvalidLength, InvalidComponent, StdnumError):
        raise InvalidInput(
            "Die Leitweg-ID hat nicht das Format Grobadressierung-Feinadressierung-Prüfziffer "
            "(z. B. 16051000-12345-67).",
            field="leitweg_id",
        ) from None


def validate_iban(value: str) -> str:
    try:
        return stdnum_iban.compact(stdnum_iban.validate(value))
    except InvalidChecksum:
        raise InvalidInput("Die Prüfziffer der IBAN stimmt nicht.", field="iban") from None
    except StdnumError:
        raise InvalidInput("Dies ist keine gültige IBAN.", field="iban") from None


class OpeningPeriod(BaseModel):
    """One opening period on one weekday (0 = Montag)."""

    model_config = ConfigDict(extra="forbid")

    day: int = Field(ge=0, le=6)
    opens: time
    closes: time
    note: str = Field(default="", max_length=120)

    @model_validator(mode="after")
    def _order(self) -> "OpeningPeriod":
        if self.closes <= self.opens:
            raise ValueError("Ende muss nach dem Beginn liegen")
        return self


_PERIODS = TypeAdapter(list[OpeningPeriod])


def validate_opening_hours(value: object) -> list[dict[str, str | int]]:
    try:
        periods = _PERIODS.validate_python(value)
    except ValidationError:
        raise InvalidInput(
            "Öffnungszeiten: je Zeitraum Wochentag, Beginn und Ende (HH:MM), Ende nach Beginn.",
            field="opening_hours",
        ) from None
    periods.sort(key=lambda p: (p.day, p.opens))
    return [
        {
            "day": p.day,
            "opens": p.opens.strftime("%H:%M"),
            "closes": p.closes.strftime("%H:%M"),
            "note": p.note,
        }
        for p in periods
    ]

"""Money: integer cents end to end, computed in Decimal, rounded commercially.

Commercial rounding (kaufmännisches Runden, DIN 1333) rounds a half away
from zero: 172.5 cents become 173, -172.5 become -173. Python's `round`
rounds a half to the even neighbour (172.5 -> 172) and works on binary
floats, in which 1.15 is not 1.15; neither may touch an amount.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_WHOLE = Decimal(1)


def decimal_of(value: int | float | str | Decimal) -> Decimal:
    """An exact Decimal of a number as it was written: a float by its shortest
    representation (1.15 -> Decimal("1.15"), not the binary 1.149999…).
    Raises InvalidOperation for booleans, text that is no number and non-finite values."""
    if isinstance(value, bool):
        raise InvalidOperation("a truth value is no amount")
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise InvalidOperation("not a finite number")
    return number


def cents_round(amount: Decimal) -> int:
    """An amount in cents (Decimal, any number of places) as whole cents,
    a half rounded away from zero: Decimal("172.5") -> 173."""
    return int(amount.quantize(_WHOLE, rounding=ROUND_HALF_UP))


def euros_display(cents: int) -> str:
    """Whole cents as German readers write euros: 123450 -> "1.234,50 €"."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d} €"

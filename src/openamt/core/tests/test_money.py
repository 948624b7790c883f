"""Money: whole cents, computed in Decimal, rounded half away from zero."""

from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openamt.core.money import cents_round, decimal_of, euros_display

# Amounts in cents with up to four places after the point, as a rule may give them.
AMOUNTS = st.decimals(
    min_value=Decimal("-1000000000"),
    max_value=Decimal("1000000000"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        ("172.5", 173),  # Python's round: 172
        ("173.5", 174),
        ("-172.5", -173),
        ("172.4999", 172),
        ("0.5", 1),
        ("-0.5", -1),
        ("0.4", 0),
        ("264.5", 265),
    ],
)
def test_a_half_cent_is_rounded_away_from_zero(amount, cents):
    assert cents_round(Decimal(amount)) == cents


@given(AMOUNTS)
def test_commercial_rounding_is_the_nearest_whole_cent_with_halves_away_from_zero(amount):
    cents = cents_round(amount)
    assert isinstance(cents, int)
    assert abs(Decimal(cents) - amount) <= Decimal("0.5")
    if abs(amount - amount.to_integral_value(rounding="ROUND_DOWN")) == Decimal("0.5"):
        assert abs(cents) > abs(amount)  # a half goes away from zero
    assert cents_round(-amount) == -cents  # symmetric


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**6))
def test_area_times_a_rate_in_cents_is_exact(hundredths, rate):
    # An area typed with two places (1,5 m² -> 1.5) times a rate in cents: the
    # float the answer is stored as gives back exactly the typed value.
    area = hundredths / 100
    exact = Decimal(hundredths) / 100 * rate
    assert cents_round(decimal_of(area) * rate) == int(
        exact.quantize(Decimal(1), rounding="ROUND_HALF_UP")
    )


def test_a_float_is_taken_as_written():
    assert decimal_of(1.15) == Decimal("1.15")
    assert decimal_of(3) == Decimal(3)
    assert decimal_of("2,5".replace(",", ".")) == Decimal("2.5")
    for not_an_amount in (True, "Rex", float("nan"), float("inf")):
        with pytest.raises(InvalidOperation):
            decimal_of(not_an_amount)


@pytest.mark.parametrize(
    ("cents", "shown"),
    [(0, "0,00 €"), (5, "0,05 €"), (123450, "1.234,50 €"), (-150000, "-1.500,00 €")],
)
def test_euros_are_shown_in_german_notation(cents, shown):
    assert euros_display(cents) == shown

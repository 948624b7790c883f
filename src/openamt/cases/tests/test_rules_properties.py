"""Properties of the pure date functions, on unsaved rule rows (no database)."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from openamt.cases.models import BekanntgabeRule, ObjectionPeriod
from openamt.cases.rules import add_months, fiction_day, objection_period_ends, retrieval_last_day
from openamt.core.workdays import is_working_day

days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))


@hypothesis_settings(deadline=None)  # the first example builds the holiday lists
@given(day=days, months=st.integers(min_value=1, max_value=24))
def test_add_months_keeps_the_day_number_or_ends_the_month(day: date, months: int):
    end = add_months(day, months)
    assert (end.year * 12 + end.month) - (day.year * 12 + day.month) == months
    if end.day != day.day:
        # Only when the later month is too short (§ 188 Abs. 3 BGB): its last day.
        assert end.day < day.day
        assert (end + timedelta(days=1)).day == 1


@hypothesis_settings(deadline=None)  # the first example builds the holiday lists
@given(day=days)
def test_objection_end_is_the_first_working_day_from_the_month_date(day: date):
    rule = ObjectionPeriod(months=1, end_moves_to_working_day=True)
    end = objection_period_ends(rule, day)
    plain = add_months(day, 1)
    assert is_working_day(end)
    assert end >= plain
    assert all(not is_working_day(plain + timedelta(days=n)) for n in range((end - plain).days))


@hypothesis_settings(deadline=None)  # the first example builds the holiday lists
@given(day=days, n=st.integers(min_value=1, max_value=10))
def test_unmoved_fiction_is_plain_calendar_days(day: date, n: int):
    rule = BekanntgabeRule(days_after_event=n, fiction_moves_to_working_day=False)
    assert fiction_day(rule, day) == day + timedelta(days=n)
    moved = BekanntgabeRule(days_after_event=n, fiction_moves_to_working_day=True)
    assert is_working_day(fiction_day(moved, day))


@hypothesis_settings(deadline=None)  # the first example builds the holiday lists
@given(day=days)
def test_retrieval_period_is_ten_calendar_days(day: date):
    rule = BekanntgabeRule(channel="abruf", days_after_event=1, retrieval_period_days=10)
    assert retrieval_last_day(rule, day) == day + timedelta(days=10)

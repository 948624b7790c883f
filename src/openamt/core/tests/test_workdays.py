"""Working days of Thuringia, each expected date counted by hand in the comment.

Thuringian public holidays used below: 2024: 29.3. Karfreitag, 1.4.
Ostermontag, 20.9. Weltkindertag (Fri), 3.10., 31.10. Reformationstag (Thu),
25./26.12.; 2025: 1.1., 18.4. Karfreitag, 21.4. Ostermontag, 20.9.
Weltkindertag (Sat), 25./26.12.; 2026: 1.1.
"""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from openamt.core.workdays import (
    add_working_days,
    is_public_holiday,
    is_working_day,
    next_working_day,
    working_days_between,
)


def test_weekdays_weekends_and_holidays():
    assert is_working_day(date(2024, 12, 23))  # Monday
    assert is_working_day(date(2024, 12, 24))  # Heiligabend is no public holiday
    assert is_working_day(date(2024, 12, 31))  # nor is Silvester
    assert not is_working_day(date(2024, 12, 25))  # 1. Weihnachtstag
    assert not is_working_day(date(2024, 12, 26))  # 2. Weihnachtstag
    assert not is_working_day(date(2025, 1, 1))
    assert not is_working_day(date(2024, 12, 21))  # Saturday
    assert not is_working_day(date(2024, 12, 22))  # Sunday
    assert is_working_day(date(2025, 1, 6))  # Heilige Drei Könige: not in Thuringia


def test_weltkindertag_is_a_thuringian_holiday_since_2019():
    assert is_working_day(date(2018, 9, 20))  # Thursday, before the law
    assert not is_working_day(date(2019, 9, 20))  # Friday, the first one
    assert not is_working_day(date(2024, 9, 20))  # Friday
    assert is_public_holiday(date(2025, 9, 20))  # a Saturday: a holiday, no working day anyway


def test_reformationstag_and_allerheiligen():
    assert not is_working_day(date(2024, 10, 31))  # Reformationstag, Thursday
    assert is_working_day(date(2024, 11, 1))  # Allerheiligen is not a holiday in Thuringia
    # 30.10. Wed + 1 working day: 31.10. holiday → Fri 1.11.
    assert add_working_days(date(2024, 10, 30), 1) == date(2024, 11, 1)


def test_subdivision_comes_from_the_setting(settings):
    settings.OPENAMT_HOLIDAY_SUBDIVISION = "BY"
    assert is_working_day(date(2024, 9, 20))  # no Weltkindertag in Bavaria
    assert is_working_day(date(2024, 10, 31))  # nor Reformationstag
    assert not is_working_day(date(2024, 11, 1))  # but Allerheiligen
    settings.OPENAMT_HOLIDAY_SUBDIVISION = "XX"
    with pytest.raises(ImproperlyConfigured, match="XX"):
        is_working_day(date(2024, 11, 1))


def test_add_working_days_across_christmas_and_new_year():
    start = date(2024, 12, 20)  # Friday
    # Mon 23 (1), Tue 24 (2), [25, 26 holidays], Fri 27 (3), Mon 30 (4), Tue 31 (5)
    assert add_working_days(start, 5) == date(2024, 12, 31)
    # … [Wed 1.1. holiday], Thu 2.1. (6)
    assert add_working_days(start, 6) == date(2025, 1, 2)
    # Fri 3.1. (7), Mon 6.1. (8)
    assert add_working_days(start, 8) == date(2025, 1, 6)


def test_add_working_days_across_easter():
    start = date(2025, 4, 16)  # Wednesday before Easter
    # Thu 17 (1), [Fri 18 Karfreitag, Sat, Sun, Mon 21 Ostermontag], Tue 22 (2)
    assert add_working_days(start, 1) == date(2025, 4, 17)
    assert add_working_days(start, 2) == date(2025, 4, 22)


def test_start_on_a_holiday_or_weekend_is_not_counted():
    # Received on Christmas Day: Fri 27.12. is the first working day after it.
    assert add_working_days(date(2024, 12, 25), 1) == date(2024, 12, 27)
    # Received on Saturday 3.1.2026: Mon 5.1. (1), Tue 6.1. (2)
    assert add_working_days(date(2026, 1, 3), 2) == date(2026, 1, 6)
    assert add_working_days(date(2026, 1, 3), 0) == date(2026, 1, 3)


def test_counting_back():
    # Three working days before Mon 5.1.2026: Fri 2.1. (1), [Thu 1.1.], Wed 31.12. (2), Tue 30.12. (3)
    assert add_working_days(date(2026, 1, 5), -3) == date(2025, 12, 30)


def test_working_days_between_over_a_year_end():
    # After Fri 20.12.2024 up to Mon 6.1.2025: 23, 24, 27, 30, 31, 2, 3, 6 = 8
    assert working_days_between(date(2024, 12, 20), date(2025, 1, 6)) == 8
    # Back from Mon 6.1.2025 to Fri 20.12.2024 inclusive: 3, 2, 31, 30, 27, 24, 23, 20 = 8
    assert working_days_between(date(2025, 1, 6), date(2024, 12, 20)) == -8
    # Back from New Year's Day to Tue 31.12.: just the 31st
    assert working_days_between(date(2025, 1, 1), date(2024, 12, 31)) == -1
    assert working_days_between(date(2024, 12, 24), date(2024, 12, 26)) == 0
    assert working_days_between(date(2024, 12, 24), date(2024, 12, 24)) == 0


def test_next_working_day():
    assert next_working_day(date(2024, 12, 23)) == date(2024, 12, 23)
    # Sat 28.12.2024 → Mon 30.12.
    assert next_working_day(date(2024, 12, 28)) == date(2024, 12, 30)
    # Good Friday 18.4.2025 → Sat, Sun, Easter Monday → Tue 22.4.
    assert next_working_day(date(2025, 4, 18)) == date(2025, 4, 22)


days = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))


@hypothesis_settings(deadline=None)  # the first example builds the holiday lists
@given(start=days, count=st.integers(min_value=-40, max_value=40))
def test_adding_lands_on_a_working_day_and_counts_back(start: date, count: int):
    end = add_working_days(start, count)
    if count:
        assert is_working_day(end)
        assert working_days_between(start, end) == count


@hypothesis_settings(deadline=None)  # the first example builds the holiday lists
@given(start=days, span=st.integers(min_value=0, max_value=120))
def test_between_and_add_agree(start: date, span: int):
    end = next_working_day(start + timedelta(days=span))
    assert add_working_days(start, working_days_between(start, end)) == end

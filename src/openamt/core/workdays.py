"""Working days of the Land: the calendar that statutory periods are counted in.

A working day (Arbeitstag) is Monday to Friday and not a public holiday of
the Land named by the setting `OPENAMT_HOLIDAY_SUBDIVISION` (default "TH",
Thuringia), as the `holidays` library knows them: in Thuringia New Year,
Good Friday, Easter Monday, 1 May, Ascension, Whit Monday, Weltkindertag
(20 September, since 2019 by the Land's holiday law), 3 October,
Reformationstag (31 October), Christmas Day and Boxing Day. 24 and 31
December are working days. Holidays of single municipalities (Fronleichnam
in parts of the Eichsfeld) are not counted: the Land's law makes them
holidays only there.

This is the same set of days that the "Montagsregel" skips (§ 193 BGB,
§ 222 Abs. 2 ZPO, § 31 Abs. 3 VwVfG: a period ending on a Saturday, Sunday
or public holiday ends on the next Werktag that is not a Saturday).

Counting follows § 187 Abs. 1 BGB: the day of the event that starts a period
(the receipt of an application) is not counted, so `add_working_days(d, 1)`
is the first working day after `d`, never `d` itself.

All functions are pure and read only the setting; the holiday list of a year
is built once per process and subdivision.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_SATURDAY = 5


def holiday_subdivision() -> str:
    """The configured Land (ISO 3166-2 code without "DE-", e.g. "TH")."""
    return str(getattr(settings, "OPENAMT_HOLIDAY_SUBDIVISION", "TH") or "TH")


@lru_cache(maxsize=256)
def _holidays_of(subdivision: str, year: int) -> frozenset[date]:
    try:
        calendar = holidays.country_holidays("DE", subdiv=subdivision, years=year)
    except NotImplementedError as error:
        raise ImproperlyConfigured(
            f"OPENAMT_HOLIDAY_SUBDIVISION={subdivision!r} is not a German Land "
            f"known to the holidays library ({', '.join(holidays.Germany.subdivisions)})."
        ) from error
    return frozenset(calendar.keys())


def public_holidays(year: int, *, subdivision: str | None = None) -> frozenset[date]:
    """The Land's public holidays in `year` (dates, any weekday)."""
    return _holidays_of(subdivision or holiday_subdivision(), year)


def is_public_holiday(day: date, *, subdivision: str | None = None) -> bool:
    return day in public_holidays(day.year, subdivision=subdivision)


def is_working_day(day: date, *, subdivision: str | None = None) -> bool:
    """Monday to Friday and not a public holiday of the Land."""
    return day.weekday() < _SATURDAY and not is_public_holiday(day, subdivision=subdivision)


def next_working_day(day: date, *, subdivision: str | None = None) -> date:
    """`day` itself if it is a working day, else the first working day after it.

    The Montagsregel (§ 193 BGB, § 222 Abs. 2 ZPO, § 31 Abs. 3 Satz 1 VwVfG)
    applied to the last day of a period.
    """
    while not is_working_day(day, subdivision=subdivision):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, count: int, *, subdivision: str | None = None) -> date:
    """The `count`-th working day after `start` (`start` itself not counted).

    A negative `count` counts back: `add_working_days(d, -3)` is the third
    working day before `d`. `count == 0` returns `start` unchanged, working
    day or not. `start` may be any day (an online application can arrive on
    a Sunday; its first working day is then the Monday, or later).
    """
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    day = start
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day, subdivision=subdivision):
            remaining -= 1
    return day


def working_days_between(start: date, end: date, *, subdivision: str | None = None) -> int:
    """How many working days lie after `start` up to and including `end`.

    When `end` is before `start`, minus the working days from `end`
    inclusive to `start` exclusive (counting back from `start`). Either way,
    for a working day `end`:
    `add_working_days(start, working_days_between(start, end)) == end`.
    Used for "noch n Arbeitstage" and "seit n Arbeitstagen überfällig".
    """
    sign = 1
    first, last = start + timedelta(days=1), end
    if end < start:
        sign, first, last = -1, end, start - timedelta(days=1)
    count = 0
    day = first
    while day <= last:
        if is_working_day(day, subdivision=subdivision):
            count += 1
        day += timedelta(days=1)
    return sign * count

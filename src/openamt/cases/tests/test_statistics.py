"""Case statistics over hand-built cases: counts per service and month, and
percentiles computed by hand (percentile_cont: h = (n-1)·p, interpolated)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from openamt.cases.constants import CaseStatus
from openamt.cases.models import Case
from openamt.cases.statistics import MonthRow, case_statistics, statistics_range, statistics_table
from openamt.catalogue.models import Service
from openamt.core.errors import InvalidInput
from openamt.organisations.models import Authority

_numbers = itertools.count(1)


def local(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone())


def make_case(
    authority: Authority,
    service: Service,
    received: datetime.datetime,
    decided: datetime.datetime | None = None,
    status: str | None = None,
    due_on: datetime.date | None = None,
) -> Case:
    number = next(_numbers)
    return Case.objects.create(
        authority=authority,
        reference=f"S-{number:05d}",
        file_number=f"S-{number:05d}",
        service=service,
        applicant_name=f"Antragsteller {number}",
        received_at=received,
        decided_at=decided,
        status=status or (CaseStatus.DECIDED if decided else CaseStatus.IN_PROGRESS),
        due_on=due_on,
    )


def decided_after(authority, service, decided: datetime.datetime, days: float) -> Case:
    return make_case(authority, service, decided - datetime.timedelta(days=days), decided)


@pytest.fixture
def two_services(register) -> tuple[Service, Service]:
    first, second = Service.objects.order_by("name")[:2]
    return first, second


@pytest.fixture
def hand_built(erfurt, lindenberg, two_services):
    """Erfurt, January to March 2026:
    service A: decided 20 Feb after 2, 4, 6, 8 days; decided 20 Mar after 1, 2, 3, 4, 10 days;
    service B: received 1 Mar 00:30 (28 Feb in UTC), decided 12 hours later;
               received in December 2025, decided 30 days later (in January);
               open since 15 Jan and overdue since yesterday; open, due today;
               closed, due yesterday (not overdue: not open).
    Lindenberg: service A, decided 20 Mar after 5 days (only in the Land's figures)."""
    a, b = two_services
    today = timezone.localdate()
    for days in (8, 2, 6, 4):
        decided_after(erfurt, a, local(2026, 2, 20, 12), days)
    for days in (10, 1, 4, 2, 3):
        decided_after(erfurt, a, local(2026, 3, 20, 12), days)
    make_case(erfurt, b, local(2026, 3, 1, 0, 30), local(2026, 3, 1, 12, 30))
    decided_after(erfurt, b, local(2026, 1, 10, 9), 30)
    make_case(erfurt, b, local(2026, 1, 15, 9), due_on=today - datetime.timedelta(days=1))
    make_case(erfurt, b, local(2026, 1, 16, 9), due_on=today)
    make_case(
        erfurt,
        b,
        local(2026, 1, 17, 9),
        status=CaseStatus.CLOSED,
        due_on=today - datetime.timedelta(days=1),
    )
    decided_after(lindenberg, a, local(2026, 3, 20, 12), 5)
    return a, b


def row(service, month, received, decided, median, p90):
    return MonthRow(
        service_id=service.pk if service else None,
        service_name=service.name if service else "Alle Leistungen",
        month=datetime.date(2026, month, 1),
        received=received,
        decided=decided,
        median_days=median,
        p90_days=p90,
    )


def test_an_authority_s_figures_per_service_and_month(
    hand_built, erfurt, django_assert_num_queries
):
    a, b = hand_built
    with django_assert_num_queries(6):
        stats = case_statistics(
            authority_id=erfurt.pk, first=datetime.date(2026, 1, 1), last=datetime.date(2026, 3, 31)
        )
    assert (stats.first_month, stats.last_month) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 3, 1),
    )
    assert stats.rows == [
        # 2,4,6,8: median h=1.5 → 4+0.5·2 = 5; p90 h=2.7 → 6+0.7·2 = 7.4
        row(a, 2, 4, 4, 5.0, 7.4),
        # 1,2,3,4,10: median v[2] = 3; p90 h=3.6 → 4+0.6·6 = 7.6
        row(a, 3, 5, 5, 3.0, 7.6),
        # received in December (outside), decided in January after 30 days;
        # three more received in January, none decided
        row(b, 1, 3, 1, 30.0, 30.0),
        # 00:30 on 1 March in Berlin is 28 February in UTC: a March case
        row(b, 3, 1, 1, 0.5, 0.5),
    ]
    assert stats.totals == [
        row(None, 1, 3, 1, 30.0, 30.0),
        row(None, 2, 4, 4, 5.0, 7.4),
        # 0.5,1,2,3,4,10: median h=2.5 → 2.5; p90 h=4.5 → 4+0.5·6 = 7
        row(None, 3, 6, 6, 2.5, 7.0),
    ]
    assert stats.overdue == [(b.name, 1)]
    assert stats.overdue_total == 1


def test_the_land_s_figures_include_every_authority(hand_built, django_assert_num_queries):
    a, b = hand_built
    stats = case_statistics(
        authority_id=None, first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 1)
    )
    # Erfurt's 1,2,3,4,10 and Lindenberg's 5: median h=2.5 → 3.5; p90 h=4.5 → 5+0.5·5 = 7.5
    # with B's 0.5: 0.5,1,2,3,4,5,10: median v[3] = 3; p90 h=5.4 → 5+0.4·5 = 7
    assert stats.rows == [row(a, 3, 6, 6, 3.5, 7.5), row(b, 3, 1, 1, 0.5, 0.5)]
    assert stats.totals == [row(None, 3, 7, 7, 3.0, 7.0)]


def test_the_range_is_bounded(register):
    today = timezone.localdate()
    first, last = statistics_range()
    assert last == today.replace(day=1)
    assert (last.year * 12 + last.month) - (first.year * 12 + first.month) == 11
    with pytest.raises(InvalidInput) as error:
        statistics_range(first=datetime.date(2020, 1, 1), last=datetime.date(2023, 1, 1))
    assert error.value.field == "von"
    with pytest.raises(InvalidInput):
        statistics_range(first=datetime.date(2026, 3, 1), last=datetime.date(2026, 2, 1))


def test_the_table_as_page_and_csv_show_it(hand_built, erfurt):
    a, b = hand_built
    stats = case_statistics(
        authority_id=erfurt.pk, first=datetime.date(2026, 3, 1), last=datetime.date(2026, 3, 1)
    )
    header, body = statistics_table(stats)
    assert header[0:2] == ["Leistung", "Monat"]
    assert body == [
        [a.name, "03/2026", "5", "5", "3,00", "7,60"],
        [b.name, "03/2026", "1", "1", "0,50", "0,50"],
        ["Alle Leistungen", "03/2026", "6", "6", "2,50", "7,00"],
    ]

"""Statistics of case work, per authority and Land-wide.

Per service and month: how many cases were received, how many decided, and
the median and 90th percentile of the processing time (received_at →
decided_at, in days) of the cases decided that month; plus how many open
cases are overdue today (due_on before today). Everything is aggregated in
the database (GROUP BY, percentile in SQL): the cost grows with the number of
groups, not with the number of cases read into Python.

Percentiles are the continuous (interpolating) percentile of SQL:2003
`percentile_cont`: for n sorted values v[0..n-1] and fraction p, h = (n-1)·p,
value = v[⌊h⌋] + (h-⌊h⌋)·(v[⌊h⌋+1] - v[⌊h⌋]). PostgreSQL computes it itself;
SQLite, which has no ordered-set aggregates, by the same formula over
ROW_NUMBER() and COUNT() windows. Both are rounded to two decimals so that the
two databases report identical figures.

Months are calendar months in the platform's time zone (Europe/Berlin).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    QuerySet,
    Value,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from openamt.cases.constants import OPEN_STATUSES
from openamt.cases.models import Case
from openamt.catalogue.models import Service
from openamt.core.errors import InvalidInput

# A statistics page covers at most three years: the queries stay bounded.
MAX_MONTHS = 36
DEFAULT_MONTHS = 12
PERCENTILES = (0.5, 0.9)


@dataclass(frozen=True)
class MonthRow:
    """One service (None: all services) in one month. Days are processing
    times of the cases decided in that month, None where none was decided."""

    service_id: int | None
    service_name: str
    month: datetime.date  # the first day of the month
    received: int
    decided: int
    median_days: float | None
    p90_days: float | None


@dataclass(frozen=True)
class CaseStatistics:
    """The statistics of one authority (authority_id) or the Land (None)."""

    authority_id: int | None
    first_month: datetime.date
    last_month: datetime.date
    today: datetime.date
    rows: list[MonthRow]  # per service and month, services by name, months ascending
    totals: list[MonthRow]  # all services per month, every month of the range
    overdue: list[tuple[str, int]] = field(default_factory=list)  # (service, open overdue)

    @property
    def overdue_total(self) -> int:
        return sum(count for _, count in self.overdue)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_add(month: datetime.date, months: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """Every first-of-month from `first` to `last`, both included."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [month_add(first, i) for i in range(max(count, 0))]


def statistics_range(
    *, first: datetime.date | None = None, last: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """(first month, last month) of a statistics page: by default the last
    twelve months including the current one. InvalidInput (field "von") if the
    range is reversed or longer than MAX_MONTHS."""
    today = timezone.localdate()
    last_month = month_start(last or today)
    first_month = month_start(first) if first else month_add(last_month, 1 - DEFAULT_MONTHS)
    if first_month > last_month:
        raise InvalidInput("Der Beginn liegt nach dem Ende.", field="von")
    if len(months_between(first_month, last_month)) > MAX_MONTHS:
        raise InvalidInput(f"Höchstens {MAX_MONTHS} Monate auf einmal.", field="von")
    return first_month, last_month


def _bounds(first: datetime.date, last: datetime.date) -> tuple[datetime.datetime, ...]:
    # Local midnight of the first day and of the day after the range.
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(month_add(last, 1), datetime.time.min, tzinfo=zone)
    return start, end


def _scoped(authority_id: int | None) -> QuerySet[Case]:
    cases = Case.objects.all()
    return cases.filter(authority_id=authority_id) if authority_id is not None else cases


def _period(field_name: str) -> Any:
    # year·100 + month in the current time zone: an integer on both databases.
    return ExpressionWrapper(
        ExtractYear(field_name) * Value(100) + ExtractMonth(field_name),
        output_field=IntegerField(),
    )


def _month_of(period: int) -> datetime.date:
    return datetime.date(period // 100, period % 100, 1)


def _received(cases: QuerySet[Case], by_service: bool) -> dict[tuple[int | None, int], int]:
    keys = ["service_id", "period"] if by_service else ["period"]
    rows = cases.annotate(period=_period("received_at")).values(*keys).annotate(n=Count("id"))
    return {(row.get("service_id"), int(row["period"])): row["n"] for row in rows}


def _percentile_sql(inner: str, keys: list[str]) -> str:
    """SQL over `inner` (columns: keys…, span) answering keys…, n, p50, p90.
    Only constants and Django's compiled SQL (its values stay parameters)
    are put together here, never input."""
    group = ", ".join(keys)
    if connection.vendor == "postgresql":
        days = "EXTRACT(EPOCH FROM span)::double precision / 86400.0"
        ordered = ", ".join(
            f"percentile_cont({p}) WITHIN GROUP (ORDER BY {days})" for p in PERCENTILES
        )
        return f"SELECT {group}, COUNT(*), {ordered} FROM ({inner}) AS spans GROUP BY {group}"  # noqa: S608
    # SQLite: Django stores the difference of two datetimes as microseconds.
    partition = f"PARTITION BY {group}"
    ranked = (
        f"SELECT {group}, span / 86400000000.0 AS days, "  # noqa: S608
        f"ROW_NUMBER() OVER ({partition} ORDER BY span) - 1 AS rn, "
        f"COUNT(*) OVER ({partition}) AS n FROM ({inner}) AS spans"
    )
    parts: list[str] = []
    for p in PERCENTILES:
        h = f"((n - 1) * {p})"
        low = f"CAST({h} AS INTEGER)"
        parts.append(
            f"SUM(CASE WHEN rn = {low} THEN days * (1 - ({h} - {low})) "
            f"WHEN rn = {low} + 1 THEN days * ({h} - {low}) ELSE 0 END)"
        )
    selected = ", ".join(parts)
    return f"SELECT {group}, MAX(n), {selected} FROM ({ranked}) AS ranked GROUP BY {group}"  # noqa: S608


def _decided(
    cases: QuerySet[Case], by_service: bool
) -> dict[tuple[int | None, int], tuple[int, float, float]]:
    """(service, period) → (decided, median days, p90 days) of the cases decided then."""
    keys = ["service_id", "period"] if by_service else ["period"]
    inner = (
        cases.annotate(
            period=_period("decided_at"),
            span=ExpressionWrapper(
                F("decided_at") - F("received_at"), output_field=DurationField()
            ),
        )
        .values(*keys, "span")
        .order_by()
    )
    sql, params = inner.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_percentile_sql(sql, keys), params)
        result = cursor.fetchall()
    decided = {}
    for row in result:
        key = (row[0], int(row[1])) if by_service else (None, int(row[0]))
        count, p50, p90 = row[-3:]
        decided[key] = (int(count), round(float(p50), 2), round(float(p90), 2))
    return decided


def _rows(
    received: dict[tuple[int | None, int], int],
    decided: dict[tuple[int | None, int], tuple[int, float, float]],
    names: dict[int, str],
) -> list[MonthRow]:
    rows = []
    for service_id, period in received.keys() | decided.keys():
        count, p50, p90 = decided.get((service_id, period), (0, None, None))
        rows.append(
            MonthRow(
                service_id=service_id,
                service_name=names.get(service_id, "") if service_id else "Alle Leistungen",
                month=_month_of(period),
                received=received.get((service_id, period), 0),
                decided=count,
                median_days=p50,
                p90_days=p90,
            )
        )
    return rows


def case_statistics(
    *,
    authority_id: int | None,
    first: datetime.date | None = None,
    last: datetime.date | None = None,
) -> CaseStatistics:
    """The statistics of one authority's cases (authority_id None: the whole
    Land) from month `first` to month `last` (defaults: statistics_range).
    Six queries whatever the number of cases. InvalidInput for a range longer
    than MAX_MONTHS. Callers check who may see them (the authority's staff,
    the Land's roles): no names of people are in them."""
    first_month, last_month = statistics_range(first=first, last=last)
    start, end = _bounds(first_month, last_month)
    cases = _scoped(authority_id)
    came = cases.filter(received_at__gte=start, received_at__lt=end)
    went = cases.filter(decided_at__gte=start, decided_at__lt=end)
    today = timezone.localdate()
    overdue_rows = (
        cases.filter(status__in=OPEN_STATUSES, due_on__lt=today)
        .values("service_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    overdue_counts = {row["service_id"]: row["n"] for row in overdue_rows}
    received, decided = _received(came, True), _decided(went, True)
    ids = {service_id for service_id, _ in received.keys() | decided.keys()} | overdue_counts.keys()
    names = dict(Service.objects.filter(pk__in=ids).values_list("pk", "name"))
    by_service = _rows(received, decided, names)
    by_service.sort(key=lambda row: (row.service_name, row.service_id or 0, row.month))
    monthly = {row.month: row for row in _rows(_received(came, False), _decided(went, False), {})}
    totals = [
        monthly.get(month) or MonthRow(None, "Alle Leistungen", month, 0, 0, None, None)
        for month in months_between(first_month, last_month)
    ]
    overdue = sorted(
        ((names.get(service_id, ""), count) for service_id, count in overdue_counts.items()),
        key=lambda pair: pair[0],
    )
    return CaseStatistics(
        authority_id=authority_id,
        first_month=first_month,
        last_month=last_month,
        today=today,
        rows=by_service,
        totals=totals,
        overdue=overdue,
    )


def statistics_table(stats: CaseStatistics) -> tuple[list[str], list[list[str]]]:
    """The statistics as one table (header, rows of text), as the page shows
    it and the CSV download carries it: per service and month, then the
    totals per month. Days with a decimal comma."""
    header = [
        "Leistung",
        "Monat",
        "Eingegangen",
        "Entschieden",
        "Median Bearbeitungszeit (Tage)",
        "90. Perzentil Bearbeitungszeit (Tage)",
    ]
    body = [
        [
            row.service_name,
            f"{row.month:%m/%Y}",
            str(row.received),
            str(row.decided),
            _days(row.median_days),
            _days(row.p90_days),
        ]
        for row in [*stats.rows, *stats.totals]
    ]
    return header, body


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")

"""Staff pages: statistics of case work, for one authority (its own staff)
and for the whole Land (the Land's roles), with a CSV download of the table.

The table is the record; the chart beside it is an SVG drawn here on the
server (no script), with a text alternative that points to the table.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from openamt.cases.selectors import case_roles
from openamt.cases.statistics import (
    CaseStatistics,
    case_statistics,
    statistics_range,
    statistics_table,
)
from openamt.core.errors import InvalidInput
from openamt.organisations.constants import LandRoleName
from openamt.organisations.models import Authority
from openamt.organisations.permissions import land_roles

NOT_FOUND = "Diese Seite gibt es nicht oder Sie haben keinen Zugriff."
LAND_READERS = {LandRoleName.LAND_ADMIN, LandRoleName.PROGRAMME_STAFF, LandRoleName.OPERATOR}
# The chart's drawing area in SVG user units.
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM, CHART_LEFT = 720, 260, 20, 40, 48


def _month(value: str) -> datetime.date | None:
    """A month as the form sends it (YYYY-MM), None if absent. InvalidInput if malformed."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise InvalidInput("Bitte geben Sie den Monat als JJJJ-MM an.", field="von") from None


def _statistics(request: HttpRequest, authority_id: int | None) -> tuple[CaseStatistics, str]:
    """The statistics of the requested months, or of the default range with
    the reason the request was refused."""
    try:
        first, last = statistics_range(
            first=_month(request.GET.get("von", "")), last=_month(request.GET.get("bis", ""))
        )
    except InvalidInput as error:
        return case_statistics(authority_id=authority_id), error.message
    return case_statistics(authority_id=authority_id, first=first, last=last), ""


def _chart(stats: CaseStatistics) -> dict[str, Any]:
    """Coordinates of a grouped bar chart of received and decided per month."""
    months = stats.totals
    top = max([1, *(max(row.received, row.decided) for row in months)])
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    slot = (CHART_WIDTH - CHART_LEFT) / max(len(months), 1)
    bar = slot * 0.35
    groups = []
    for index, row in enumerate(months):
        x = CHART_LEFT + index * slot + slot * 0.15
        bars = []
        for offset, value, kind in ((0, row.received, "received"), (bar, row.decided, "decided")):
            height = plot_height * value / top
            bars.append(
                {
                    "kind": kind,
                    "x": round(x + offset, 1),
                    "y": round(CHART_TOP + plot_height - height, 1),
                    "width": round(bar, 1),
                    "height": round(height, 1),
                    "value": value,
                }
            )
        groups.append({"label": f"{row.month:%m/%y}", "label_x": round(x + bar, 1), "bars": bars})
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_TOP + plot_height + 18,
        "top": top,
        "top_y": CHART_TOP,
        "groups": groups,
    }


def _page(
    request: HttpRequest,
    stats: CaseStatistics,
    refusal: str,
    title: str,
    csv_url: str,
    **extra: Any,
) -> HttpResponse:
    header, body = statistics_table(stats)
    query = f"?von={stats.first_month:%Y-%m}&bis={stats.last_month:%Y-%m}"
    return render(
        request,
        "backoffice/statistics.html",
        {
            "stats": stats,
            "title": title,
            "refusal": refusal,
            "header": header,
            "body": body,
            "chart": _chart(stats),
            "csv_url": csv_url + query,
            **extra,
        },
    )


def _csv(stats: CaseStatistics, name: str) -> HttpResponse:
    """The page's table as CSV for spreadsheets: `;` separated, UTF-8 with a
    byte order mark (so that Excel reads the umlauts), German headers."""
    header, body = statistics_table(stats)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    response = HttpResponse(
        ("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    filename = f"{name}-{stats.first_month:%Y-%m}-{stats.last_month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _authority(request: HttpRequest, pk: int) -> Authority:
    """The authority whose staff (admins, caseworkers, auditors) the user is; 404 otherwise."""
    authority = Authority.objects.filter(pk=pk).first()
    if authority is None or not case_roles(user=request.user, authority_id=authority.pk):
        raise Http404(NOT_FOUND)
    return authority


def _require_land(request: HttpRequest) -> None:
    if not land_roles(request.user) & LAND_READERS:
        raise Http404(NOT_FOUND)


@login_required
def authority_statistics(request: HttpRequest, pk: int) -> HttpResponse:
    authority = _authority(request, pk)
    stats, refusal = _statistics(request, authority.pk)
    return _page(
        request,
        stats,
        refusal,
        "Statistik der Vorgänge",
        reverse("backoffice:authority-statistics-csv", kwargs={"pk": authority.pk}),
        authority=authority,
    )


@login_required
def authority_statistics_csv(request: HttpRequest, pk: int) -> HttpResponse:
    authority = _authority(request, pk)
    stats, _ = _statistics(request, authority.pk)
    return _csv(stats, f"statistik-{authority.pk}")


@login_required
def land_statistics(request: HttpRequest) -> HttpResponse:
    _require_land(request)
    stats, refusal = _statistics(request, None)
    return _page(
        request,
        stats,
        refusal,
        "Statistik der Vorgänge im Land",
        reverse("backoffice:land-statistics-csv"),
    )


@login_required
def land_statistics_csv(request: HttpRequest) -> HttpResponse:
    _require_land(request)
    stats, _ = _statistics(request, None)
    return _csv(stats, "statistik-land")

"""Region search: p95 over 1,000 mixed queries, through the API and the selector,
against the raw database query that answers the same question."""

import random

from _django import measure, print_ratios, setup

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from openamt.core.editions import DataFiles  # noqa: E402
from openamt.regions.models import Postcode, Region  # noqa: E402
from openamt.regions.names import place_fold  # noqa: E402
from openamt.regions.selectors import region_search  # noqa: E402
from openamt.testing.data import load_register  # noqa: E402

files = DataFiles.configured()
load_register(files)

rng = random.Random(20251130)
gemeinden = list(Region.objects.active().filter(level="gemeinde").values_list("name", "ags"))
places = list(Postcode.objects.values_list("place_name", "code"))
queries: list[str] = []
for i in range(1000):
    name, ags = rng.choice(gemeinden)
    place, code = rng.choice(places)
    queries.append(
        [
            name.split(",")[0],  # full name
            name[:4],  # prefix while typing
            code,  # PLZ
            place,  # Ortsteil / place name
            ags,  # AGS
        ][i % 5]
    )

RAW_SQL = """
SELECT r.id, r.ars, r.name FROM regions_region r
WHERE r.valid_until IS NULL AND (r.name_folded LIKE %s OR r.id IN
      (SELECT p.region_id FROM regions_postcode p WHERE p.place_folded LIKE %s))
ORDER BY r.name LIMIT 20
"""
RAW_DIGITS_SQL = """
SELECT r.id, r.ars, r.name FROM regions_region r
WHERE r.valid_until IS NULL AND (r.ags = %s OR r.id IN
      (SELECT p.region_id FROM regions_postcode p WHERE p.code = %s))
ORDER BY r.name LIMIT 20
"""


def raw(q: str) -> None:
    with connection.cursor() as cursor:
        if q.isdigit():
            cursor.execute(RAW_DIGITS_SQL, [q, q])
        else:
            like = f"%{place_fold(q)}%"
            cursor.execute(RAW_SQL, [like, like])
        cursor.fetchall()


def raw_with_count(q: str) -> None:
    """The same work as the selector: the first page and the total count."""
    raw(q)
    with connection.cursor() as cursor:
        if q.isdigit():
            sql, params = RAW_DIGITS_SQL, [q, q]
        else:
            sql, params = RAW_SQL, [f"%{place_fold(q)}%"] * 2
        # The SQL is one of the two constants above; only the parameters vary.
        count_sql = f"SELECT COUNT(*) FROM ({sql.replace('LIMIT 20', '')}) AS hits"  # noqa: S608
        cursor.execute(count_sql, params)
        cursor.fetchone()


def selector(q: str) -> None:
    results = region_search(q=q)
    list(results[:20])
    results.count()


client = Client()


def api(q: str) -> None:
    response = client.get("/api/v1/regions", {"q": q, "limit": 20})
    assert response.status_code == 200


timings = {
    "raw SQL (baseline)": measure(raw, queries),
    "raw SQL page + count": measure(raw_with_count, queries),
    "selector": measure(selector, queries),
    "API /api/v1/regions": measure(api, queries),
}
print(
    f"database: {connection.vendor}; {Region.objects.count()} regions, {Postcode.objects.count()} postcode rows; 1000 queries (name, prefix, PLZ, Ortsteil, AGS)"
)
print_ratios(timings)

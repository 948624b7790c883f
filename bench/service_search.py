"""Service search: p95 of everyday queries through the selector and the API,
against the database's bare full-text query of the same words.

Data: the LeiKa/OZG catalogue with the shipped terms and synonyms. Queries:
the everyday queries of the search tests (compounds, verbs, typos), each
asked 10 times. Baseline: one full-text query (FTS5 bm25 on SQLite, ts_rank
on PostgreSQL) for any of the typed words, first 20 ids: what the engine
alone answers, without reading the words, splitting, synonyms or scoring.
`BENCH_POSTGRES=1` measures on a throw-away PostgreSQL database.
"""

import os

from _django import measure, postgres_database, print_ratios, setup

if os.environ.get("BENCH_POSTGRES"):
    postgres_database()
setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from openamt.catalogue import words  # noqa: E402
from openamt.catalogue.models import SearchSynonym, Service, ServiceTerm  # noqa: E402
from openamt.catalogue.selectors import service_search  # noqa: E402
from openamt.catalogue.tests.test_search import EVERYDAY, QUERIES  # noqa: E402
from openamt.core.editions import DataFiles  # noqa: E402
from openamt.testing.data import load_catalogue  # noqa: E402

files = DataFiles.configured()
load_catalogue(files)
queries = [q for q, _key in QUERIES + EVERYDAY] * 10


def raw(q: str) -> None:
    typed = [w for w in words.words_of(q) if w not in words.STOP_WORDS] or ["x"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT id FROM catalogue_service, to_tsquery('german', %s) AS q "
                "WHERE to_tsvector('german', search_document) @@ q "
                "ORDER BY ts_rank(to_tsvector('german', search_document), q) DESC LIMIT 20",
                [" | ".join(f"{w}:*" for w in typed)],
            )
        else:
            cursor.execute(
                "SELECT rowid FROM catalogue_service_fts WHERE catalogue_service_fts MATCH %s "
                "ORDER BY bm25(catalogue_service_fts) LIMIT 20",
                [" OR ".join(f'"{words.stem(w)}"*' for w in typed)],
            )
        cursor.fetchall()


def selector(q: str) -> None:
    results = service_search(q=q)
    list(results[:20])
    results.count()


client = Client()


def api(q: str) -> None:
    response = client.get("/api/v1/services", {"q": q, "limit": 20})
    assert response.status_code == 200


timings = {
    "raw full-text (baseline)": measure(raw, queries),
    "selector (page + count)": measure(selector, queries),
    "API /api/v1/services": measure(api, queries),
}
print(
    f"database: {connection.vendor}; {Service.objects.count()} services, "
    f"{ServiceTerm.objects.count()} terms, {SearchSynonym.objects.count()} synonyms; "
    f"{len(queries)} queries ({len(queries) // 10} distinct everyday queries x 10)"
)
print_ratios(timings)

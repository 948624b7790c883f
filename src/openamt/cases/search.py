"""Full-text search over cases: reference, Aktenzeichen, applicant, service
and answers (`Case.search_document`), with each database's own engine.

SQLite: an FTS5 table (`cases_case_fts`, migration 0002) holds, per case, a
token naming its authority and the Snowball stems of its document; a search
asks for the authority's token and the words together, so the engine never
looks at another authority's cases. The table is kept in step by
`case_search_index`, called by the services that write `search_document`.

PostgreSQL: `to_tsvector('german', search_document)`, kept by the database
in a generated column `search_vector` (migration 0002; not a model field, so
the ORM never reads it) with a GIN index, for words; pg_trgm GIN indexes over the Aktenzeichen (which contains the
reference) and the applicant's name for parts of numbers and names; the
authority's condition is part of the same query.

On both, the typed reference or Aktenzeichen is also compared as a whole
(B-tree indexes), so "2026-000123" always finds exactly its case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from openamt.cases.models import Case
from openamt.catalogue.words import stem, words_of

INSERT = "INSERT INTO cases_case_fts (rowid, authority, body) VALUES (%s, %s, %s)"
MAX_TERMS = 6  # words of a query that count; the rest is ignored
MIN_PREFIX = 3  # shorter words match whole words only
MIN_TRIGRAM = 3  # pg_trgm needs three characters to use its index
_TERM = re.compile(r"\S+")
_PG_WORD = re.compile(r"[^\W_]+")


def authority_token(authority_id: int) -> str:
    # One token per authority in the FTS5 table: "a17" for authority 17.
    return f"a{authority_id}"


def fts_body(document: str) -> str:
    """The stems of a search document, as the FTS5 table stores them."""
    return " ".join(stem(word) for word in words_of(document))


def case_search_index(*, case_ids: Iterable[int]) -> None:
    """Bring the SQLite index of these cases in step with their authority and
    search document (a no-op on PostgreSQL, whose index is an expression over
    the column). Call it in the transaction that writes `search_document`."""
    if connection.vendor != "sqlite":
        return
    ids = list(case_ids)
    if not ids:
        return
    rows = Case.objects.filter(pk__in=ids).values_list("pk", "authority_id", "search_document")
    with connection.cursor() as cursor:
        cursor.executemany("DELETE FROM cases_case_fts WHERE rowid = %s", [(pk,) for pk in ids])
        cursor.executemany(
            INSERT,
            [(pk, authority_token(a), fts_body(doc)) for pk, a, doc in rows],
        )


def case_search_forget(*, case_ids: Iterable[int]) -> None:
    """Drop deleted cases from the SQLite index (their ids are never reused, so
    a forgotten row could not find another case; this keeps the table small)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            "DELETE FROM cases_case_fts WHERE rowid = %s", [(pk,) for pk in case_ids]
        )


def case_search_reindex(*, batch_size: int = 5000) -> int:
    """Rebuild the SQLite index from every case (after a bulk load or a
    restore). Returns the number of cases indexed; 0 on PostgreSQL."""
    if connection.vendor != "sqlite":
        return 0
    count = 0
    rows = Case.objects.order_by("pk").values_list("pk", "authority_id", "search_document")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_case_fts")
        batch: list[tuple[int, str, str]] = []
        for pk, authority_id, document in rows.iterator(batch_size):
            batch.append((pk, authority_token(authority_id), fts_body(document)))
            if len(batch) >= batch_size:
                cursor.executemany(INSERT, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(INSERT, batch)
            count += len(batch)
    return count


def _terms(q: str) -> list[str]:
    return _TERM.findall(q)[:MAX_TERMS]


def _fts5_query(authority_id: int, terms: list[str]) -> str | None:
    """`authority : a17 AND body : "stem"* AND body : "2026 000123"*`: every term must match,
    a term of several words ("2026-000123", "Müller-Lüdenscheid") as a phrase;
    the last word of a term matches as a prefix from MIN_PREFIX letters on.
    Only stems and digits reach the query, so its syntax cannot be broken."""
    parts = []
    for term in terms:
        stems = [stem(word) for word in words_of(term)]
        if not stems:
            continue
        prefix = "*" if len(stems[-1]) >= MIN_PREFIX else ""
        parts.append(f'body : "{" ".join(stems)}"{prefix}')
    if not parts:
        return None
    return f"authority : {authority_token(authority_id)} AND " + " AND ".join(parts)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _postgres_condition(terms: list[str]) -> Q | None:
    """Every term matches the document's words (a phrase for a term of several
    words, a prefix for one word) or, from three characters on, a part of the
    Aktenzeichen or the applicant's name (pg_trgm)."""
    condition = Q()
    for term in terms:
        words = _PG_WORD.findall(term.casefold())
        if not words:
            continue
        if len(words) == 1:
            sql = "cases_case.search_vector @@ to_tsquery('german', %s)"
            params: list[str] = [f"{words[0]}:*" if len(words[0]) >= MIN_PREFIX else words[0]]
        else:
            sql = "cases_case.search_vector @@ phraseto_tsquery('german', %s)"
            params = [term]
        # Fixed SQL; the words travel as parameters.
        term_q = Q(RawSQL(sql, params, output_field=BooleanField()))  # noqa: S611
        if len(term) >= MIN_TRIGRAM:
            # ILIKE, not Django's UPPER(..) LIKE: the trigram indexes serve it.
            term_q |= Q(
                RawSQL(
                    "(cases_case.file_number ILIKE %s OR cases_case.applicant_name ILIKE %s)",
                    [_like(term), _like(term)],
                    output_field=BooleanField(),
                )
            )
        condition &= term_q
    return condition or None


def case_search(cases: QuerySet[Case], *, authority_id: int, q: str) -> QuerySet[Case]:
    """The cases of `cases` (already scoped to the authority `authority_id`,
    and to teams) that match the query: each of its first six terms is found
    in the case's reference, Aktenzeichen, applicant, service or answers;
    or the whole query is the case's reference or Aktenzeichen. An empty
    query returns `cases` unchanged; a query without words finds nothing
    unless it is a reference."""
    text = q.strip()
    if not text:
        return cases
    terms = _terms(text)
    exact = Q(reference=text) | Q(file_number=text)
    if connection.vendor == "postgresql":
        words = _postgres_condition(terms)
    else:
        match = _fts5_query(authority_id, terms)
        words = (
            Q(
                pk__in=RawSQL(
                    "SELECT rowid FROM cases_case_fts WHERE cases_case_fts MATCH %s",
                    [match],
                )
            )
            if match
            else None
        )
    return cases.filter(authority_id=authority_id).filter(exact | words if words else exact)

"""Test helpers around the append-only audit log.

Tests that commit are cleaned up with `flush`, which on SQLite is a DELETE
per table; the audit log's delete trigger refuses that. `allow_flush` lets
exactly the flush statement through by lifting the trigger around it, in
the flush's own transaction. Tests that tamper with the log on purpose lift
the triggers with `audit_guard_lifted` inside their test transaction.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

# Loads .operations too; importing .operations first is a circular import.
import django.db.backends.sqlite3.base  # noqa: F401
from django.db import connection
from django.db.backends.sqlite3.operations import DatabaseOperations

_NO_DELETE = import_module("openamt.core.migrations.0004_audit_no_delete_sqlite")
_APPEND_ONLY = import_module("openamt.core.migrations.0002_audit_append_only")


def allow_flush() -> Callable[[], None]:
    """Let `flush` empty core_auditentry on SQLite; returns the undo."""
    original = DatabaseOperations.sql_flush

    def sql_flush(self: DatabaseOperations, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        sql = original(self, style, tables, **kwargs)
        if "core_auditentry" in set(tables):
            sql = [_NO_DELETE.DROP, *sql, _NO_DELETE.CREATE]
        return sql

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign,assignment]

    def undo() -> None:
        DatabaseOperations.sql_flush = original  # type: ignore[method-assign]

    return undo


@contextmanager
def audit_guard_lifted() -> Iterator[None]:
    """Within a test's transaction: the audit log's triggers are off, to tamper with it."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_no_change")
            yield
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_no_change")
        else:
            for statement in (*_APPEND_ONLY.SQLITE_REVERSE, _NO_DELETE.DROP):
                cursor.execute(statement)
            yield
            for statement in (*_APPEND_ONLY.SQLITE, _NO_DELETE.CREATE):
                cursor.execute(statement)

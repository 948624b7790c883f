"""Transactions that hold under contention: a block retried after a deadlock or
a serialisation failure. (The lock order that avoids most of them is the audit
chain's: `core.audit` runs the deferred foreign-key checks before its lock.)"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import OperationalError, connection, transaction

T = TypeVar("T")

# PostgreSQL SQLSTATEs of a transaction the server aborted only because of others:
# serialization_failure and deadlock_detected. Running it again is safe.
_CONTENTION = {"40001", "40P01"}
ATTEMPTS = 4


def _contention(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in _CONTENTION:
        return True
    # SQLite gives up after its busy timeout with this message.
    return connection.vendor == "sqlite" and "database is locked" in str(error)


def atomic_retried(work: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """`work()` in a transaction; if the database aborts it because of another
    transaction (deadlock, serialisation failure, SQLite busy), it runs again
    after a short random pause (10–50 ms, doubling), up to `attempts` times in
    all; then the last error is raised. Inside an outer transaction nothing can
    be retried here, so `work()` runs once in a savepoint.

    `work` must be safe to run again: everything it wrote to the database was
    rolled back; what it did elsewhere (files stored by hash) is idempotent."""
    for attempt in range(1, attempts + 1):
        try:
            with transaction.atomic():
                return work()
        except OperationalError as error:
            if connection.in_atomic_block or attempt == attempts or not _contention(error):
                raise
            time.sleep(random.uniform(0.01, 0.05) * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover

"""Running one piece of code in many threads at once, each with its own
database connection, for tests of what parallel requests do."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def run_at_once(count: int, work: Callable[[int], T], *, timeout: float = 120) -> list[T]:
    """`work(0)` … `work(count - 1)`, each in its own thread, released together by
    a barrier; their results in that order. Each thread uses (and closes) its own
    database connections, as parallel requests in separate processes would.
    Raises the first exception a thread raised, after all have finished."""
    barrier = threading.Barrier(count)
    results: list[T | None] = [None] * count
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout)
            results[index] = work(index)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    if errors:
        raise errors[0]
    return results  # type: ignore[return-value]

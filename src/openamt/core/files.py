"""Stored files and the rows that name them.

A file is written to storage before the transaction that records its row
commits; if that transaction rolls back (a refused application, a conflict),
the row is gone but the file would stay. Django offers `on_commit` but no
hook for a rollback, so the code that owns the transaction says where a
refusal may happen: what was noted with `undo_on_failure` inside
`files_removed_on_failure` is undone when the block raises. What still slips
through (a crashed process) is found by the periodic sweep of unreferenced
files (`submissions.retention.purge_expired`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar

logger = logging.getLogger(__name__)
_undo: ContextVar[list[Callable[[], None]] | None] = ContextVar("undo", default=None)


def undo_on_failure(action: Callable[[], None]) -> None:
    """Note how to remove a file just written for a row not committed yet."""
    actions = _undo.get()
    if actions is not None:
        actions.append(action)


@contextlib.contextmanager
def files_removed_on_failure() -> Iterator[None]:
    """Run what `undo_on_failure` noted inside the block if the block raises;
    the exception is raised on. Wrap it around the transaction whose rows name
    the files, so that a raise here means those rows are gone."""
    outer = _undo.get()
    actions: list[Callable[[], None]] = []
    token = _undo.set(actions)
    try:
        yield
    except BaseException:
        for action in actions:
            try:
                action()
            except Exception:  # the sweep removes it later; the refusal stands
                logger.warning("file left after a refusal", exc_info=True)
        raise
    else:
        if outer is not None:  # an enclosing block may still fail
            outer.extend(actions)
    finally:
        _undo.reset(token)

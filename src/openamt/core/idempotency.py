"""Idempotency keys on externally triggered writes (API submissions, Postfach
deliveries): a repeated request with the same key gets what the first one
created; the same key with other content is a conflict (409). The content is
compared by a digest stored with the row, on every path: before writing, and
after a parallel request with the same key won the race (unique-key error)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.db import IntegrityError

from openamt.core.db import atomic_retried
from openamt.core.errors import Conflict


class Keyed(Protocol):
    request_digest: str


R = TypeVar("R", bound=Keyed)


def request_digest(content: Any) -> str:
    """SHA-256 (64 hex digits) of the content as canonical JSON: keys sorted,
    non-JSON values (UUIDs, dates) as their string. Files go in as their SHA-256."""
    canonical = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replayed(earlier: R, digest: str, conflict: str) -> R:
    # Rows stored before digests were kept have none: they cannot be compared.
    if earlier.request_digest and earlier.request_digest != digest:
        raise Conflict(conflict)
    return earlier


def idempotent_create(
    *,
    find: Callable[[], R | None],
    create: Callable[[], R],
    digest: str,
    conflict: str,
) -> tuple[R, bool]:
    """(row, created): the row `find()` returns for the key if there is one, else
    the one `create()` stores (in a transaction, retried on deadlock), storing
    `digest` with it. Raises Conflict (409, message `conflict`) if the row found
    carries another digest, also when a parallel request with the same key
    stored it first (`create()` then fails on the key's unique constraint)."""
    earlier = find()
    if earlier is not None:
        return _replayed(earlier, digest, conflict), False
    try:
        return atomic_retried(create), True
    except IntegrityError:
        earlier = find()
        if earlier is None:  # another constraint: not about the key
            raise
        return _replayed(earlier, digest, conflict), False

"""Transactions retried after contention, and request digests."""

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connection, transaction

from openamt.core.db import atomic_retried
from openamt.core.idempotency import request_digest


class _Deadlock(Exception):
    sqlstate = "40P01"


def _aborted(sqlstate_error: Exception) -> OperationalError:
    error = OperationalError("aborted")
    error.__cause__ = sqlstate_error
    return error


@pytest.mark.transactional
def test_a_deadlocked_transaction_runs_again_and_its_first_writes_are_gone(transactional_db):
    calls = []

    def work() -> int:
        calls.append(1)
        Group.objects.create(name=f"probe-{len(calls)}")
        if len(calls) < 3:
            raise _aborted(_Deadlock())
        return len(calls)

    assert atomic_retried(work) == 3
    assert list(Group.objects.values_list("name", flat=True)) == ["probe-3"]


@pytest.mark.transactional
def test_other_errors_and_the_last_attempt_are_raised_not_retried(transactional_db):
    calls = []

    def broken() -> None:
        calls.append(1)
        raise _aborted(ValueError("syntax"))

    with pytest.raises(OperationalError):
        atomic_retried(broken)
    assert len(calls) == 1

    def always() -> None:
        calls.append(1)
        raise _aborted(_Deadlock())

    calls.clear()
    with pytest.raises(OperationalError):
        atomic_retried(always, attempts=2)
    assert len(calls) == 2


def test_inside_an_outer_transaction_nothing_is_retried(db):
    calls = []

    def always() -> None:
        calls.append(1)
        raise _aborted(_Deadlock())

    with transaction.atomic(), pytest.raises(OperationalError):
        atomic_retried(always)
    assert len(calls) == 1
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_request_digest_does_not_depend_on_key_order():
    assert request_digest({"a": 1, "b": [1, "ü"]}) == request_digest({"b": [1, "ü"], "a": 1})
    assert request_digest({"a": 1}) != request_digest({"a": 2})
    assert len(request_digest({})) == 64

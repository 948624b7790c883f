"""Background tasks that must run only for data that was committed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """Enqueue `task` for the current transaction's data. The database backend
    stores the task in that very transaction: it exists exactly when the data
    does, and commit costs no second round trip. Other backends (RQ, the tests'
    immediate one) are told after the commit, when the worker can see the data."""
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(**kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(**kwargs))

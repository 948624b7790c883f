"""A task enqueued for a transaction's data exists exactly when the data does."""

import pytest
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from openamt.core.tasks import enqueue_on_commit
from openamt.submissions.tasks import deliver_submission

DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


class Stop(Exception):
    pass


@pytest.mark.django_db
@override_settings(TASKS=DATABASE)
def test_the_database_backend_stores_the_task_in_the_same_transaction():
    with transaction.atomic():
        enqueue_on_commit(deliver_submission, submission_id=7)
        # Already written, before the commit: it commits or rolls back with the data.
        assert DBTaskResult.objects.count() == 1
    stored = DBTaskResult.objects.get()
    assert (stored.task_path, stored.args_kwargs) == (
        "openamt.submissions.tasks.deliver_submission",
        {"args": [], "kwargs": {"submission_id": 7}},
    )


@pytest.mark.django_db
@override_settings(TASKS=DATABASE)
def test_a_rolled_back_transaction_leaves_no_task():
    @transaction.atomic
    def accept_then_fail() -> None:
        enqueue_on_commit(deliver_submission, submission_id=7)
        raise Stop

    with pytest.raises(Stop):
        accept_then_fail()
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_other_backends_are_told_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        enqueue_on_commit(deliver_submission, submission_id=7)
    assert len(callbacks) == 1
    assert DBTaskResult.objects.count() == 0

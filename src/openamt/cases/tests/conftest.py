import pytest

from openamt.cases.models import Case
from openamt.core.outbox import outbox_run_due
from openamt.submissions.services import draft_start, submission_create
from openamt.submissions.tests.conftest import dog_form, moxa  # noqa: F401  (fixtures)
from openamt.submissions.tests.test_submissions import answered


@pytest.fixture
def fresh_case(dog_form, moxa, fresh_storage) -> Case:  # noqa: F811
    """The case of a dog tax application from Moxa, delivered into the Eingang
    of the authority responsible there."""
    draft = draft_start(user=None, version=dog_form, place=moxa)
    submission = submission_create(draft=answered(draft))
    outbox_run_due()
    return Case.objects.get(submission=submission)

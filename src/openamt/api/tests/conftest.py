# The API test runs operations of every app: their fixtures are shared here.
from openamt.submissions.tests.conftest import dog_form, moxa  # noqa: F401

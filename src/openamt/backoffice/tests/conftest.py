"""Fixtures of the case page tests: an auditor and a paper case in Erfurt."""

import pytest

from openamt.accounts.models import User
from openamt.backoffice.tests.test_case_page import DOG_TAX, _staff
from openamt.cases.models import Case
from openamt.cases.services import case_open
from openamt.catalogue.models import Service
from openamt.organisations.constants import AuthorityRoleName


@pytest.fixture
def erfurt_auditor(erfurt) -> User:
    return _staff("erfurt.pruefung", erfurt, AuthorityRoleName.READ_ONLY)


@pytest.fixture
def erfurt_case(erfurt, erfurt_admin, fresh_storage) -> Case:
    """A paper application in Erfurt with one scan, opened by the administrator."""
    return case_open(
        actor=erfurt_admin,
        authority=erfurt,
        service=Service.objects.get(leika_key=DOG_TAX),
        channel="papier",
        applicant_name="Erika Mustermann",
        applicant_address={"street": "Fischmarkt 1", "postcode": "99084", "city": "Erfurt"},
    )

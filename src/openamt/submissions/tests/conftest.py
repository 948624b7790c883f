import pytest

from openamt.catalogue.models import Service
from openamt.forms.services import draft_save, form_create, version_publish
from openamt.forms.tests.test_definition import DOG
from openamt.regions.models import Region


@pytest.fixture
def dog_form(register):
    form = form_create(
        actor=None,
        key="hundesteuer",
        service=Service.objects.get(leika_key="99102013000000"),
        title="Hundesteuer",
    )
    return version_publish(actor=None, version=draft_save(actor=None, form=form, definition=DOG))


@pytest.fixture
def moxa() -> Region:
    return Region.objects.active().get(level="gemeinde", name="Moxa")

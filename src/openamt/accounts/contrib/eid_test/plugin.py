"""TEST ONLY: a simulation of the eID card flow (Online-Ausweisfunktion) that
reaches the level "hoch" without a card. Production settings refuse to start
with it enabled (OPENAMT_TEST_EID)."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.identity import identity_providers

TEST_PIN = "123456"
# The data of the specimen identity card the Bundesdruckerei publishes.
SPECIMEN = {
    "given_name": "Erika",
    "family_name": "Mustermann",
    "birth_date": "1964-08-12",
    "street": "Heidestraße 17",
    "postcode": "51147",
    "city": "Köln",
}


@identity_providers.register("eid-test")
class TestEid:
    label: str = "Online-Ausweis (Testverfahren)"
    hint: str = "Simulation der Online-Ausweisfunktion – nur für Test und Entwicklung"
    level: str = AssuranceLevel.HIGH

    def enabled(self) -> bool:
        return bool(settings.OPENAMT_TEST_EID)

    def start_url(self, *, next_url: str) -> str:
        return f"{reverse('accounts:eid-test')}?{urlencode({'next': next_url})}"

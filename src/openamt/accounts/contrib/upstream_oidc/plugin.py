"""Login through an upstream OpenID provider (BundID, a Länder-Servicekonto, a
Keycloak). The level comes from the `acr` in the provider's signed ID token,
never from anything the browser sends."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from openamt.accounts.constants import ACR_LEVELS as ACR_URIS
from openamt.accounts.constants import AssuranceLevel
from openamt.accounts.identity import identity_providers

PROVIDER_ID = "oidc-extern"

# acr values in use: eIDAS LoA URIs, STORK-QAA levels as BundID sends them,
# and the plain German words some Länder-Servicekonten send.
ACR_LEVELS = {**ACR_URIS, **{level: level for level in AssuranceLevel.values}}


@identity_providers.register(PROVIDER_ID)
class UpstreamOidc:
    hint: str = "Anmeldung über ein anderes Nutzerkonto des Bundes oder eines Landes"

    @property
    def label(self) -> str:
        return str(settings.OPENAMT_UPSTREAM_OIDC["label"])

    @property
    def level(self) -> str:
        return str(settings.OPENAMT_UPSTREAM_OIDC["max_level"])

    def enabled(self) -> bool:
        return bool(settings.OPENAMT_UPSTREAM_OIDC["server_metadata_url"])

    def start_url(self, *, next_url: str) -> str:
        return f"{reverse('accounts:upstream-start')}?{urlencode({'next': next_url})}"

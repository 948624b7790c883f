"""Reading the Servicekonto's registered API clients."""

from __future__ import annotations

from oauth2_provider.models import Application

from openamt.oidc.models import ClientSettings


def client_settings(application: Application) -> ClientSettings | None:
    """What the Land registered for this client, or None. Loaded together with
    a bearer token (see `Validator._load_access_token`), so this costs no query."""
    return getattr(application, "openamt", None)

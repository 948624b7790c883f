"""API clients for tests: a registered client and an access token it holds."""

from datetime import timedelta

from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from openamt.oidc.models import ClientSettings
from openamt.organisations.models import Authority


def api_client_token(
    *,
    name: str,
    scope: str,
    token: str,
    may_submit: bool = False,
    authority: Authority | None = None,
) -> str:
    """A confidential client-credentials client with the Land's registration
    (`may_submit`, `authority`) and a valid access token with `scope` whose
    value is `token`: fixed, so that tests generated before any fixture runs
    (schemathesis' explicit examples) can carry it."""
    application = Application.objects.create(
        name=name,
        client_id=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    ClientSettings.objects.create(
        application=application, may_submit=may_submit, authority=authority
    )
    AccessToken.objects.create(
        application=application,
        token=token,
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
    )
    return token

"""Login through an upstream OpenID provider. The platform's own provider plays
BundID here, on a live server, so that Authlib talks real HTTP to a real provider."""

import re

import pytest
import requests
from oauth2_provider.models import Application

from openamt.accounts.contrib.upstream_oidc import views as upstream_views
from openamt.accounts.contrib.upstream_oidc.plugin import ACR_LEVELS
from openamt.accounts.models import (
    Account,
    AccountSession,
    ExternalIdentity,
    ProfileAttribute,
    User,
)
from openamt.oidc.models import ClientSettings

SECRET = "upstream-geheimnis-0123456789"
PASSWORD = "Ein-gutes-Testpasswort-42"


@pytest.fixture
def upstream(live_server, transactional_db, settings):
    user = User.objects.create_user(
        username="erika@example.org", email="erika@example.org", password=PASSWORD
    )
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    app = Application.objects.create(
        name="Servicekonto (als Anmeldedienst)",
        client_id="upstream-client",
        client_secret=SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{live_server.url}/konto/anmelden/extern/antwort/",
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    ClientSettings.objects.create(application=app)
    settings.OPENAMT_UPSTREAM_OIDC = {
        "label": "BundID (Test)",
        "server_metadata_url": f"{live_server.url}/oidc/.well-known/openid-configuration",
        "client_id": "upstream-client",
        "client_secret": SECRET,
        "max_level": "hoch",
    }
    upstream_views._oauth = None
    yield user
    upstream_views._oauth = None


def _post_form(browser: requests.Session, url: str, data: dict) -> requests.Response:
    page = browser.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return browser.post(url, data={**data, "csrfmiddlewaretoken": token}, headers={"Referer": url})


def test_an_upstream_login_at_hoch_links_the_account_and_sets_the_level(live_server, upstream):
    browser = requests.Session()
    # At the "upstream" the person proves their identity with the eID card (simulated).
    _post_form(
        browser,
        f"{live_server.url}/konto/anmelden/eid-test/",
        {"email": "erika@example.org", "pin": "123456"},
    )
    login_page = browser.get(f"{live_server.url}/konto/anmelden/", params={"niveau": "hoch"}).text
    assert "BundID (Test)" in login_page
    done = browser.get(f"{live_server.url}/konto/anmelden/extern/", params={"next": "/konto/"})
    assert done.url == f"{live_server.url}/konto/"
    assert ">hoch<" in done.text
    link = ExternalIdentity.objects.get()
    assert (link.user, link.provider, link.subject) == (upstream, "oidc-extern", str(upstream.pk))
    assert AccountSession.objects.filter(
        user=upstream, method="oidc-extern", assurance_level="hoch"
    ).exists()
    family = ProfileAttribute.objects.get(user=upstream, name="family_name")
    assert (family.source, family.assurance_level) == ("oidc-extern", "hoch")


def test_an_upstream_login_below_the_required_level_is_refused(live_server, upstream):
    browser = requests.Session()
    _post_form(
        browser,
        f"{live_server.url}/konto/anmelden/",
        {"email": "erika@example.org", "password": PASSWORD},
    )
    refused = browser.get(
        f"{live_server.url}/konto/anmelden/extern/",
        params={"next": "/konto/", "niveau": "substanziell"},
    )
    assert refused.status_code == 400
    assert "erreicht das Vertrauensniveau „niedrig“, verlangt ist „substanziell“" in refused.text
    assert not ExternalIdentity.objects.exists()


def test_acr_values_of_bundid_and_eidas_map_to_levels():
    assert ACR_LEVELS["STORK-QAA-Level-1"] == "niedrig"
    assert ACR_LEVELS["STORK-QAA-Level-3"] == "substanziell"
    assert ACR_LEVELS["http://eidas.europa.eu/LoA/high"] == "hoch"
    assert "STORK-QAA-Level-5" not in ACR_LEVELS


class _Upstream:
    """An upstream provider that has just confirmed a person (the signed ID
    token's claims, as Authlib returns them after checking it)."""

    def __init__(self, claims: dict) -> None:
        self.claims = claims

    def authorize_access_token(self, request):
        return {"userinfo": self.claims}


def test_an_upstream_login_of_a_new_person_opens_an_account_with_its_postfach(db, monkeypatch):
    from django.test import Client

    from openamt.mailbox.models import Mailbox

    claims = {
        "sub": "bundid-4711",
        "acr": "STORK-QAA-Level-4",
        "email": "Neu.Person@Example.org",
        "email_verified": True,
        "given_name": "Nora",
        "family_name": "Neu",
    }
    monkeypatch.setattr(upstream_views, "_client", lambda: _Upstream(claims))
    done = Client().get("/konto/anmelden/extern/antwort/")
    assert done["Location"] == "/konto/"
    user = User.objects.get(username="neu.person@example.org")
    assert user.is_active
    assert not user.has_usable_password()
    assert user.account.email_verified_at is not None
    assert Mailbox.objects.filter(account=user.account).count() == 1
    link = ExternalIdentity.objects.get()
    assert (link.user, link.subject) == (user, "bundid-4711")
    assert AccountSession.objects.filter(user=user, assurance_level="hoch").count() == 1


def test_an_upstream_login_without_a_confirmed_address_names_the_account_by_its_subject(
    db, monkeypatch
):
    from django.test import Client

    from openamt.mailbox.models import Mailbox

    claims = {"sub": "kc-1", "acr": "http://eidas.europa.eu/LoA/substantial", "email": "x@y.de"}
    monkeypatch.setattr(upstream_views, "_client", lambda: _Upstream(claims))
    Client().get("/konto/anmelden/extern/antwort/")
    user = User.objects.get(username="oidc-extern:kc-1")
    assert (user.email, user.account.email_verified_at) == ("", None)
    assert Mailbox.objects.filter(account=user.account).count() == 1

from django.test import Client
from oauth2_provider.models import Application

from openamt.core.models import AuditEntry
from openamt.oidc.models import ClientSettings

URL = "/verwaltung/zugaenge/"


def test_land_admin_registers_a_delivery_client_that_can_deliver(client_as, land_admin, erfurt):
    response = client_as(land_admin).post(
        URL,
        {
            "name": "Fachverfahren Hundesteuer",
            "kind": "zustellung",
            "required_level": "niedrig",
            "authority": erfurt.pk,
        },
    )
    app, secret = response.context["created"]
    assert ClientSettings.objects.get(application=app).authority == erfurt
    assert app.client_secret != secret  # only a hash is stored
    token = Client().post(
        "/oidc/token/",
        {
            "grant_type": "client_credentials",
            "scope": "postfach:zustellen",
            "client_id": app.client_id,
            "client_secret": secret,
        },
    )
    assert token.status_code == 200
    assert AuditEntry.objects.filter(action="client.register", authority_id=erfurt.pk).count() == 1


def test_a_login_client_needs_https_redirects_and_a_delivery_client_an_authority(
    client_as, land_admin
):
    client = client_as(land_admin)
    no_redirect = client.post(
        URL, {"name": "Wohngeld online", "kind": "anmeldung", "required_level": "substanziell"}
    )
    assert no_redirect.context["form"].errors["redirect_uris"] == [
        "Bitte mindestens eine Rücksprungadresse angeben."
    ]
    fragment = client.post(
        URL,
        {
            "name": "Wohngeld online",
            "kind": "anmeldung",
            "required_level": "substanziell",
            "redirect_uris": "https://w.example/cb#x",
        },
    )
    assert (
        "keine zulässige Rücksprungadresse" in fragment.context["form"].errors["redirect_uris"][0]
    )
    no_authority = client.post(
        URL, {"name": "Zustellung", "kind": "zustellung", "required_level": "niedrig"}
    )
    assert no_authority.context["form"].errors["authority"][0].startswith("Ein Zustelldienst")
    assert not Application.objects.exists()
    ok = client.post(
        URL,
        {
            "name": "Wohngeld online",
            "kind": "anmeldung",
            "required_level": "substanziell",
            "redirect_uris": "https://wohngeld.example/cb",
        },
    )
    app = ok.context["created"][0]
    assert (
        app.authorization_grant_type,
        ClientSettings.objects.get(application=app).required_level,
    ) == (
        "authorization-code",
        "substanziell",
    )


def test_only_the_land_registers_clients(client_as, erfurt_admin, operator):
    data = {"name": "Heimlich", "kind": "zustellung", "required_level": "niedrig"}
    assert client_as(erfurt_admin).get(URL).status_code == 404
    assert client_as(erfurt_admin).post(URL, data).status_code == 404
    betrieb = client_as(operator)
    assert "Zugang registrieren" not in betrieb.get(URL).content.decode()
    assert betrieb.post(URL, data).status_code == 404
    assert not Application.objects.exists()


def test_land_admin_registers_a_portal_that_may_submit(client_as, land_admin):
    response = client_as(land_admin).post(
        URL, {"name": "Bürgerportal Saale-Orla", "kind": "einreichung", "required_level": "niedrig"}
    )
    app = response.context["created"][0]
    settings = ClientSettings.objects.get(application=app)
    assert (settings.may_submit, settings.authority, app.authorization_grant_type) == (
        True,
        None,
        "client-credentials",
    )


def test_land_admin_registers_a_resource_server_and_post_logout_addresses(client_as, land_admin):
    client = client_as(land_admin)
    server = client.post(
        URL,
        {"name": "Fachverfahren Wohngeld", "kind": "ressourcenserver", "required_level": "niedrig"},
    ).context["created"][0]
    assert ClientSettings.objects.get(application=server).may_introspect is True
    login = client.post(
        URL,
        {
            "name": "Wohngeld online",
            "kind": "anmeldung",
            "required_level": "niedrig",
            "redirect_uris": "https://wohngeld.example/cb",
            "post_logout_redirect_uris": "https://wohngeld.example/abgemeldet",
        },
    )
    app = login.context["created"][0]
    assert app.post_logout_redirect_uris == "https://wohngeld.example/abgemeldet"
    assert ClientSettings.objects.get(application=app).may_introspect is False
    page = client.get(URL).content.decode()
    assert "Ressourcenserver" in page
    bad = client.post(
        URL,
        {
            "name": "Parken online",
            "kind": "anmeldung",
            "required_level": "niedrig",
            "redirect_uris": "https://parken.example/cb",
            "post_logout_redirect_uris": "ftp://parken.example/",
        },
    )
    assert "keine zulässige" in bad.context["form"].errors["post_logout_redirect_uris"][0]
    assert not Application.objects.filter(name="Parken online").exists()

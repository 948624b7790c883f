"""Delivery endpoints: set up by the authority's admins in a form the target
plugin's options describe, secrets sealed at rest and never shown again,
nothing saved on bad input, no secret in the audit log."""

import json

from django.db import connection
from joserfc.jwk import RSAKey

from openamt.core.models import AuditEntry
from openamt.submissions.models import DeliveryEndpoint

URL = "/verwaltung/behoerden/{pk}/zustellpunkte/"
SECRET = "zp-geheimnis-das-niemand-sehen-soll"
KEY = RSAKey.generate_key(2048)


def _fit_connect(**changes) -> dict:
    return {
        "aktion": "speichern",
        "zustellweg": "fit-connect",
        "url": "https://fachverfahren.erfurt.example/submissions",
        "token_url": "https://fachverfahren.erfurt.example/token",
        "client_id": "erfurt-hundesteuer",
        "client_secret": SECRET,
        "public_key": json.dumps(KEY.as_dict(private=False)),
        **changes,
    }


def test_the_form_of_a_target_is_built_from_its_options(client_as, erfurt_admin, erfurt):
    page = client_as(erfurt_admin).get(URL.format(pk=erfurt.pk), {"zustellweg": "fit-connect"})
    html = page.content.decode()
    for label in ("Adresse des Zustellpunkts", "Token-Adresse", "Client-ID", "Client-Geheimnis"):
        assert f"{label} <span" in html or f">{label}<" in html
    assert 'name="client_secret"' in html
    assert 'type="password"' in html
    # The platform's own inbox needs no set-up and is not offered.
    assert 'value="eingang"' not in html
    assert 'value="webhook"' in html
    assert 'value="email"' in html


def test_an_admin_sets_up_a_zustellpunkt_whose_secret_is_sealed(client_as, erfurt_admin, erfurt):
    client = client_as(erfurt_admin)
    url = URL.format(pk=erfurt.pk)
    private = client.post(url, _fit_connect(public_key=json.dumps(KEY.as_dict(private=True))))
    assert private.status_code == 422
    assert (
        "Bitte nur den öffentlichen Schlüssel angeben, nie den privaten."
        in private.content.decode()
    )
    missing = client.post(url, _fit_connect(client_id=""))
    assert missing.status_code == 422
    assert "Bitte geben Sie „Client-ID“ an." in missing.content.decode()
    assert not DeliveryEndpoint.objects.exists()
    assert client.post(url, _fit_connect())["Location"] == url
    endpoint = DeliveryEndpoint.objects.get()
    assert (endpoint.plugin, endpoint.secret_values()) == ("fit-connect", {"client_secret": SECRET})
    assert endpoint.options["client_id"] == "erfurt-hundesteuer"
    assert "client_secret" not in endpoint.options
    with connection.cursor() as cursor:
        cursor.execute("SELECT secrets FROM submissions_deliveryendpoint")
        (stored,) = cursor.fetchone()
    assert SECRET not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    page = client.get(url, {"zustellweg": "fit-connect"}).content.decode()
    assert "hinterlegt" in page
    assert "erfurt-hundesteuer" in page  # public options are shown again for changing
    assert SECRET not in page
    client.post(url, _fit_connect(client_secret="", client_id="neu"))  # empty keeps the secret
    endpoint.refresh_from_db()
    assert (endpoint.options["client_id"], endpoint.secret_values()) == (
        "neu",
        {"client_secret": SECRET},
    )
    assert SECRET not in str(list(AuditEntry.objects.values_list("changes", flat=True)))
    short = client.post(
        url,
        {
            "aktion": "speichern",
            "zustellweg": "webhook",
            "url": "https://x.example/h",
            "secret": "kurz",
        },
    )
    assert "„Webhook-Geheimnis“ hat mindestens 32 Zeichen." in short.content.decode()
    assert DeliveryEndpoint.objects.count() == 1
    client.post(url, {"aktion": "loeschen:fit-connect"})
    assert not DeliveryEndpoint.objects.exists()


def test_caseworkers_do_not_set_up_endpoints(client_as, erfurt_caseworker, erfurt):
    response = client_as(erfurt_caseworker).post(URL.format(pk=erfurt.pk), _fit_connect())
    assert response.status_code == 403
    assert not DeliveryEndpoint.objects.exists()

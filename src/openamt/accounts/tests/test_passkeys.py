import json

from django.test import Client

from openamt.accounts.models import Account, Passkey, SecurityEvent, User

PASSWORD = "Ein-gutes-Testpasswort-42"


def _holder(email: str) -> User:
    user = User.objects.create_user(username=email, email=email, password=PASSWORD)
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    return user


def _login(user: User) -> Client:
    client = Client()
    client.post("/konto/anmelden/", {"email": user.email, "password": PASSWORD})
    return client


def test_a_forged_registration_is_refused_and_nothing_is_stored(db):
    client = _login(_holder("a@example.org"))
    options = json.loads(client.post("/konto/passkeys/optionen/").content)
    assert options["rp"]["id"] == "testserver"
    forged = {
        "id": "AAAA",
        "rawId": "AAAA",
        "type": "public-key",
        "response": {"clientDataJSON": "e30", "attestationObject": "oA"},
    }
    response = client.post(
        "/konto/passkeys/hinzufuegen/",
        {"credential": forged, "name": "x"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("Der Passkey wurde nicht angenommen")
    replay = client.post(
        "/konto/passkeys/hinzufuegen/", {"credential": forged}, content_type="application/json"
    )
    assert (
        replay.json()["error"] == "Die Anfrage ist abgelaufen. Bitte versuchen Sie es noch einmal."
    )
    assert not Passkey.objects.exists()


def test_a_wrong_passkey_assertion_does_not_log_in(db):
    user = _holder("b@example.org")
    Passkey.objects.create(
        user=user, credential_id=b"\x01\x02\x03", public_key=b"\x00", name="Telefon"
    )
    client = Client()
    response = client.post("/konto/anmelden/", {"email": user.email, "password": PASSWORD})
    assert response["Location"] == "/konto/anmelden/zweiter-faktor/"
    page = client.get("/konto/anmelden/zweiter-faktor/").content.decode()
    assert "Mit Passkey bestätigen" in page
    assert 'name="code"' not in page  # no app set up: no code field
    client.post("/konto/anmelden/passkey/optionen/")
    wrong = client.post(
        "/konto/anmelden/passkey/",
        {"rawId": "AQID", "id": "AQID", "response": {}},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert client.get("/konto/")["Location"].startswith("/konto/anmelden/")
    assert SecurityEvent.objects.filter(user=user, kind="login_failed").count() == 1


def test_one_holder_cannot_remove_anothers_passkey(db):
    owner, other = _holder("c@example.org"), _holder("d@example.org")
    passkey = Passkey.objects.create(
        user=owner, credential_id=b"\x09", public_key=b"\x00", name="Schlüssel"
    )
    _login(other).post(f"/konto/passkeys/{passkey.pk}/entfernen/")
    assert Passkey.objects.filter(pk=passkey.pk).exists()
    assert "Schlüssel" not in _login(other).get("/konto/passkeys/").content.decode()

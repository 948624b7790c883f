import re

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openamt.accounts.models import Account, AccountSession, SecurityEvent, User
from openamt.testing.accounts import fresh_totp_step

PASSWORD = "Lindenblüte-im-Juni-2026"
EMAIL = "anna.beispiel@example.org"


def _register(client: Client, email: str = EMAIL, password: str = PASSWORD):
    return client.post(
        "/konto/registrieren/", {"email": email, "password1": password, "password2": password}
    )


def _confirm_link() -> str:
    return re.search(r"http://[^/]+(/konto/bestaetigen/\S+/)", mail.outbox[-1].body).group(1)


def _login(client: Client, email: str = EMAIL, password: str = PASSWORD, **extra):
    return client.post("/konto/anmelden/", {"email": email, "password": password, **extra})


@pytest.fixture
def holder(client, db) -> User:
    _register(client)
    client.post(_confirm_link())
    return User.objects.get(username=EMAIL)


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def test_register_confirm_and_log_in(client, db):
    response = _register(client, email="  Anna.Beispiel@Example.org ")
    assert response.status_code == 200
    assert "Wir haben eine Nachricht an" in response.content.decode()
    user = User.objects.get(username=EMAIL)
    assert (user.is_active, user.account.email_verified_at) == (False, None)
    assert mail.outbox[-1].to == [EMAIL]
    assert mail.outbox[-1].subject == "Bitte bestätigen Sie Ihre E-Mail-Adresse"

    refused = _login(client)
    assert refused.status_code == 200
    assert "noch nicht bestätigt" in refused.content.decode()

    link = _confirm_link()
    assert client.get(link).status_code == 200
    assert User.objects.get(pk=user.pk).is_active is False  # a GET (mail scanner) confirms nothing
    assert client.post(link)["Location"] == "/konto/anmelden/"
    assert user.account.__class__.objects.get(
        pk=user.account.pk
    ).mailbox.address  # the Postfach opens
    assert _login(client)["Location"] == "/konto/"
    home = client.get("/konto/").content.decode()
    assert "Vertrauensniveau dieser Sitzung" in home
    assert ">niedrig<" in home
    session = AccountSession.objects.get(user=user)
    assert (session.assurance_level, session.method) == ("niedrig", "passwort")
    kinds = list(
        SecurityEvent.objects.filter(user=user).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["registered", "login_failed", "email_verified", "login"]


def test_registering_an_existing_address_reveals_nothing(client, holder):
    response = _register(client, password="Ein-ganz-anderes-Passwort-42")
    assert "Wir haben eine Nachricht an" in response.content.decode()
    assert User.objects.filter(username=EMAIL).count() == 1
    assert mail.outbox[-1].subject == "Ihr Servicekonto"
    assert "bereits eines" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("password", "message"),
    [("kurz", "Dieses Passwort ist zu kurz"), ("password1234", "Dieses Passwort ist zu üblich")],
)
def test_a_weak_password_is_refused_next_to_the_field(client, db, password, message):
    response = _register(client, password=password)
    assert message in response.context["form"].errors["password1"][0]
    assert 'href="#id_password1"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_a_forged_or_expired_link_confirms_nothing(client, holder):
    response = client.post("/konto/bestaetigen/eyJhIjoxfQ:forged:sig/")
    assert response.status_code == 400
    assert "ungültig" in response.content.decode()


def test_second_factor_setup_login_and_recovery(client, holder):
    _login(client)
    page = client.get("/konto/zweiter-faktor/").content.decode()
    assert "<svg" in page
    assert 'id="totp-secret"' in page
    device = TOTPDevice.objects.get(user=holder, confirmed=False)
    wrong = client.post("/konto/zweiter-faktor/", {"code": "000000"})
    assert wrong.context["form"].errors["code"] == [
        "Der Code stimmt nicht. Bitte geben Sie den aktuellen Code ein."
    ]
    fresh_totp_step()
    codes = client.post("/konto/zweiter-faktor/", {"code": _code(device)}).context["codes"]
    assert len(codes) == 10
    client.post("/konto/abmelden/")

    assert _login(client)["Location"] == "/konto/anmelden/zweiter-faktor/"
    assert client.get("/konto/")["Location"].startswith("/konto/anmelden/")  # not logged in yet
    bad = client.post("/konto/anmelden/zweiter-faktor/", {"code": "123456"})
    assert bad.context["form"].errors["code"]
    assert (
        client.post("/konto/anmelden/zweiter-faktor/", {"code": _code(device, drift=1)})["Location"]
        == "/konto/"
    )
    assert AccountSession.objects.filter(user=holder, method="passwort+totp").count() == 1

    client.post("/konto/abmelden/")
    _login(client)
    assert (
        client.post("/konto/anmelden/zweiter-faktor/", {"code": codes[0]})["Location"] == "/konto/"
    )
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    client.post("/konto/abmelden/")
    _login(client)
    reused = client.post("/konto/anmelden/zweiter-faktor/", {"code": codes[0]})
    assert reused.context["form"].errors["code"]
    kinds = set(SecurityEvent.objects.filter(user=holder).values_list("kind", flat=True))
    assert {"totp_added", "recovery_used", "login_failed", "logout"} <= kinds


def test_five_wrong_codes_end_the_login_attempt(client, holder):
    _login(client)
    client.get("/konto/zweiter-faktor/")
    device = TOTPDevice.objects.get(user=holder)
    fresh_totp_step()
    client.post("/konto/zweiter-faktor/", {"code": _code(device)})
    client.post("/konto/abmelden/")
    _login(client)
    for _ in range(5):
        client.post("/konto/anmelden/zweiter-faktor/", {"code": "999999"})
    response = client.post("/konto/anmelden/zweiter-faktor/", {"code": _code(device, drift=1)})
    assert response["Location"] == "/konto/anmelden/"
    assert not AccountSession.objects.filter(method="passwort+totp").exists()


def test_wrong_passwords_are_throttled(client, holder):
    for _ in range(4):
        assert _login(client, password="falsch-falsch-falsch").status_code == 200
    assert _login(client, password="falsch-falsch-falsch").status_code == 429  # the fifth locks
    locked = _login(client)  # now even the right password
    assert locked.status_code == 429
    assert not AccountSession.objects.exists()
    assert SecurityEvent.objects.filter(user=holder, kind="login_failed").count() == 6


def test_a_holder_ends_a_session_on_another_device(holder):
    laptop, phone = (
        Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"),
        Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 15) Chrome/140.0 Mobile"),
    )
    _login(laptop)
    _login(phone)
    sessions = laptop.get("/konto/sitzungen/").content.decode()
    assert "Firefox unter Linux (dieses Gerät)" in sessions
    assert "Chrome unter Android" in sessions
    other = AccountSession.objects.get(device="Chrome unter Android")
    assert laptop.post(f"/konto/sitzungen/{other.pk}/beenden/")["Location"] == "/konto/sitzungen/"
    assert phone.get("/konto/")["Location"].startswith("/konto/anmelden/")
    assert laptop.get("/konto/").status_code == 200
    assert SecurityEvent.objects.filter(user=holder, kind="session_revoked").count() == 1


def test_one_holder_never_sees_or_ends_anothers_sessions(holder):
    anna = Client()
    _login(anna)
    ben = Client()
    _register(ben, email="ben@example.org")
    ben.post(_confirm_link())
    _login(ben, email="ben@example.org")
    annas = AccountSession.objects.get(user=holder)
    assert ben.post(f"/konto/sitzungen/{annas.pk}/beenden/").status_code == 404
    assert anna.get("/konto/").status_code == 200
    assert "Firefox" not in ben.get("/konto/sitzungen/").content.decode()
    log = ben.get("/konto/sicherheit/").context["page"]
    assert {event.user_id for event in log} == {User.objects.get(username="ben@example.org").pk}


def test_staff_cannot_use_the_citizen_login(client, erfurt_admin):
    response = _login(client, email="erfurt.admin", password="ein-langes-test-passwort")
    assert response.status_code == 200
    assert not AccountSession.objects.exists()


def test_account_pages_need_a_servicekonto_login(client, erfurt_admin):
    for url in ["/konto/", "/konto/zweiter-faktor/", "/konto/sitzungen/", "/konto/sicherheit/"]:
        assert client.get(url)["Location"].startswith("/konto/anmelden/?next=")
    client.force_login(erfurt_admin)
    assert client.get("/konto/")["Location"].startswith("/konto/anmelden/")
    assert Account.objects.count() == 0


def test_last_activity_is_kept_current(client, holder):
    from datetime import timedelta

    from django.utils import timezone

    _login(client)
    session = AccountSession.objects.get(user=holder)
    long_ago = timezone.now() - timedelta(days=1)
    AccountSession.objects.filter(pk=session.pk).update(last_seen_at=long_ago)
    stored = client.session
    stored["openamt.seen_at"] = 0
    stored.save()
    client.get("/konto/")
    assert AccountSession.objects.get(pk=session.pk).last_seen_at > long_ago

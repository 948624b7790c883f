import re

from django.core import mail
from django.test import Client

from openamt.accounts.models import Account, AccountSession, SecurityEvent, User

PASSWORD = "Ein-gutes-Testpasswort-42"
NEW = "Ein-neues-langes-Passwort-2027"


def _holder() -> User:
    user = User.objects.create_user(
        username="hanna@example.org", email="hanna@example.org", password=PASSWORD
    )
    Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z")
    return user


def test_a_forgotten_password_is_reset_by_mail_and_all_sessions_end(db):
    user = _holder()
    other_device = Client()
    other_device.post("/konto/anmelden/", {"email": user.email, "password": PASSWORD})
    client = Client()
    assert (
        client.post("/konto/passwort/vergessen/", {"email": "Hanna@Example.org"})["Location"]
        == "/konto/passwort/verschickt/"
    )
    link = re.search(r"https?://[^/]+(/konto/passwort/neu/\S+/)", mail.outbox[-1].body).group(1)
    form = client.get(link, follow=True)
    url = form.redirect_chain[-1][0]
    assert (
        client.post(url, {"new_password1": NEW, "new_password2": NEW})["Location"]
        == "/konto/passwort/gesetzt/"
    )
    assert User.objects.get(pk=user.pk).check_password(NEW)
    assert other_device.get("/konto/")["Location"].startswith("/konto/anmelden/")
    assert not AccountSession.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(user=user, kind="password_changed").count() == 1


def test_an_unknown_address_or_a_staff_account_gets_no_mail_and_the_same_page(db, erfurt_admin):
    erfurt_admin.email = "erfurt.admin@example.org"
    erfurt_admin.save()
    client = Client()
    for email in ["niemand@example.org", "erfurt.admin@example.org"]:
        assert (
            client.post("/konto/passwort/vergessen/", {"email": email})["Location"]
            == "/konto/passwort/verschickt/"
        )
    assert mail.outbox == []


def test_a_holder_changes_the_password_and_other_sessions_end(db):
    user = _holder()
    other_device, client = Client(), Client()
    other_device.post("/konto/anmelden/", {"email": user.email, "password": PASSWORD})
    client.post("/konto/anmelden/", {"email": user.email, "password": PASSWORD})
    wrong = client.post(
        "/konto/passwort/aendern/",
        {"old_password": "falsch", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.context["form"].errors["old_password"]
    assert (
        client.post(
            "/konto/passwort/aendern/",
            {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        )["Location"]
        == "/konto/"
    )
    assert client.get("/konto/").status_code == 200
    assert other_device.get("/konto/")["Location"].startswith("/konto/anmelden/")
    assert AccountSession.objects.filter(user=user).count() == 1
    assert (
        client.get("/konto/sitzungen/").context["sessions"][0].session_key
        == client.session.session_key
    )

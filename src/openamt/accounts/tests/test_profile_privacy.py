import io
import json

import pytest
from django.test import Client
from pypdf import PdfReader

from openamt.accounts.auth import LEVEL_KEY
from openamt.accounts.models import (
    Account,
    AccountSession,
    BusinessAccount,
    ProfileAttribute,
    SecurityEvent,
    User,
)
from openamt.accounts.profile import profile_prefill
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Mailbox, Message
from openamt.mailbox.services import mailbox_for, message_deliver

PASSWORD = "Ein-gutes-Testpasswort-42"
EMAIL = "erika@example.org"


@pytest.fixture
def holder(db) -> User:
    user = User.objects.create_user(username=EMAIL, email=EMAIL, password=PASSWORD)
    mailbox_for(Account.objects.create(user=user, email_verified_at="2026-11-01T10:00:00Z"))
    return user


def _browser(user: User) -> Client:
    client = Client()
    client.post("/konto/anmelden/", {"email": user.email, "password": PASSWORD})
    return client


def test_eid_login_fills_the_profile_with_provenance_and_self_edits_change_it(holder):
    client = Client()
    client.post("/konto/anmelden/eid-test/", {"email": EMAIL, "pin": "123456"})
    family = ProfileAttribute.objects.get(user=holder, name="family_name")
    assert (family.value, family.source, family.assurance_level) == (
        "Mustermann",
        "eid-test",
        "hoch",
    )
    page = client.get("/konto/profil/").content.decode()
    assert "bestätigt durch Online-Ausweis (Testverfahren), Vertrauensniveau hoch" in page
    data = {
        "given_name": "Erika",
        "family_name": "Gabler",
        "birth_date": "1964-08-12",
        "street": "",
        "postcode": "99084",
        "city": "Erfurt",
        "phone": "",
    }
    assert client.post("/konto/profil/", data)["Location"] == "/konto/profil/"
    family.refresh_from_db()
    assert (family.value, family.source, family.assurance_level) == ("Gabler", "selbst", "")
    given = ProfileAttribute.objects.get(user=holder, name="given_name")
    assert (given.source, given.assurance_level) == (
        "eid-test",
        "hoch",
    )  # unchanged value keeps its provenance
    assert not ProfileAttribute.objects.filter(user=holder, name="street").exists()
    bad = client.post("/konto/profil/", {**data, "postcode": "990"})
    assert bad.context["form"].errors["postcode"] == ["Die Postleitzahl hat fünf Ziffern."]


def test_forms_get_profile_data_only_with_consent(holder):
    ProfileAttribute.objects.create(user=holder, name="family_name", value="Mustermann")
    assert profile_prefill(user=holder, names=["family_name"], consented=False) == {}
    assert (
        profile_prefill(user=holder, names=["family_name"], consented=True)["family_name"].value
        == "Mustermann"
    )


def test_export_as_json_and_pdf_holds_everything_about_the_holder(holder, erfurt):
    ProfileAttribute.objects.create(user=holder, name="city", value="Erfurt")
    message_deliver(
        sender=erfurt,
        address=holder.account.mailbox.address,
        subject="Ihr Bescheid",
        body="Text des Bescheids",
    )
    client = _browser(holder)
    exported = client.get("/konto/datenschutz/daten.json")
    assert exported["Content-Disposition"] == 'attachment; filename="servicekonto-daten.json"'
    data = json.loads(exported.content)
    assert data["konto"]["e_mail"] == EMAIL
    assert data["profil"] == [
        {"angabe": "city", "wert": "Erfurt", "herkunft": "selbst", "vertrauensniveau": ""}
    ]
    assert [m["betreff"] for m in data["postfach"]] == ["Ihr Bescheid"]
    assert data["sicherheitsprotokoll"][-1]["ereignis"] == "Anmeldung"
    pdf = client.get("/konto/datenschutz/daten.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert EMAIL in text
    assert "Ihr Bescheid" in text


def test_deletion_removes_the_account_and_leaves_the_authoritys_copy(holder, erfurt):
    message, _ = message_deliver(
        sender=erfurt, address=holder.account.mailbox.address, subject="Bescheid", body="Text"
    )
    lonely = BusinessAccount.objects.create(name="Einzelfirma")
    lonely.memberships.create(user=holder, role="owner")
    client = _browser(holder)
    wrong = client.post("/konto/datenschutz/loeschen/", {"password": "falsch"})
    assert wrong.status_code == 400
    assert wrong.context["form"].errors["password"] == ["Das Passwort stimmt nicht."]
    assert User.objects.filter(pk=holder.pk).exists()

    response = client.post("/konto/datenschutz/loeschen/", {"password": PASSWORD})
    assert "Ihr Servicekonto ist gelöscht" in response.content.decode()
    assert not User.objects.filter(pk=holder.pk).exists()
    assert not Account.objects.exists()
    assert not AccountSession.objects.exists()
    assert not SecurityEvent.objects.exists()
    assert not Mailbox.objects.exists()
    assert not BusinessAccount.objects.exists()
    kept = Message.objects.get(pk=message.pk)
    assert (kept.mailbox, kept.sender) == (None, erfurt)
    assert AuditEntry.objects.filter(action="account.delete", object_id=str(holder.pk)).count() == 1
    assert client.get("/konto/")["Location"].startswith("/konto/anmelden/")


def test_the_only_owner_of_a_shared_business_must_hand_over_first(holder):
    other = User.objects.create_user(
        username="kollege@example.org", email="kollege@example.org", password=PASSWORD
    )
    Account.objects.create(user=other)
    shared = BusinessAccount.objects.create(name="Gemeinsam GmbH")
    shared.memberships.create(user=holder, role="owner")
    shared.memberships.create(user=other, role="member")
    response = _browser(holder).post("/konto/datenschutz/loeschen/", {"password": PASSWORD})
    assert "Bitte übertragen Sie die Rolle zuerst" in response.context["form"].errors["password"][0]
    assert User.objects.filter(pk=holder.pk).exists()
    assert BusinessAccount.objects.filter(pk=shared.pk).exists()


def test_privacy_pages_need_a_servicekonto_login(client, holder):
    for url in [
        "/konto/profil/",
        "/konto/datenschutz/",
        "/konto/datenschutz/daten.json",
        "/konto/datenschutz/daten.pdf",
    ]:
        assert client.get(url)["Location"].startswith("/konto/anmelden/?next=")
    assert client.post("/konto/datenschutz/loeschen/", {"password": PASSWORD})[
        "Location"
    ].startswith("/konto/anmelden/")
    assert User.objects.filter(pk=holder.pk).exists()
    assert LEVEL_KEY

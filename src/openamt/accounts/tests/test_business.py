import pytest

from openamt.accounts.models import BusinessAccount, BusinessMembership, User
from openamt.core.models import AuditEntry
from openamt.mailbox.models import Message
from openamt.mailbox.services import message_deliver
from openamt.testing.accounts import holder_client, make_holder

DATA = {
    "name": "Tischlerei Beispiel GmbH",
    "street": "Domplatz 1",
    "postcode": "99084",
    "city": "Erfurt",
    "register_number": "Jena HRB 123456",
    "vat_id": "DE 136 695 976",
}


@pytest.fixture
def owner(db) -> User:
    return make_holder("inhaberin@example.org")


@pytest.fixture
def business(owner) -> BusinessAccount:
    assert holder_client(owner).post("/konto/unternehmen/", DATA).status_code == 302
    return BusinessAccount.objects.get()


def test_an_owner_creates_a_business_with_validated_identifiers(business, owner):
    assert (business.vat_id, business.register_number) == ("DE136695976", "Jena HRB 123456")
    assert BusinessMembership.objects.get(business=business).role == "owner"
    assert business.mailbox.address


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("vat_id", "DE123456789", "keine gültige Umsatzsteuer-Identifikationsnummer"),
        ("register_number", "HRB", "Registergericht, Registerart und Nummer"),
        ("postcode", "9908", "Die Postleitzahl hat fünf Ziffern."),
    ],
)
def test_bad_business_data_is_refused_next_to_the_field(owner, field, value, message):
    response = holder_client(owner).post("/konto/unternehmen/", {**DATA, field: value})
    assert message in response.context["form"].errors[field][0]
    assert f'href="#id_{field}"' in response.content.decode()
    assert not BusinessAccount.objects.exists()


def test_a_member_without_the_owner_role_cannot_manage_members(business, owner):
    member, third = make_holder("mitglied@example.org"), make_holder("dritte@example.org")
    url = f"/konto/unternehmen/{business.pk}/"
    assert (
        holder_client(owner)
        .post(url, {"email": "Mitglied@Example.org", "role": "member"})
        .status_code
        == 302
    )
    membership = BusinessMembership.objects.get(user=member)
    audited = AuditEntry.objects.count()

    client = holder_client(member)
    page = client.get(url).content.decode()
    assert "Mitglied hinzufügen" not in page
    owner_membership = BusinessMembership.objects.get(user=owner)
    assert client.post(url, {"email": "dritte@example.org", "role": "owner"}).status_code == 404
    assert client.post(url, {**DATA, "name": "Übernommen GmbH"}).status_code == 404
    assert (
        client.post(f"{url}mitglieder/{owner_membership.pk}/rolle/", {"role": "member"}).status_code
        == 404
    )
    assert client.post(f"{url}mitglieder/{owner_membership.pk}/entfernen/").status_code == 404
    assert (
        client.post(f"{url}mitglieder/{membership.pk}/rolle/", {"role": "owner"}).status_code == 404
    )
    assert sorted(BusinessMembership.objects.values_list("user__username", "role")) == [
        ("inhaberin@example.org", "owner"),
        ("mitglied@example.org", "member"),
    ]
    assert BusinessAccount.objects.get().name == DATA["name"]
    assert AuditEntry.objects.count() == audited
    assert not BusinessMembership.objects.filter(user=third).exists()

    assert (
        client.post(f"{url}mitglieder/{membership.pk}/entfernen/")["Location"]
        == "/konto/unternehmen/"
    )  # may leave


def test_the_last_owner_cannot_leave_or_step_down(business, owner):
    own = BusinessMembership.objects.get(user=owner)
    client = holder_client(owner)
    client.post(f"/konto/unternehmen/{business.pk}/mitglieder/{own.pk}/entfernen/")
    client.post(f"/konto/unternehmen/{business.pk}/mitglieder/{own.pk}/rolle/", {"role": "member"})
    assert BusinessMembership.objects.get(pk=own.pk).role == "owner"


def test_members_read_the_business_postfach_and_outsiders_do_not(business, owner, erfurt):
    member, outsider = make_holder("mitglied@example.org"), make_holder("fremd@example.org")
    holder_client(owner).post(
        f"/konto/unternehmen/{business.pk}/", {"email": "mitglied@example.org", "role": "member"}
    )
    message, _ = message_deliver(
        sender=erfurt,
        address=business.mailbox.address,
        subject="Gewerbeanmeldung bestätigt",
        body="Text",
    )
    for user in (owner, member):
        assert (
            "Gewerbeanmeldung bestätigt"
            in holder_client(user).get("/konto/postfach/").content.decode()
        )
    stranger = holder_client(outsider)
    assert "Gewerbeanmeldung bestätigt" not in stranger.get("/konto/postfach/").content.decode()
    assert stranger.get(f"/konto/postfach/{message.public_id}/").status_code == 404
    assert stranger.get(f"/konto/unternehmen/{business.pk}/").status_code == 404
    assert holder_client(member).get(f"/konto/postfach/{message.public_id}/").status_code == 200
    assert Message.objects.get().first_opened_at is not None

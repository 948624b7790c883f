"""Unternehmenskonten: create, describe, and manage members. Only owners
manage members; the last owner cannot leave, so a business is never orphaned."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from stdnum.de import handelsregisternummer
from stdnum.eu import vat
from stdnum.exceptions import ValidationError as StdnumError

from openamt.accounts.models import BusinessAccount, BusinessMembership, BusinessRole, User
from openamt.accounts.services import normalise_email
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, NotFound, PermissionDenied
from openamt.mailbox.services import business_mailbox_open

FIELDS = ["name", "street", "postcode", "city", "register_number", "vat_id"]


def _clean(data: dict[str, Any]) -> dict[str, str]:
    cleaned = {name: str(data.get(name, "") or "").strip() for name in FIELDS}
    if not 2 <= len(cleaned["name"]) <= 200:
        raise InvalidInput("Der Name hat 2 bis 200 Zeichen.", field="name")
    if cleaned["postcode"] and not (
        len(cleaned["postcode"]) == 5 and cleaned["postcode"].isdigit()
    ):
        raise InvalidInput("Die Postleitzahl hat fünf Ziffern.", field="postcode")
    if cleaned["vat_id"]:
        try:
            cleaned["vat_id"] = vat.compact(vat.validate(cleaned["vat_id"]))
        except StdnumError:
            raise InvalidInput(
                "Dies ist keine gültige Umsatzsteuer-Identifikationsnummer (z. B. DE136695976).",
                field="vat_id",
            ) from None
    if cleaned["register_number"]:
        try:
            cleaned["register_number"] = handelsregisternummer.validate(cleaned["register_number"])
        except StdnumError:
            raise InvalidInput(
                "Bitte Registergericht, Registerart und Nummer angeben, z. B. „Jena HRB 123456“.",
                field="register_number",
            ) from None
    return cleaned


def businesses_of(*, user: User) -> QuerySet[BusinessMembership]:
    return (
        BusinessMembership.objects.filter(user=user)
        .select_related("business")
        .order_by("business__name")
    )


def membership_of(*, user: User, business_pk: int) -> BusinessMembership:
    """The user's membership in a business; "not found" for non-members."""
    membership = (
        BusinessMembership.objects.select_related("business")
        .filter(user=user, business_id=business_pk)
        .first()
    )
    if membership is None:
        raise NotFound("Dieses Unternehmenskonto gibt es nicht oder Sie sind kein Mitglied.")
    return membership


def _require_owner(actor: User, business: BusinessAccount) -> None:
    if not BusinessMembership.objects.filter(
        business=business, user=actor, role=BusinessRole.OWNER
    ).exists():
        raise PermissionDenied("Nur Inhaberinnen und Inhaber verwalten dieses Unternehmenskonto.")


@transaction.atomic
def business_create(*, actor: User, data: dict[str, Any]) -> BusinessAccount:
    business = BusinessAccount.objects.create(**_clean(data))
    BusinessMembership.objects.create(business=business, user=actor, role=BusinessRole.OWNER)
    audit_record(actor=actor, action="business.create", target=business)
    business_mailbox_open(business=business)
    return business


@transaction.atomic
def business_update(
    *, actor: User, business: BusinessAccount, data: dict[str, Any]
) -> BusinessAccount:
    _require_owner(actor, business)
    cleaned = _clean(data)
    changed = [name for name, value in cleaned.items() if getattr(business, name) != value]
    if changed:
        for name in changed:
            setattr(business, name, cleaned[name])
        business.save()
        audit_record(
            actor=actor, action="business.update", target=business, changes={"fields": changed}
        )
    return business


@transaction.atomic
def member_add(
    *, actor: User, business: BusinessAccount, email: str, role: str
) -> BusinessMembership:
    _require_owner(actor, business)
    if role not in BusinessRole.values:
        raise InvalidInput("Bitte eine Rolle wählen.", field="role")
    user = User.objects.filter(
        username=normalise_email(email), is_active=True, account__isnull=False
    ).first()
    if user is None:
        raise InvalidInput(
            "Zu dieser E-Mail-Adresse gibt es kein bestätigtes Servicekonto. Bitten Sie die Person, "
            "zuerst ein Konto anzulegen.",
            field="email",
        )
    membership, created = BusinessMembership.objects.get_or_create(
        business=business, user=user, defaults={"role": role}
    )
    if not created:
        raise InvalidInput("Diese Person ist schon Mitglied.", field="email")
    audit_record(
        actor=actor, action="business.member_add", target=membership, changes={"role": role}
    )
    return membership


def _owners_left(business: BusinessAccount, without: BusinessMembership) -> int:
    return (
        BusinessMembership.objects.filter(business=business, role=BusinessRole.OWNER)
        .exclude(pk=without.pk)
        .count()
    )


@transaction.atomic
def member_set_role(
    *, actor: User, membership: BusinessMembership, role: str
) -> BusinessMembership:
    _require_owner(actor, membership.business)
    if role not in BusinessRole.values:
        raise InvalidInput("Bitte eine Rolle wählen.", field="role")
    if (
        role != BusinessRole.OWNER
        and membership.role == BusinessRole.OWNER
        and not _owners_left(membership.business, membership)
    ):
        raise InvalidInput(
            "Das Unternehmenskonto braucht mindestens eine Inhaberin oder einen Inhaber.",
            field="role",
        )
    if membership.role != role:
        audit_record(
            actor=actor,
            action="business.member_role",
            target=membership,
            changes={"role": [membership.role, role]},
        )
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, actor: User, membership: BusinessMembership) -> None:
    """Owners remove members; every member may leave."""
    if membership.user_id != actor.pk:
        _require_owner(actor, membership.business)
    if membership.role == BusinessRole.OWNER and not _owners_left(membership.business, membership):
        raise InvalidInput(
            "Das Unternehmenskonto braucht mindestens eine Inhaberin oder einen Inhaber."
        )
    audit_record(actor=actor, action="business.member_remove", target=membership)
    membership.delete()

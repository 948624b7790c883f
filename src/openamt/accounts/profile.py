"""The holder's profile with provenance: each attribute says whether the holder
entered it or an identity provider asserted it, and at which assurance level.
Forms get attributes only with the holder's consent (`profile_prefill`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from openamt.accounts.models import ProfileAttribute, User
from openamt.core.errors import InvalidInput

ATTRIBUTES = [
    ("given_name", "Vorname"),
    ("family_name", "Familienname"),
    ("birth_date", "Geburtsdatum"),
    ("street", "Straße und Hausnummer"),
    ("postcode", "PLZ"),
    ("city", "Ort"),
    ("phone", "Telefon"),
]
NAMES = [name for name, _ in ATTRIBUTES]


@dataclass(frozen=True)
class Attribute:
    value: str
    source: str
    assurance_level: str


def profile_of(*, user: User) -> dict[str, ProfileAttribute]:
    return {a.name: a for a in ProfileAttribute.objects.filter(user=user)}


def _check(name: str, value: str) -> str:
    if len(value) > 200:
        raise InvalidInput("Höchstens 200 Zeichen.", field=name)
    if name == "postcode" and value and not (len(value) == 5 and value.isdigit()):
        raise InvalidInput("Die Postleitzahl hat fünf Ziffern.", field=name)
    if name == "birth_date" and value:
        try:
            if date.fromisoformat(value) > date.today():
                raise InvalidInput("Das Geburtsdatum liegt in der Zukunft.", field=name)
        except ValueError:
            raise InvalidInput("Bitte das Datum als TT.MM.JJJJ angeben.", field=name) from None
    return value


@transaction.atomic
def profile_save_self(*, user: User, data: dict[str, str]) -> list[str]:
    """The holder's own entries; a changed value is from then on "selbst eingegeben"."""
    current = profile_of(user=user)
    changed = []
    for name in NAMES:
        value = _check(name, str(data.get(name, "") or "").strip())
        stored = current.get(name)
        if not value:
            if stored is not None:
                stored.delete()
                changed.append(name)
        elif stored is None or stored.value != value:
            ProfileAttribute.objects.update_or_create(
                user=user,
                name=name,
                defaults={"value": value, "source": ProfileAttribute.SELF, "assurance_level": ""},
            )
            changed.append(name)
    return changed


@transaction.atomic
def profile_assert(*, user: User, attributes: dict[str, str], source: str, level: str) -> None:
    """Attributes an identity provider vouched for; they replace self-entered ones."""
    for name, value in attributes.items():
        if name in NAMES and value:
            ProfileAttribute.objects.update_or_create(
                user=user,
                name=name,
                defaults={"value": value, "source": source, "assurance_level": level},
            )


def profile_prefill(*, user: User, names: list[str], consented: bool) -> dict[str, Attribute]:
    """What a form may prefill: nothing without the holder's consent."""
    if not consented:
        return {}
    return {
        a.name: Attribute(a.value, a.source, a.assurance_level)
        for a in ProfileAttribute.objects.filter(user=user, name__in=names)
    }

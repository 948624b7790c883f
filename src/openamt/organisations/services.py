"""Writes to authorities, tenants and staff roles. Every change is audited."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from openamt.accounts.models import User
from openamt.core.audit import audit_changes, audit_record
from openamt.core.errors import InvalidInput, InvalidTransition, PermissionDenied
from openamt.core.text import fold
from openamt.organisations import permissions
from openamt.organisations.constants import (
    AuthorityKind,
    AuthorityRoleName,
    LandRoleName,
    TenantStatus,
)
from openamt.organisations.models import Authority, AuthorityRole, LandRole, Tenant
from openamt.organisations.naming import kreis_authority, municipal_base_name, verband_authority
from openamt.organisations.validators import (
    validate_iban,
    validate_leitweg_id,
    validate_opening_hours,
)
from openamt.regions.constants import Level, RegionKind
from openamt.regions.models import Region

EDITABLE_FIELDS = [
    "street",
    "postcode",
    "city",
    "phone",
    "email",
    "website",
    "opening_hours",
    "leitweg_id",
    "iban",
    "bic",
    "account_holder",
]


def served_regions(*, unit: Region, kind: str, kreis: Region | None) -> list[Region]:
    """The Zuständigkeitsgebiet of an authority made from a register unit: the
    unit, and for a kreisfreie Stadt also the Kreis it forms."""
    if kreis is not None and unit.level == Level.VERBAND and kind == AuthorityKind.KREISFREIE_STADT:
        return [unit, kreis]
    return [unit]


@transaction.atomic
def authorities_sync_from_register(*, land: str) -> Counter[str]:
    """One authority per Gemeindeverband record and per Landkreis of a Land.

    Idempotent: an authority is found again by the register unit it
    administers; only its name and kind follow the register. Contact data
    is never touched here.
    """
    units = Region.objects.active().within(land)
    kreise = {k.ars: k for k in units.filter(level=Level.KREIS)}
    seats = {
        (g.ars[:9], g.short_name): g
        for g in units.filter(level=Level.GEMEINDE).only("ars", "name", "kind")
    }
    plan: list[tuple[Region, list[Region], str, str]] = []
    for verband in units.filter(level=Level.VERBAND).order_by("ars"):
        kreis = kreise.get(verband.ars[:5])
        seat = seats.get((verband.ars, municipal_base_name(verband)))
        name, kind = verband_authority(verband, kreis, seat)
        plan.append((verband, served_regions(unit=verband, kind=kind, kreis=kreis), name, kind))
    for kreis in kreise.values():
        # Kreisfreie Städte and Stadtkreise are administered by their city.
        if kreis.kind in (RegionKind.LANDKREIS, RegionKind.KREIS, RegionKind.REGIONALVERBAND):
            name, kind = kreis_authority(kreis)
            plan.append((kreis, [kreis], name, kind))

    existing = {
        a.register_region_id: a
        for a in Authority.objects.filter(register_region__in=[p[0] for p in plan])
    }
    counts: Counter[str] = Counter()
    for unit, served, name, kind in plan:
        authority = existing.get(unit.pk)
        if authority is None:
            authority = Authority.objects.create(
                name=name, name_folded=fold(name), kind=kind, register_region=unit
            )
            authority.regions.set(served)
            audit_record(
                actor=None,
                action="authority.create",
                target=authority,
                authority_id=authority.pk,
                changes={"name": name, "kind": kind},
            )
            counts["created"] += 1
        elif (authority.name, authority.kind) != (name, kind):
            changes = {"name": [authority.name, name], "kind": [authority.kind, kind]}
            authority.name, authority.name_folded, authority.kind = name, fold(name), kind
            authority.save(update_fields=["name", "name_folded", "kind", "updated_at"])
            audit_record(
                actor=None,
                action="authority.rename",
                target=authority,
                authority_id=authority.pk,
                changes=changes,
            )
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        counts[kind] += 1
    return counts


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {
        key: (value.strip() if isinstance(value, str) else value) for key, value in data.items()
    }
    if cleaned.get("leitweg_id"):
        cleaned["leitweg_id"] = validate_leitweg_id(cleaned["leitweg_id"])
    if cleaned.get("iban"):
        cleaned["iban"] = validate_iban(cleaned["iban"])
    if "opening_hours" in cleaned:
        cleaned["opening_hours"] = validate_opening_hours(cleaned["opening_hours"] or [])
    if cleaned.get("postcode") and not (
        len(cleaned["postcode"]) == 5 and cleaned["postcode"].isdigit()
    ):
        raise InvalidInput("Die Postleitzahl hat fünf Ziffern.", field="postcode")
    return cleaned


@transaction.atomic
def authority_update(*, actor: User, authority: Authority, data: dict[str, Any]) -> Authority:
    """Change an authority's contact, opening hours and payment data."""
    if not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied("Sie dürfen die Daten dieser Behörde nicht ändern.")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Nicht änderbare Felder: {', '.join(sorted(unknown))}.")
    cleaned = _clean(data)
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    before = {name: getattr(authority, name) for name in cleaned}
    for name, value in cleaned.items():
        setattr(authority, name, value)
    changes = audit_changes(authority, before, list(cleaned))
    if changes:
        authority.full_clean(exclude=["name_folded"])
        authority.save()
        audit_record(
            actor=actor,
            action="authority.update",
            target=authority,
            authority_id=authority.pk,
            changes=changes,
        )
    return authority


# Allowed tenant status changes: from -> to.
TENANT_TRANSITIONS = {
    TenantStatus.APPLIED: {TenantStatus.ACTIVE, TenantStatus.TERMINATED},
    TenantStatus.ACTIVE: {TenantStatus.TERMINATED},
    TenantStatus.TERMINATED: {TenantStatus.APPLIED},
}


def _require_land_admin(actor: User) -> None:
    if not permissions.is_land_admin(actor) and not actor.is_superuser:
        raise PermissionDenied("Nur die Landesadministration verwaltet Mandanten.")


@transaction.atomic
def tenant_apply(*, actor: User, authority: Authority, on: date | None = None) -> Tenant:
    """Record that an authority applies to join the platform (or re-applies)."""
    if not (permissions.can_change_authority(actor, authority.pk) or actor.is_superuser):
        raise PermissionDenied("Sie dürfen für diese Behörde keinen Beitritt beantragen.")
    on = on or timezone.localdate()
    tenant = Tenant.objects.select_for_update().filter(authority=authority).first()
    if tenant is None:
        tenant = Tenant.objects.create(
            authority=authority, status=TenantStatus.APPLIED, applied_on=on
        )
        audit_record(
            actor=actor,
            action="tenant.apply",
            target=tenant,
            authority_id=authority.pk,
            changes={"status": [None, tenant.status]},
        )
        return tenant
    return _tenant_transition(actor=actor, tenant=tenant, to=TenantStatus.APPLIED, on=on)


@transaction.atomic
def tenant_activate(*, actor: User, tenant: Tenant, on: date | None = None) -> Tenant:
    _require_land_admin(actor)
    return _tenant_transition(
        actor=actor, tenant=tenant, to=TenantStatus.ACTIVE, on=on or timezone.localdate()
    )


@transaction.atomic
def tenant_terminate(*, actor: User, tenant: Tenant, on: date | None = None) -> Tenant:
    _require_land_admin(actor)
    return _tenant_transition(
        actor=actor, tenant=tenant, to=TenantStatus.TERMINATED, on=on or timezone.localdate()
    )


def _tenant_transition(*, actor: User, tenant: Tenant, to: str, on: date) -> Tenant:
    tenant = Tenant.objects.select_for_update().get(pk=tenant.pk)
    if to not in TENANT_TRANSITIONS[TenantStatus(tenant.status)]:
        raise InvalidTransition(
            f"Ein Mandant im Status „{tenant.get_status_display()}“ kann nicht "
            f"„{TenantStatus(to).label}“ werden."
        )
    before = tenant.status
    tenant.status = to
    if to == TenantStatus.APPLIED:
        tenant.applied_on, tenant.activated_on, tenant.terminated_on = on, None, None
    elif to == TenantStatus.ACTIVE:
        tenant.activated_on = on
    else:
        tenant.terminated_on = on
    tenant.save()
    audit_record(
        actor=actor,
        action=f"tenant.{to}",
        target=tenant,
        authority_id=tenant.authority_id,
        changes={"status": [before, to], "on": on.isoformat()},
    )
    return tenant


@transaction.atomic
def authority_role_grant(
    *, actor: User | None, user: User, authority: Authority, role: str
) -> AuthorityRole:
    if actor is not None and not permissions.can_change_authority(actor, authority.pk):
        raise PermissionDenied("Sie dürfen in dieser Behörde keine Rollen vergeben.")
    granted, created = AuthorityRole.objects.get_or_create(
        user=user, authority=authority, role=AuthorityRoleName(role)
    )
    if created:
        audit_record(
            actor=actor,
            action="authority_role.grant",
            target=granted,
            authority_id=authority.pk,
            changes={"user_id": user.pk, "role": role},
        )
    return granted


@transaction.atomic
def land_role_grant(*, actor: User | None, user: User, role: str) -> LandRole:
    if actor is not None:
        _require_land_admin(actor)
    granted, created = LandRole.objects.get_or_create(user=user, role=LandRoleName(role))
    if created:
        audit_record(
            actor=actor,
            action="land_role.grant",
            target=granted,
            changes={"user_id": user.pk, "role": role},
        )
    return granted

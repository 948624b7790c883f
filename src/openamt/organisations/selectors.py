"""Reads of authorities and tenants.

Public reads (`authority_list`, `authority_for_region`) expose what an
authority publishes anyway. Staff reads take the acting user and only
ever return what that user may see.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from openamt.core.errors import NotFound
from openamt.core.text import fold
from openamt.organisations import permissions
from openamt.organisations.constants import AuthorityKind, AuthorityRoleName
from openamt.organisations.models import Authority, AuthorityRole
from openamt.regions.constants import Level
from openamt.regions.models import Region


def authority_list(
    *, q: str = "", region_ars: str | None = None, kind: str | None = None
) -> QuerySet[Authority]:
    """Authorities by name, by a region they serve (or that lies in it), by kind."""
    authorities = Authority.objects.select_related("register_region")
    if q.strip():
        authorities = authorities.filter(name_folded__contains=fold(q))
    if kind:
        authorities = authorities.filter(kind=kind)
    if region_ars:
        # Serving the region itself, a unit above it, or a unit inside it.
        ancestors = [region_ars[:n] for n in (2, 3, 4, 5, 9) if n < len(region_ars)]
        authorities = authorities.filter(
            Q(regions__ars__startswith=region_ars) | Q(regions__ars__in=ancestors)
        ).distinct()
    return authorities.order_by("name_folded", "pk")


def _administering_keys(region: Region) -> tuple[str, str] | None:
    """(Verband ARS, Kreis ARS) whose authorities administer a region."""
    if region.level not in (Level.GEMEINDE, Level.VERBAND, Level.KREIS):
        return None
    kreis_ars = region.ars[:5]
    # For a Kreisfreie Stadt the Kreis itself has one verbandsfreie member.
    verband_ars = region.ars[:9] if region.level != Level.KREIS else f"{kreis_ars}0000"
    return verband_ars, kreis_ars


def authorities_for_regions(*, regions: list[Region]) -> dict[int, dict[str, Authority]]:
    """For each region (by pk), in one query, the authorities administering it:
    "gemeinde" (its municipal administration) and "kreis" (Landratsamt, or the
    kreisfreie Stadt, which is its own Kreis-level authority)."""
    keys = {region.pk: _administering_keys(region) for region in regions}
    wanted = {ars for pair in keys.values() if pair for ars in pair}
    by_ars = {
        authority.register_region.ars: authority
        for authority in Authority.objects.filter(
            register_region__ars__in=wanted, register_region__valid_until__isnull=True
        ).select_related("register_region")
        if authority.register_region is not None
    }
    result: dict[int, dict[str, Authority]] = {}
    for region in regions:
        pair = keys[region.pk]
        found: dict[str, Authority] = {}
        if pair:
            municipal, kreis = by_ars.get(pair[0]), by_ars.get(pair[1])
            if municipal:
                found["gemeinde"] = municipal
            if kreis:
                found["kreis"] = kreis
            elif municipal and municipal.kind == AuthorityKind.KREISFREIE_STADT:
                found["kreis"] = municipal
            if region.level == Level.KREIS and "kreis" in found:
                found.pop("gemeinde", None)
        result[region.pk] = found
    return result


def authority_for_region(*, region: Region) -> dict[str, Authority]:
    """The authorities administering one region (see `authorities_for_regions`)."""
    return authorities_for_regions(regions=[region])[region.pk]


def authority_list_for_user(*, user: permissions.AnyUser, q: str = "") -> QuerySet[Authority]:
    """The authorities a staff user works for (all of them for Land-wide roles),
    by name; `q` keeps those whose name contains each of its words (the first
    five), ignoring case and accents ("pößneck stadt" and "possneck" find
    "Stadtverwaltung Pößneck")."""
    authorities = Authority.objects.select_related("register_region", "tenant")
    if not permissions.land_roles(user) & permissions.LAND_WIDE_READ:
        authorities = authorities.filter(pk__in=permissions.authority_ids(user))
    for word in fold(q).split()[:5]:
        authorities = authorities.filter(name_folded__contains=word)
    return authorities.order_by("name_folded", "pk")


def authority_get_for_user(*, user: permissions.AnyUser, pk: int) -> Authority:
    """One authority the user may see; anything else is "not found", not "forbidden",
    so that staff cannot probe which records exist."""
    authority = authority_list_for_user(user=user).filter(pk=pk).first()
    if authority is None:
        raise NotFound("Diese Behörde gibt es nicht oder Sie haben keinen Zugriff.")
    return authority


def authority_staff(*, user: permissions.AnyUser, authority: Authority) -> QuerySet[AuthorityRole]:
    authority_get_for_user(user=user, pk=authority.pk)
    return (
        AuthorityRole.objects.filter(authority=authority)
        .select_related("user")
        .order_by("user__username", "role")
    )


def authority_admin_addresses(*, authority_ids: list[int]) -> dict[int, list[str]]:
    """The e-mail addresses of the active administrators of each authority,
    {authority id: sorted addresses} (an authority without one maps to []),
    in one query: whom the platform tells when nobody else is named (a parked
    delivery, a case without a caseworker)."""
    found: dict[int, list[str]] = {pk: [] for pk in authority_ids}
    rows = (
        AuthorityRole.objects.filter(
            authority_id__in=authority_ids, role=AuthorityRoleName.ADMIN, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("authority_id", "user__email")
        .order_by("authority_id", "user__email")
    )
    for authority_id, address in rows:
        if address not in found[authority_id]:
            found[authority_id].append(address)
    return found

"""Who is responsible for a service at a place: explicit entries, then rules."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from openamt.catalogue.models import Service
from openamt.catalogue.selectors import service_resolve
from openamt.core.errors import NotFound
from openamt.core.recent import recent
from openamt.core.text import fold
from openamt.organisations import permissions
from openamt.organisations.models import Authority
from openamt.organisations.selectors import authorities_for_regions
from openamt.regions.models import Region
from openamt.regions.selectors import MAX_AREA_GEMEINDEN, MAX_PLACES, places_resolve
from openamt.responsibility.constants import AdministrativeLevel, ResponsibilityRole
from openamt.responsibility.models import Responsibility, ResponsibilityRule


@dataclass(frozen=True)
class Finding:
    authority: Authority
    source: str  # "entry" (explicit Zuständigkeit) or "rule"
    reason: str
    online_service_url: str = ""


@dataclass(frozen=True)
class Answer:
    service: Service
    finding: Finding | None
    place: Region | None
    # Set when the place is ambiguous and the Gemeinden differ in their answer.
    choices: list[Region] = field(default_factory=list)
    more_choices: int = 0  # Gemeinden beyond `choices`: the place should be narrowed down
    places: list[Region] = field(default_factory=list)  # every Gemeinde the place means


def rule_keys(service: Service) -> list[str]:
    """The service's key, then its less detailed parents in the LeiKa hierarchy."""
    key = service.leika_key
    if not service.in_leika:
        return [key]
    return list(dict.fromkeys([key, key[:11] + "000", key[:8] + "000000"]))


def rule_list_for_user(
    *, user: permissions.AnyUser, q: str = "", level: str = ""
) -> QuerySet[ResponsibilityRule]:
    """The Land's rule table for Land staff, filtered by key or name and level;
    "not found" for everyone else, as for any record they may not see."""
    if not permissions.land_roles(user) & permissions.LAND_WIDE_READ:
        raise NotFound("Diese Seite gibt es nicht oder Sie haben keinen Zugriff.")
    rules = ResponsibilityRule.objects.select_related("service", "authority")
    q = q.strip()
    if q.isdigit():
        rules = rules.filter(service__leika_key__startswith=q)
    elif q:
        rules = rules.filter(service__name_folded__contains=fold(q))
    if level in AdministrativeLevel.values:
        rules = rules.filter(level=level)
    return rules.order_by("service__leika_key")


def rule_for(*, service: Service) -> ResponsibilityRule | None:
    keys = rule_keys(service)
    rules = {
        rule.service.leika_key: rule
        for rule in ResponsibilityRule.objects.filter(service__leika_key__in=keys).select_related(
            "service", "authority"
        )
    }
    return next((rules[key] for key in keys if key in rules), None)


# Up to this many Gemeinden, entries are looked up by every prefix of their keys.
_PREFIX_LOOKUP_MAX = 50


def _areas_of(regions: list[Region]) -> Q:
    """Entry areas that can contain one of the regions, as one bounded condition."""
    if len(regions) <= _PREFIX_LOOKUP_MAX:
        return Q(area_ars__in={r.ars[:n] for r in regions for n in range(2, len(r.ars) + 1)})
    # Many Gemeinden (a Kreis, a Land): areas above their common key, or inside it.
    common = os.path.commonprefix([r.ars for r in regions])  # noqa: RUF071 - digit by digit
    return Q(area_ars__in=[common[:n] for n in range(2, len(common) + 1)]) | Q(
        area_ars__startswith=common
    )


def responsibility_find_many(
    *,
    service: Service,
    regions: list[Region],
    on: date | None = None,
    rule: ResponsibilityRule | None = None,
) -> dict[int, Finding | None]:
    """The responsible authority for a service in each of some Gemeinden (by pk),
    in at most three queries however many Gemeinden are asked about.

    An explicit entry whose area contains the Gemeinde wins (the most
    specific area first); otherwise the rule's level decides.
    """
    on = on or timezone.localdate()
    entries = (
        Responsibility.objects.filter(service=service, role=ResponsibilityRole.RESPONSIBLE)
        .filter(_areas_of(regions))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("authority")
        .order_by("-pk")
    )
    by_area = {entry.area_ars: entry for entry in entries}  # the oldest entry per area wins
    findings: dict[int, Finding | None] = {}
    by_rule = []
    for region in regions:
        # The most specific area containing the Gemeinde.
        entry = next(
            (
                by_area[region.ars[:n]]
                for n in range(len(region.ars), 1, -1)
                if region.ars[:n] in by_area
            ),
            None,
        )
        if entry is None:
            by_rule.append(region)
            continue
        findings[region.pk] = Finding(
            authority=entry.authority,
            source="entry",
            reason="Eintrag der Behörde",
            online_service_url=entry.online_service_url,
        )
    if not by_rule:
        return findings
    rule = rule or rule_for(service=service)
    administering = (
        authorities_for_regions(regions=by_rule)
        if rule and rule.level != AdministrativeLevel.LAND
        else {}
    )
    for region in by_rule:
        authority = None
        if rule is not None and rule.level == AdministrativeLevel.LAND:
            authority = rule.authority
        elif rule is not None:
            level = "gemeinde" if rule.level == AdministrativeLevel.MUNICIPAL else "kreis"
            authority = administering[region.pk].get(level)
        findings[region.pk] = (
            Finding(authority=authority, source="rule", reason=rule.reason)
            if authority and rule
            else None
        )
    return findings


def responsibility_find(
    *,
    service: Service,
    region: Region,
    on: date | None = None,
    rule: ResponsibilityRule | None = None,
) -> Finding | None:
    """The responsible authority for a service in one Gemeinde."""
    return responsibility_find_many(service=service, regions=[region], on=on, rule=rule)[region.pk]


def responsibility_find_recent(*, service: Service, region: Region) -> Finding | None:
    """`responsibility_find` as of at most OPENAMT_ANSWER_CACHE_SECONDS ago (the
    freshness the Zuständigkeitsfinder's answers promise): for the application
    intake, which asks the same question for every application to a Gemeinde."""
    return recent(
        f"openamt:finding:{service.pk}:{region.pk}:{timezone.localdate().isoformat()}",
        lambda: responsibility_find(service=service, region=region),
    )


def responsibility_answer(*, service_query: str, place_query: str) -> Answer:
    """Answer "who is responsible for X in Y" for free text or keys."""
    return responsibility_answer_for(
        service=service_resolve(query=service_query), place_query=place_query
    )


def responsibility_answer_for(*, service: Service, place_query: str) -> Answer:
    """Who is responsible for a service at a place given as PLZ, name, AGS or ARS.

    A place that covers several Gemeinden needs no choice when they all
    have the same responsible authority (a PLZ inside one Landkreis asked
    about a Kreis service); otherwise the Gemeinden are offered as choices.
    """
    # Every Gemeinde of the place takes part in the "same answer?" check;
    # only the list offered for choosing is cut short.
    places = places_resolve(query=place_query, limit=MAX_AREA_GEMEINDEN)
    if not places:
        raise NotFound(f"Kein Ort passt zu „{place_query}“.")
    by_place = responsibility_find_many(service=service, regions=places)
    findings = [by_place[place.pk] for place in places]
    authorities = {finding.authority.pk if finding else None for finding in findings}
    if len(places) == 1 or len(authorities) == 1:
        return Answer(
            service=service,
            finding=findings[0],
            place=places[0] if len(places) == 1 else None,
            places=places,
        )
    return Answer(
        service=service,
        finding=None,
        place=None,
        choices=places[:MAX_PLACES],
        more_choices=max(0, len(places) - MAX_PLACES),
        places=places,
    )

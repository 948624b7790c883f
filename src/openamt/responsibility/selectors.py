"""Who is responsible for a service at a place: explicit entries, then rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone

from openamt.catalogue.models import Service
from openamt.catalogue.selectors import service_resolve
from openamt.core.errors import NotFound
from openamt.organisations.models import Authority
from openamt.organisations.selectors import authority_for_region
from openamt.regions.models import Region
from openamt.regions.selectors import places_resolve
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
    places: list[Region] = field(default_factory=list)  # every Gemeinde the place means


def _rule_keys(service: Service) -> list[str]:
    """The service's key, then its less detailed parents in the LeiKa hierarchy."""
    key = service.leika_key
    if not service.in_leika:
        return [key]
    return list(dict.fromkeys([key, key[:11] + "000", key[:8] + "000000"]))


def rule_for(*, service: Service) -> ResponsibilityRule | None:
    keys = _rule_keys(service)
    rules = {
        rule.service.leika_key: rule
        for rule in ResponsibilityRule.objects.filter(service__leika_key__in=keys).select_related(
            "service", "authority"
        )
    }
    return next((rules[key] for key in keys if key in rules), None)


def responsibility_find(
    *,
    service: Service,
    region: Region,
    on: date | None = None,
    rule: ResponsibilityRule | None = None,
) -> Finding | None:
    """The responsible authority for a service in a Gemeinde.

    An explicit entry whose area contains the Gemeinde wins (the most
    specific area first); otherwise the rule's level decides.
    """
    on = on or timezone.localdate()
    prefixes = [region.ars[:n] for n in range(2, len(region.ars) + 1)]
    entry = (
        Responsibility.objects.filter(
            service=service, area_ars__in=prefixes, role=ResponsibilityRole.RESPONSIBLE
        )
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("authority")
        .order_by(Length("area_ars").desc(), "pk")
        .first()
    )
    if entry is not None:
        return Finding(
            authority=entry.authority,
            source="entry",
            reason="Eintrag der Behörde",
            online_service_url=entry.online_service_url,
        )
    rule = rule or rule_for(service=service)
    if rule is None:
        return None
    if rule.level == AdministrativeLevel.LAND:
        authority = rule.authority
    else:
        administering = authority_for_region(region=region)
        authority = administering.get(
            "gemeinde" if rule.level == AdministrativeLevel.MUNICIPAL else "kreis"
        )
    if authority is None:
        return None
    return Finding(authority=authority, source="rule", reason=rule.reason)


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
    places = places_resolve(query=place_query)
    if not places:
        raise NotFound(f"Kein Ort passt zu „{place_query}“.")
    rule = rule_for(service=service)
    findings = [responsibility_find(service=service, region=place, rule=rule) for place in places]
    authorities = {finding.authority.pk if finding else None for finding in findings}
    if len(places) == 1 or len(authorities) == 1:
        return Answer(
            service=service,
            finding=findings[0],
            place=places[0] if len(places) == 1 else None,
            places=places,
        )
    return Answer(service=service, finding=None, place=None, choices=places, places=places)

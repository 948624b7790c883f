"""The database as an XZuFi `Document`: what a PVOG-style receiver needs.

Zuständigkeiten are exported as they take effect: the explicit entries and,
for every authority, the areas the rule table makes it responsible for (a
receiver knows no rules, only Zuständigkeiten). Areas are ARS prefixes, so a
Verwaltungsgemeinschaft is responsible for its Verband key, a Landratsamt
for its Kreis key.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings

from openamt.catalogue.models import Service, ServiceText
from openamt.organisations.constants import AuthorityKind
from openamt.organisations.models import Authority
from openamt.regions.constants import Level
from openamt.responsibility.constants import AdministrativeLevel, ResponsibilityRole
from openamt.responsibility.models import Responsibility, ResponsibilityRule
from openamt.responsibility.selectors import rule_keys
from openamt.responsibility.xzufi import model as m

_Group = tuple[str, str, date | None, date | None]  # leika_key, role, valid from, until


def _rule_areas(authorities: Iterable[Authority]) -> dict[int, dict[str, str]]:
    """Per authority (pk): the area it administers per rule level, as
    `authorities_for_regions` assigns them."""
    areas: dict[int, dict[str, str]] = {}
    for authority in authorities:
        unit = authority.register_region
        if unit is None or unit.valid_until is not None:
            continue
        if unit.level == Level.VERBAND:
            areas[authority.pk] = {"gemeinde": unit.ars}
            if authority.kind == AuthorityKind.KREISFREIE_STADT:
                areas[authority.pk]["kreis"] = unit.ars[:5]
        elif unit.level == Level.KREIS:
            areas[authority.pk] = {"kreis": unit.ars}
    return areas


def rule_zustaendigkeiten(
    *, authorities: Iterable[Authority], services: Iterable[Service]
) -> dict[tuple[int, str], set[str]]:
    """(authority pk, leika_key) -> the areas the rule table makes it responsible for."""
    rules = {r.service.leika_key: r for r in ResponsibilityRule.objects.select_related("service")}
    areas = _rule_areas(authorities)
    result: dict[tuple[int, str], set[str]] = defaultdict(set)
    for service in services:
        rule = next((rules[key] for key in rule_keys(service) if key in rules), None)
        if rule is None:
            continue
        if rule.level == AdministrativeLevel.LAND:
            if rule.authority_id:
                result[(rule.authority_id, service.leika_key)].add(settings.OPENAMT_LAND_ARS)
            continue
        level = "gemeinde" if rule.level == AdministrativeLevel.MUNICIPAL else "kreis"
        for pk, found in areas.items():
            if level in found:
                result[(pk, service.leika_key)].add(found[level])
    return result


def _sorted(groups: dict[_Group, set[str]]) -> tuple[m.Zustaendigkeit, ...]:
    return tuple(
        m.Zustaendigkeit(
            leistung=key, gebiete=tuple(sorted(areas)), role=role, valid_from=start, valid_until=end
        )
        for (key, role, start, end), areas in sorted(
            groups.items(),
            key=lambda item: (item[0][0], item[0][1], str(item[0][2]), str(item[0][3])),
        )
    )


def _texts(text: ServiceText | None, legal_basis: str = "") -> m.Texts:
    values = {name: getattr(text, name) for name in m.TEXT_FIELDS} if text else {}
    return m.Texts(**{**values, "legal_basis": values.get("legal_basis") or legal_basis})


def onlinedienst_id(url: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, url))


def collect_document() -> m.Document:
    """Every service, authority, Zuständigkeit, online service and specialisation."""
    services = list(
        Service.objects.select_related("ozg_service")
        .prefetch_related("terms")
        .order_by("leika_key")
    )
    names = {s.leika_key: s.name for s in services}
    texts = ServiceText.objects.select_related("service", "authority")
    land_texts = {t.service_id: t for t in texts if t.authority_id is None}
    document = m.Document()
    for service in services:
        ozg = service.ozg_service
        document.leistungen.append(
            m.Leistung(
                key=service.leika_key,
                name=service.name,
                in_leika=service.in_leika,
                typisierung=m.typisierung_codes(service.typisierung),
                texts=_texts(land_texts.get(service.pk), service.legal_basis),
                terms=tuple(sorted((t.kind, t.term) for t in service.terms.all())),
                ozg=m.Ozg(ozg.ozg_id, ozg.name, ozg.lebenslage, ozg.themenfeld) if ozg else None,
            )
        )

    authorities = list(
        Authority.objects.select_related("register_region").order_by(
            "name_folded", "destination_id"
        )
    )
    groups: dict[int, dict[_Group, set[str]]] = defaultdict(lambda: defaultdict(set))
    for (pk, key), areas in rule_zustaendigkeiten(
        authorities=authorities, services=services
    ).items():
        groups[pk][(key, ResponsibilityRole.RESPONSIBLE, None, None)] |= areas
    online: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for entry in Responsibility.objects.select_related("service"):
        key = entry.service.leika_key
        groups[entry.authority_id][(key, entry.role, entry.valid_from, entry.valid_until)].add(
            entry.area_ars
        )
        if entry.online_service_url:
            online[entry.online_service_url][key].add(entry.area_ars)

    for authority in authorities:
        document.organisationseinheiten.append(
            m.Organisationseinheit(
                id=str(authority.destination_id),
                name=authority.name,
                kind=authority.kind,
                register_ars=authority.register_region.ars if authority.register_region else "",
                street=authority.street,
                postcode=authority.postcode,
                city=authority.city,
                phone=authority.phone,
                email=authority.email,
                website=authority.website,
                opening_hours=tuple(
                    m.OpeningPeriod(int(p["day"]), p["opens"], p["closes"], p.get("note", ""))
                    for p in authority.opening_hours
                ),
                leitweg_id=authority.leitweg_id,
                iban=authority.iban,
                bic=authority.bic,
                account_holder=authority.account_holder,
                zustaendigkeiten=_sorted(groups.get(authority.pk, {})),
            )
        )
    for url in sorted(online):
        by_service = online[url]
        document.onlinedienste.append(
            m.Onlinedienst(
                id=onlinedienst_id(url),
                name="; ".join(names[key] for key in sorted(by_service)),
                url=url,
                zustaendigkeiten=tuple(
                    m.Zustaendigkeit(leistung=key, gebiete=tuple(sorted(areas)))
                    for key, areas in sorted(by_service.items())
                ),
            )
        )
    document.spezialisierungen = sorted(
        (
            m.Spezialisierung(
                leistung=t.service.leika_key,
                organisationseinheit=str(t.authority.destination_id),
                texts=_texts(t),
            )
            for t in texts
            if t.authority is not None
        ),
        key=lambda spec: (spec.leistung, spec.organisationseinheit),
    )
    return document

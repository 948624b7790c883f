"""An XZuFi `Document` into the database, in one transaction, idempotently.

Each `schreibe` object states its object's current data, so services and
authorities take the document's values. Zuständigkeiten are added or updated,
never deleted. A Zuständigkeit the rule table already gives is not stored
again: importing the platform's own export must not freeze today's rules
into entries that would override tomorrow's.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.db import transaction

from openamt.accounts.models import User
from openamt.catalogue import search
from openamt.catalogue.constants import TermKind
from openamt.catalogue.models import OzgService, Service, ServiceTerm, ServiceText
from openamt.core.audit import audit_changes, audit_record
from openamt.core.errors import DomainError, InvalidInput
from openamt.core.imports import ImportSummary
from openamt.core.text import fold
from openamt.organisations.constants import AuthorityKind
from openamt.organisations.models import Authority
from openamt.organisations.services import EDITABLE_FIELDS, served_regions
from openamt.organisations.validators import (
    validate_iban,
    validate_leitweg_id,
    validate_opening_hours,
)
from openamt.regions.constants import Level
from openamt.regions.models import Region
from openamt.responsibility.models import Responsibility
from openamt.responsibility.xzufi import model as m
from openamt.responsibility.xzufi.collect import rule_zustaendigkeiten

_AUTHORITY_FIELDS = ["name", "kind", *EDITABLE_FIELDS]
_LAND_TEXT_FIELDS = [f for f in m.TEXT_FIELDS if f != "legal_basis"]


def _destination(oe_id: str) -> uuid.UUID:
    """OpenAmt's own ids are UUIDs; another system's id maps to a stable one."""
    try:
        return uuid.UUID(oe_id)
    except ValueError:
        return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:xzufi:organisationseinheit:{oe_id}")


def _ozg(leistungen: list[m.Leistung], summary: ImportSummary) -> dict[int, OzgService]:
    wanted = {le.ozg.ozg_id: le.ozg for le in leistungen if le.ozg}
    existing = {o.ozg_id: o for o in OzgService.objects.filter(ozg_id__in=wanted)}
    for ozg_id, ozg in wanted.items():
        values = {"name": ozg.name, "lebenslage": ozg.lebenslage, "themenfeld": ozg.themenfeld}
        current = existing.get(ozg_id)
        if current is None:
            existing[ozg_id] = OzgService.objects.create(ozg_id=ozg_id, **values)
            summary.created["ozg-leistung"] += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            OzgService.objects.filter(pk=current.pk).update(**values)
            summary.updated["ozg-leistung"] += 1
    return existing


def _leistungen(leistungen: list[m.Leistung], summary: ImportSummary) -> dict[str, Service]:
    ozg = _ozg(leistungen, summary)
    services = {
        s.leika_key: s for s in Service.objects.filter(leika_key__in=[le.key for le in leistungen])
    }
    land_texts = {t.service_id: t for t in ServiceText.objects.filter(authority__isnull=True)}
    touched: set[str] = set()
    for le in leistungen:
        values: dict[str, Any] = {
            "name": le.name,
            "name_folded": fold(le.name),
            "in_leika": le.in_leika,
            "typisierung": ", ".join(le.typisierung),  # as the LeiKa list writes it
            "ozg_service_id": ozg[le.ozg.ozg_id].pk if le.ozg else None,
        }
        service = services.get(le.key)
        land = land_texts.get(service.pk) if service else None
        if service and m.typisierung_codes(service.typisierung) == le.typisierung:
            values["typisierung"] = service.typisierung
        if service is None:
            services[le.key] = Service.objects.create(
                leika_key=le.key, legal_basis=le.texts.legal_basis, **values
            )
            summary.created["leistung"] += 1
            touched.add(le.key)
        elif any(getattr(service, k) != v for k, v in values.items()):
            Service.objects.filter(pk=service.pk).update(**values)
            summary.updated["leistung"] += 1
            touched.add(le.key)
        else:
            summary.unchanged["leistung"] += 1
        service = services[le.key]
        # The catalogue's legal basis stays; a different one is the Land's text.
        text_values = {f: getattr(le.texts, f) for f in _LAND_TEXT_FIELDS}
        if le.texts.legal_basis != ((land.legal_basis if land else "") or service.legal_basis):
            text_values["legal_basis"] = le.texts.legal_basis
        if land is None and any(text_values.values()):
            ServiceText.objects.create(service=service, **text_values)
            summary.created["leistungsbeschreibung"] += 1
        elif land is not None and any(getattr(land, k) != v for k, v in text_values.items()):
            ServiceText.objects.filter(pk=land.pk).update(**text_values)
            summary.updated["leistungsbeschreibung"] += 1
        for kind, term in le.terms:
            _, created = ServiceTerm.objects.get_or_create(
                service=service,
                term_folded=fold(term),
                defaults={
                    "term": term,
                    "kind": kind if kind in TermKind.values else TermKind.KEYWORD,
                },
            )
            if created:
                summary.created["suchbegriff"] += 1
                touched.add(le.key)
    if touched:
        search.index_rebuild()
    return services


def _authority_values(oe: m.Organisationseinheit, unit: Region | None) -> dict[str, Any]:
    kind = oe.kind
    if not kind:  # another system's Organisationseinheit: its register unit tells
        by_level: dict[str, str] = {
            Level.KREIS: AuthorityKind.LANDRATSAMT,
            Level.VERBAND: AuthorityKind.GEMEINDEVERWALTUNG,
        }
        kind = by_level.get(unit.level if unit else "", AuthorityKind.LANDESBEHOERDE)
    if kind not in AuthorityKind.values:
        raise InvalidInput(f"Organisationseinheit „{oe.name}“: unbekannte Behördenart „{kind}“.")
    try:
        return {
            "name": oe.name,
            "kind": kind,
            "street": oe.street,
            "postcode": oe.postcode,
            "city": oe.city,
            "phone": oe.phone,
            "email": oe.email,
            "website": oe.website,
            "opening_hours": validate_opening_hours(
                [
                    {"day": p.day, "opens": p.opens, "closes": p.closes, "note": p.note}
                    for p in oe.opening_hours
                ]
            ),
            "leitweg_id": validate_leitweg_id(oe.leitweg_id) if oe.leitweg_id else "",
            "iban": validate_iban(oe.iban) if oe.iban else "",
            "bic": oe.bic,
            "account_holder": oe.account_holder,
        }
    except DomainError as error:
        raise InvalidInput(f"Organisationseinheit „{oe.name}“: {error.message}") from None


def _organisationseinheiten(
    oes: list[m.Organisationseinheit], actor: User | None, summary: ImportSummary
) -> dict[str, Authority]:
    units = {
        r.ars: r
        for r in Region.objects.active().filter(
            ars__in=[oe.register_ars for oe in oes if oe.register_ars]
        )
    }
    by_destination = {
        a.destination_id: a
        for a in Authority.objects.filter(destination_id__in=[_destination(oe.id) for oe in oes])
    }
    by_unit = {
        a.register_region_id: a
        for a in Authority.objects.filter(register_region__in=units.values())
    }
    result: dict[str, Authority] = {}
    for oe in oes:
        unit = units.get(oe.register_ars)
        if oe.register_ars and unit is None:
            raise InvalidInput(
                f"Organisationseinheit „{oe.name}“: Gebiet {oe.register_ars} fehlt im Gemeindeverzeichnis."
            )
        values = _authority_values(oe, unit)
        authority = by_destination.get(_destination(oe.id)) or (
            by_unit.get(unit.pk) if unit else None
        )
        if authority is None:
            authority = Authority.objects.create(
                destination_id=_destination(oe.id),
                register_region=unit,
                name_folded=fold(oe.name),
                **values,
            )
            if unit is not None:
                kreis = Region.objects.active().filter(ars=unit.ars[:5], level=Level.KREIS).first()
                authority.regions.set(served_regions(unit=unit, kind=authority.kind, kreis=kreis))
            audit_record(
                actor=actor,
                action="authority.create",
                target=authority,
                authority_id=authority.pk,
                changes={"name": oe.name, "kind": authority.kind, "source": "xzufi"},
            )
            summary.created["organisationseinheit"] += 1
        else:
            before = {name: getattr(authority, name) for name in _AUTHORITY_FIELDS}
            for name, value in values.items():
                setattr(authority, name, value)
            changes = audit_changes(authority, before, _AUTHORITY_FIELDS)
            if changes:
                authority.name_folded = fold(authority.name)
                authority.save()
                audit_record(
                    actor=actor,
                    action="authority.update",
                    target=authority,
                    authority_id=authority.pk,
                    changes={**changes, "source": "xzufi"},
                )
                summary.updated["organisationseinheit"] += 1
            else:
                summary.unchanged["organisationseinheit"] += 1
        result[oe.id] = authority
    return result


def _online_urls(document: m.Document, summary: ImportSummary) -> dict[tuple[str, str], str]:
    """(leika_key, area) -> the online service offered there."""
    urls: dict[tuple[str, str], str] = {}
    for od in sorted(document.onlinedienste, key=lambda od: od.url):
        for z in od.zustaendigkeiten:
            for area in z.gebiete:
                if urls.setdefault((z.leistung, area), od.url) != od.url:
                    summary.notes.append(
                        f"Leistung {z.leistung}, Gebiet {area}: mehrere Onlinedienste, {urls[(z.leistung, area)]} gilt"
                    )
    return urls


def _zustaendigkeiten(
    document: m.Document,
    services: dict[str, Service],
    authorities: dict[str, Authority],
    actor: User | None,
    summary: ImportSummary,
) -> None:
    wanted = {z.leistung for oe in document.organisationseinheiten for z in oe.zustaendigkeiten}
    services.update(
        {s.leika_key: s for s in Service.objects.filter(leika_key__in=wanted - services.keys())}
    )
    missing = sorted(wanted - services.keys())
    if missing:
        raise InvalidInput(f"Leistung {missing[0]} fehlt im Katalog (und im Dokument).")
    urls = _online_urls(document, summary)
    by_rule = rule_zustaendigkeiten(
        authorities=authorities.values(), services=[services[k] for k in wanted]
    )
    existing = {
        (e.service_id, e.authority_id, e.area_ars, e.role): e
        for e in Responsibility.objects.filter(authority__in=authorities.values())
    }
    for oe in document.organisationseinheiten:
        authority = authorities[oe.id]
        counts: Counter[str] = Counter()
        for z in oe.zustaendigkeiten:
            service = services[z.leistung]
            for area in z.gebiete:
                values = {
                    "online_service_url": urls.get((z.leistung, area), ""),
                    "valid_from": z.valid_from,
                    "valid_until": z.valid_until,
                }
                entry = existing.get((service.pk, authority.pk, area, z.role))
                covered = area in by_rule.get((authority.pk, z.leistung), set())
                if (
                    entry is None
                    and covered
                    and not any(values.values())
                    and z.role == "zustaendig"
                ):
                    summary.skipped["durch Regel abgedeckt"] += 1
                    continue
                if entry is None:
                    Responsibility.objects.create(
                        service=service, authority=authority, area_ars=area, role=z.role, **values
                    )
                    counts["created"] += 1
                elif any(getattr(entry, k) != v for k, v in values.items()):
                    Responsibility.objects.filter(pk=entry.pk).update(**values)
                    counts["updated"] += 1
                else:
                    summary.unchanged["zuständigkeit"] += 1
        summary.created["zuständigkeit"] += counts["created"]
        summary.updated["zuständigkeit"] += counts["updated"]
        if counts.total():
            audit_record(
                actor=actor,
                action="responsibility.import",
                target=authority,
                authority_id=authority.pk,
                changes={**counts, "source": "xzufi"},
            )


def _spezialisierungen(
    document: m.Document,
    services: dict[str, Service],
    authorities: dict[str, Authority],
    summary: ImportSummary,
) -> None:
    for spec in document.spezialisierungen:
        service = (
            services.get(spec.leistung) or Service.objects.filter(leika_key=spec.leistung).first()
        )
        authority = (
            authorities.get(spec.organisationseinheit)
            or Authority.objects.filter(
                destination_id=_destination(spec.organisationseinheit)
            ).first()
        )
        if service is None or authority is None:
            summary.skipped["spezialisierung ohne Leistung/Behörde"] += 1
            continue
        values = {f: getattr(spec.texts, f) for f in m.TEXT_FIELDS}
        text, created = ServiceText.objects.get_or_create(
            service=service, authority=authority, defaults=values
        )
        if created:
            summary.created["spezialisierung"] += 1
        elif any(getattr(text, k) != v for k, v in values.items()):
            ServiceText.objects.filter(pk=text.pk).update(**values)
            summary.updated["spezialisierung"] += 1
        else:
            summary.unchanged["spezialisierung"] += 1


@transaction.atomic
def xzufi_import(*, document: m.Document, actor: User | None = None) -> ImportSummary:
    """Write an XZuFi document's services, authorities, Zuständigkeiten,
    online services and specialisations; all or nothing."""
    summary = ImportSummary()
    services = _leistungen(document.leistungen, summary)
    authorities = _organisationseinheiten(document.organisationseinheiten, actor, summary)
    _zustaendigkeiten(document, services, authorities, actor, summary)
    _spezialisierungen(document, services, authorities, summary)
    return summary

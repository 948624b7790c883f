"""Writes to the service catalogue."""

import csv
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.db import transaction

from openamt.accounts.models import User
from openamt.catalogue import search
from openamt.catalogue.constants import TEXT_FIELDS, TermKind
from openamt.catalogue.importers.leika import CatalogueRow, OzgRow
from openamt.catalogue.models import OzgService, Service, ServiceTerm, ServiceText
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.core.imports import ImportSummary, Progress
from openamt.core.text import fold
from openamt.organisations import permissions
from openamt.organisations.models import Authority

DEFAULT_TERMS = Path(__file__).parent / "data" / "terms_thueringen.csv"
DEFAULT_TEXTS = Path(__file__).parent / "data" / "texts_thueringen.json"

_SERVICE_FIELDS = ["name", "in_leika", "typisierung", "ozg_service_id", "legal_basis", "laws"]


def _sync_ozg(rows: Iterable[OzgRow], summary: ImportSummary) -> dict[int, OzgService]:
    existing = {o.ozg_id: o for o in OzgService.objects.all()}
    wanted: dict[int, OzgRow] = {}
    for row in rows:
        wanted.setdefault(row.ozg_id, row)
    to_create, to_update = [], []
    for ozg_id, row in wanted.items():
        values = {"name": row.name, "lebenslage": row.lebenslage, "themenfeld": row.themenfeld}
        current = existing.get(ozg_id)
        if current is None:
            to_create.append(OzgService(ozg_id=ozg_id, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            to_update.append(current)
        else:
            summary.unchanged["ozg-leistung"] += 1
    OzgService.objects.bulk_create(to_create)
    OzgService.objects.bulk_update(to_update, ["name", "lebenslage", "themenfeld"])
    summary.created["ozg-leistung"] += len(to_create)
    summary.updated["ozg-leistung"] += len(to_update)
    return {o.ozg_id: o for o in OzgService.objects.all()}


@transaction.atomic
def services_import(
    *,
    rows: Iterable[CatalogueRow],
    ozg_rows: Iterable[OzgRow] = (),
    progress: Progress | None = None,
) -> ImportSummary:
    """Bring the catalogue up to one edition of the LeiKa/OZG list, idempotently.

    Rows with a malformed Leistungsschlüssel are skipped and listed (the
    published list carries a few test entries); services missing from a
    newer edition stay, because responsibilities and forms refer to them.
    """
    summary = ImportSummary()
    rows = list(rows)
    ozg_by_id = _sync_ozg([*ozg_rows, *(row.ozg for row in rows if row.ozg)], summary)
    existing = {s.leika_key: s for s in Service.objects.all()}
    seen: dict[str, int] = {}
    to_create, to_update = [], []
    for row in rows:
        if progress:
            progress(1)
        if not row.leika_key:
            summary.skipped["ungültiger Leistungsschlüssel"] += 1
            summary.notes.append(f"Zeile {row.line}: „{row.name}“ ohne gültigen Schlüssel")
            continue
        if row.leika_key in seen:
            summary.skipped["doppelt"] += 1
            summary.notes.append(f"Zeile {row.line}: doppelt zu Zeile {seen[row.leika_key]}")
            continue
        seen[row.leika_key] = row.line
        values = {
            "name": row.name,
            "in_leika": row.in_leika,
            "typisierung": row.typisierung,
            "ozg_service_id": ozg_by_id[row.ozg.ozg_id].pk if row.ozg else None,
            "legal_basis": row.legal_basis,
            "laws": row.laws,
        }
        service = existing.get(row.leika_key)
        if service is None:
            to_create.append(Service(leika_key=row.leika_key, name_folded=fold(row.name), **values))
        elif any(getattr(service, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(service, key, value)
            service.name_folded = fold(row.name)
            to_update.append(service)
        else:
            summary.unchanged["leistung"] += 1
    Service.objects.bulk_create(to_create, batch_size=1000)
    Service.objects.bulk_update(to_update, [*_SERVICE_FIELDS, "name_folded"], batch_size=1000)
    summary.created["leistung"] += len(to_create)
    summary.updated["leistung"] += len(to_update)
    search.index_rebuild()
    gone = existing.keys() - seen.keys()
    if gone:
        summary.notes.append(f"{len(gone)} Leistungen fehlen in dieser Ausgabe (bleiben erhalten).")
    return summary


def service_rows(path: Path) -> Iterator[tuple[Service, dict[str, str]]]:
    """Rows of a project data CSV keyed by `leika_key`, with their service;
    a key missing from the catalogue is an error naming file and line."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    keys = [row["leika_key"] for row in rows]
    services = {s.leika_key: s for s in Service.objects.filter(leika_key__in=keys)}
    for number, row in enumerate(rows, start=2):
        service = services.get(row["leika_key"])
        if service is None:
            raise InvalidInput(
                f"{path.name}, Zeile {number}: Leistung {row['leika_key']} fehlt im Katalog."
            )
        yield service, row


@transaction.atomic
def terms_load(*, path: Path = DEFAULT_TERMS) -> Counter[str]:
    """Search terms and popularity of common services (CSV: leika_key, popularity, terms)."""
    counts: Counter[str] = Counter()
    touched = []
    for service, row in service_rows(path):
        popularity = int(row["popularity"])
        if service.popularity != popularity:
            service.popularity = popularity
            service.save(update_fields=["popularity"])
            counts["popularity"] += 1
        for term in filter(None, (t.strip() for t in row["terms"].split(";"))):
            _, created = ServiceTerm.objects.get_or_create(
                service=service,
                term_folded=fold(term),
                defaults={"term": term, "kind": TermKind.KEYWORD},
            )
            counts["terms created" if created else "terms unchanged"] += 1
        touched.append(service.pk)
    search.index_rebuild(touched)
    return counts


@transaction.atomic
def service_term_add(
    *, actor: User, service: Service, term: str, kind: str = TermKind.SYNONYM
) -> ServiceTerm:
    """A Land admin adds a synonym or keyword; the search index follows at once."""
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt Suchbegriffe.")
    term = term.strip()
    if not 2 <= len(term) <= 120:
        raise InvalidInput("Ein Suchbegriff hat 2 bis 120 Zeichen.", field="term")
    entry, created = ServiceTerm.objects.get_or_create(
        service=service, term_folded=fold(term), defaults={"term": term, "kind": TermKind(kind)}
    )
    if created:
        audit_record(
            actor=actor,
            action="service_term.add",
            target=entry,
            changes={"service": service.leika_key, "term": term},
        )
        search.index_rebuild([service.pk])
    return entry


@transaction.atomic
def service_term_remove(*, actor: User, term: ServiceTerm) -> None:
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt Suchbegriffe.")
    audit_record(
        actor=actor,
        action="service_term.remove",
        target=term,
        changes={"service": term.service.leika_key, "term": term.term},
    )
    service_id = term.service_id
    term.delete()
    search.index_rebuild([service_id])


TEXT_NAMES = [name for name, _label in TEXT_FIELDS]
MAX_TEXT = 10_000


@transaction.atomic
def texts_load(*, path: Path = DEFAULT_TEXTS) -> Counter[str]:
    """The Land's starting texts of the services the shipped forms serve (JSON:
    {leika_key: {text field: text}}). A service that has a Land text already
    keeps it untouched: once loaded, the texts are the Land's to edit, and
    re-running (`make data`) changes nothing. Raises InvalidInput for a key
    missing from the catalogue or a field that is not a service text."""
    data = json.loads(path.read_text(encoding="utf-8"))
    services = {s.leika_key: s for s in Service.objects.filter(leika_key__in=list(data))}
    have_text = set(
        ServiceText.objects.filter(
            service__in=services.values(), authority__isnull=True
        ).values_list("service__leika_key", flat=True)
    )
    counts: Counter[str] = Counter()
    for leika_key, fields in data.items():
        if leika_key not in services:
            raise InvalidInput(f"{path.name}: Leistung {leika_key} fehlt im Katalog.")
        unknown = set(fields) - set(TEXT_NAMES)
        if unknown:
            raise InvalidInput(f"{path.name}, {leika_key}: unbekannte Felder {sorted(unknown)}.")
        if leika_key in have_text:
            counts["texts kept"] += 1
            continue
        text = ServiceText.objects.create(
            service=services[leika_key], authority=None, **{k: v.strip() for k, v in fields.items()}
        )
        audit_record(
            actor=None,
            action="service_text.load",
            target=text,
            changes={"service": leika_key, "source": path.name},
        )
        counts["texts created"] += 1
    return counts


@transaction.atomic
def service_text_save(
    *, actor: User, service: Service, authority: Authority | None, data: dict[str, str]
) -> ServiceText | None:
    """The Land's texts of a service (authority None) or an authority's
    specialisation, which wins field by field. Emptying every field of a
    specialisation removes it: the Land's text applies again."""
    allowed = (
        permissions.is_land_admin(actor)
        if authority is None
        else permissions.can_change_authority(actor, authority.pk)
    )
    if not allowed:
        raise PermissionDenied("Sie dürfen diese Leistungsbeschreibung nicht ändern.")
    unknown = set(data) - set(TEXT_NAMES)
    if unknown:
        raise InvalidInput(f"Nicht änderbare Felder: {', '.join(sorted(unknown))}.")
    cleaned = {name: data.get(name, "").strip() for name in TEXT_NAMES}
    for name, value in cleaned.items():
        if len(value) > MAX_TEXT:
            raise InvalidInput(f"Höchstens {MAX_TEXT:,} Zeichen.".replace(",", "."), field=name)
    text = (
        ServiceText.objects.select_for_update().filter(service=service, authority=authority).first()
    )
    before = {name: getattr(text, name) if text else "" for name in TEXT_NAMES}
    changes = {
        name: [before[name], value] for name, value in cleaned.items() if before[name] != value
    }
    if not changes:
        return text
    authority_id = authority.pk if authority else None
    if text is not None and authority is not None and not any(cleaned.values()):
        audit_record(
            actor=actor,
            action="service_text.remove",
            target=text,
            authority_id=authority_id,
            changes=changes,
        )
        text.delete()
        return None
    if text is None:
        text = ServiceText.objects.create(service=service, authority=authority, **cleaned)
    else:
        for name, value in cleaned.items():
            setattr(text, name, value)
        text.save()
    audit_record(
        actor=actor,
        action="service_text.update",
        target=text,
        authority_id=authority_id,
        changes={"service": service.leika_key, **changes},
    )
    return text

"""Writes to the responsibility rules and entries. Every change is audited."""

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from openamt.accounts.models import User
from openamt.catalogue.models import Service
from openamt.catalogue.services import service_rows
from openamt.core.audit import audit_record
from openamt.core.errors import InvalidInput, PermissionDenied
from openamt.organisations import permissions
from openamt.organisations.models import Authority
from openamt.responsibility.constants import AdministrativeLevel
from openamt.responsibility.models import Responsibility, ResponsibilityRule

DEFAULT_RULES = Path(__file__).parent / "data" / "rules_thueringen.csv"


@transaction.atomic
def rules_load(*, path: Path = DEFAULT_RULES, actor: User | None = None) -> Counter[str]:
    """Create or update the rule table from a CSV (leika_key, level, reason)."""
    existing = {r.service_id: r for r in ResponsibilityRule.objects.all()}
    counts: Counter[str] = Counter()
    for service, row in service_rows(path):
        level = AdministrativeLevel(row["level"])
        rule = existing.get(service.pk)
        if rule is None:
            rule = ResponsibilityRule.objects.create(
                service=service, level=level, reason=row["reason"]
            )
            audit_record(actor=actor, action="rule.create", target=rule, changes={"level": level})
            counts["created"] += 1
        elif (rule.level, rule.reason) != (level, row["reason"]):
            changes = {"level": [rule.level, level], "reason": [rule.reason, row["reason"]]}
            rule.level, rule.reason = level, row["reason"]
            rule.save()
            audit_record(actor=actor, action="rule.update", target=rule, changes=changes)
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


@transaction.atomic
def rule_save(
    *,
    actor: User,
    service: Service,
    level: str,
    reason: str,
    authority: Authority | None = None,
) -> ResponsibilityRule:
    """A Land admin sets the level Thuringian law assigns a service to (new or changed)."""
    if not permissions.is_land_admin(actor):
        raise PermissionDenied("Nur die Landesadministration pflegt die Zuständigkeitsregeln.")
    if level not in AdministrativeLevel.values:
        raise InvalidInput("Bitte eine Verwaltungsebene wählen.", field="level")
    reason = reason.strip()
    if not 5 <= len(reason) <= 300:
        raise InvalidInput(
            "Die Begründung (z. B. die Rechtsgrundlage) hat 5 bis 300 Zeichen.", field="reason"
        )
    if level == AdministrativeLevel.LAND and authority is None:
        raise InvalidInput(
            "Für eine Landesaufgabe bitte die Landesbehörde wählen.", field="authority"
        )
    if level != AdministrativeLevel.LAND:
        authority = None
    rule = ResponsibilityRule.objects.select_for_update().filter(service=service).first()
    if rule is None:
        rule = ResponsibilityRule.objects.create(
            service=service, level=level, reason=reason, authority=authority
        )
        audit_record(
            actor=actor,
            action="rule.create",
            target=rule,
            changes={"service": service.leika_key, "level": level, "reason": reason},
        )
        return rule
    before = {"level": rule.level, "reason": rule.reason, "authority": rule.authority_id}
    after = {"level": level, "reason": reason, "authority": authority.pk if authority else None}
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if changes:
        rule.level, rule.reason, rule.authority = level, reason, authority
        rule.save()
        audit_record(actor=actor, action="rule.update", target=rule, changes=changes)
    return rule


def _within_own_area(authority: Authority, area: str) -> bool:
    """Authority staff may only claim areas inside the regions their authority serves."""
    return any(area.startswith(ars) for ars in authority.regions.values_list("ars", flat=True))


def _may_edit_entries(actor: User, authority: Authority) -> bool:
    return permissions.can_change_authority(actor, authority.pk)


@transaction.atomic
def responsibility_create(
    *, actor: User, authority: Authority, data: dict[str, Any]
) -> Responsibility:
    """An authority's own Zuständigkeit entry (overrides the rule in its area)."""
    if not _may_edit_entries(actor, authority):
        raise PermissionDenied("Sie dürfen für diese Behörde keine Zuständigkeiten pflegen.")
    area = str(data.get("area_ars", ""))
    if not (area.isascii() and area.isdigit() and 2 <= len(area) <= 12):
        raise InvalidInput(
            "Das Gebiet ist ein Regionalschlüssel mit 2 bis 12 Ziffern.", field="area_ars"
        )
    land_wide = permissions.is_land_admin(actor)
    if not land_wide and not _within_own_area(authority, area):
        raise InvalidInput(
            "Das Gebiet muss im Zuständigkeitsgebiet Ihrer Behörde liegen; "
            "größere Gebiete trägt das Land ein.",
            field="area_ars",
        )
    valid_from, valid_until = data.get("valid_from"), data.get("valid_until")
    if valid_from and valid_until and valid_until < valid_from:
        raise InvalidInput("„gültig bis“ liegt vor „gültig ab“.", field="valid_until")
    entry = Responsibility(authority=authority, **data)
    try:
        entry.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise InvalidInput(" ".join(messages), field=field) from None
    entry.save()
    audit_record(
        actor=actor,
        action="responsibility.create",
        target=entry,
        authority_id=authority.pk,
        changes={"service": entry.service.leika_key, "area_ars": area, "role": entry.role},
    )
    return entry


@transaction.atomic
def responsibility_delete(*, actor: User, entry: Responsibility) -> None:
    if not _may_edit_entries(actor, entry.authority):
        raise PermissionDenied("Sie dürfen diese Zuständigkeit nicht löschen.")
    audit_record(
        actor=actor,
        action="responsibility.delete",
        target=entry,
        authority_id=entry.authority_id,
        changes={"service": entry.service.leika_key, "area_ars": entry.area_ars},
    )
    entry.delete()

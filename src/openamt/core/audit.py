"""Writing and verifying the hash-chained audit log."""

import hashlib
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from openamt.core.models import AuditEntry

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer.
_CHAIN_LOCK_KEY = 7_311_420_016


def _digest(prev_hash: str, content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def _lock_chain() -> None:
    # Writers must append one at a time or two entries would share a parent.
    # SQLite serialises writers itself (IMMEDIATE transactions).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


# No savepoint: an error rolls back the caller's transaction anyway, and the chain
# lock is held until commit, so callers record last, just before committing.
@transaction.atomic(savepoint=False)
def audit_record(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    authority_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    _lock_chain()
    last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        authority_id=authority_id,
        changes=json.loads(json.dumps(changes or {}, default=str)),
        prev_hash=last or GENESIS_HASH,
    )
    entry.hash = _digest(entry.prev_hash, entry.content())
    entry.save(force_insert=True)
    return entry


def audit_verify() -> int | None:
    """Id of the first entry whose chain is broken, or None if the log is intact."""
    prev = GENESIS_HASH
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.prev_hash != prev or entry.hash != _digest(prev, entry.content()):
            return entry.id
        prev = entry.hash
    return None


def audit_changes(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict:
    """The fields whose value differs from `before`, as {field: [old, new]}."""
    changed = {}
    for name in fields:
        new = getattr(instance, name)
        if before.get(name) != new:
            changed[name] = [before.get(name), new]
    return changed

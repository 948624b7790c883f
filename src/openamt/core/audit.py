"""Writing and verifying the hash-chained audit log.

Each entry's hash is HMAC-SHA256 over the previous entry's hash and the
entry's content, under the audit key: `OPENAMT_AUDIT_KEY`, or a key derived
from SECRET_KEY where none is set (the same shape as the sealing key,
core/sealing.py). The key is never stored in the database, so whoever can
write the database can still delete or edit rows but cannot make a changed
chain verify again. Each entry names its key by a fingerprint (`key_id`);
earlier keys in `OPENAMT_AUDIT_OLD_KEYS` still verify what they made, so the
key can be rotated without touching stored entries.

Removing the newest entries leaves a shorter chain that is still intact;
signed checkpoints kept outside the database (core/audit_checkpoints.py)
catch that.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection, models, transaction
from django.dispatch import receiver
from django.utils import timezone

from openamt.core.models import AuditEntry

GENESIS_HASH = "0" * 64
# Any constant works; it only has to be the same for every writer.
_CHAIN_LOCK_KEY = 7_311_420_016
# Entries read per query while verifying: memory stays bounded on any log size.
_VERIFY_BATCH = 2000


def _derive(secret: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"openamt-audit").derive(
        secret.encode()
    )


def audit_key_id(key: bytes) -> str:
    """Public fingerprint (16 hex digits) of a derived audit key; reveals nothing of it."""
    return hmac.new(key, b"openamt-audit-key-id", hashlib.sha256).hexdigest()[:16]


@lru_cache(maxsize=1)
def _keys() -> tuple[tuple[str, bytes], dict[str, bytes]]:
    """(current key id and key, every known key by id) from the settings."""
    current = _derive(settings.OPENAMT_AUDIT_KEY or settings.SECRET_KEY)
    known = {audit_key_id(key): key for key in map(_derive, settings.OPENAMT_AUDIT_OLD_KEYS)}
    known[audit_key_id(current)] = current
    return (audit_key_id(current), current), known


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    if setting in {"OPENAMT_AUDIT_KEY", "OPENAMT_AUDIT_OLD_KEYS", "SECRET_KEY"}:
        _keys.cache_clear()


def audit_current_key_id() -> str:
    """Fingerprint of the key new entries are chained with."""
    return _keys()[0][0]


def _payload(content: dict[str, Any]) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def _digest(key: bytes, prev_hash: str, content: dict[str, Any]) -> str:
    return hmac.new(key, prev_hash.encode() + b"\n" + _payload(content), hashlib.sha256).hexdigest()


# Writers must append one at a time or two entries would share a parent; SQLite
# serialises writers itself (IMMEDIATE transactions). On PostgreSQL the chain lock
# is held until commit, so first the foreign-key checks it defers to the commit
# run now: their row locks (FOR KEY SHARE on each referenced row) are then taken
# before the chain lock, never while holding it, which would deadlock with a
# writer that locked such a row and waits for the chain. One round trip.
_LOCK_CHAIN_SQL = (
    "SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED; "
    f"SELECT pg_advisory_xact_lock({_CHAIN_LOCK_KEY:d})"
)


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_CHAIN_SQL)


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
    """Append one entry to the chain (two queries: the head's hash, the insert)."""
    _lock_chain()
    last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
    (key_id, key), _ = _keys()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        authority_id=authority_id,
        changes=json.loads(json.dumps(changes or {}, default=str)),
        prev_hash=last or GENESIS_HASH,
        key_id=key_id,
    )
    entry.hash = _digest(key, entry.prev_hash, entry.content())
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class ChainHead:
    """A point of the chain: the entry `entry_id` with `hash`, `count` entries up to it."""

    entry_id: int
    hash: str
    count: int


@dataclass(frozen=True)
class AuditBreak:
    """The first place where the chain does not verify.

    `entry_id`, `created_at` and `action` name the entry (None where the
    entry itself is gone); `problem` says in German what is wrong.
    """

    entry_id: int | None
    created_at: datetime | None
    action: str
    problem: str

    def __str__(self) -> str:
        if self.entry_id is None:
            return self.problem
        when = self.created_at.isoformat() if self.created_at else "?"
        return f"Eintrag {self.entry_id} ({when}, {self.action}): {self.problem}"


def _entries(after_id: int, upto_id: int) -> Iterator[AuditEntry]:
    # Keyset pages instead of one cursor: bounded memory on every database,
    # and nothing held open while a long log is read.
    while True:
        page = list(
            AuditEntry.objects.filter(id__gt=after_id, id__lte=upto_id).order_by("id")[
                :_VERIFY_BATCH
            ]
        )
        yield from page
        if len(page) < _VERIFY_BATCH:
            return
        after_id = page[-1].id


def _entry_break(entry: AuditEntry, prev_hash: str, known: dict[str, bytes]) -> str | None:
    key = known.get(entry.key_id)
    if key is None:
        if not entry.key_id:
            return "ohne Schlüssel verkettet (Hash nachträglich ohne den Audit-Schlüssel berechnet)"
        return f"mit unbekanntem Schlüssel {entry.key_id} verkettet (falscher Schlüssel)"
    if not hmac.compare_digest(entry.hash, _digest(key, entry.prev_hash, entry.content())):
        return "Inhalt oder Hash geändert"
    if entry.prev_hash != prev_hash:
        return "Vorgänger fehlt oder wurde geändert (Eintrag davor gelöscht?)"
    return None


def _start_break(start: ChainHead) -> AuditBreak | None:
    entry = AuditEntry.objects.filter(id=start.entry_id).first()
    if entry is None:
        return AuditBreak(
            None, None, "", f"Eintrag {start.entry_id} des letzten Prüfpunkts fehlt (gelöscht)"
        )
    problem = _entry_break(entry, entry.prev_hash, _keys()[1])
    if problem or entry.hash != start.hash:
        return AuditBreak(
            entry.id,
            entry.created_at,
            entry.action,
            problem or "Hash weicht vom letzten Prüfpunkt ab",
        )
    count = AuditEntry.objects.filter(id__lte=start.entry_id).count()
    if count != start.count:
        return AuditBreak(
            entry.id,
            entry.created_at,
            entry.action,
            f"bis hier {count} Einträge, der letzte Prüfpunkt zählte {start.count}",
        )
    return None


def audit_verify(
    *, start: ChainHead | None = None, checkpoint: ChainHead | None = None
) -> AuditBreak | None:
    """Check the chain from `start` (default: the beginning) to the current head.

    A `start` (a checkpoint's head) must itself still be in the log, unchanged
    and with as many entries up to it as then; entries after it are checked.

    Reads the log in pages of 2000 entries (bounded memory). Against
    `checkpoint` (a head recorded outside the database) it also checks that
    the entry at `checkpoint.entry_id` still exists with that hash and that
    exactly `checkpoint.count` entries lead up to it, so removing the newest
    entries or any entry before the checkpoint is found. Returns the first
    break, or None if the log is intact.
    """
    _, known = _keys()
    if start and (found := _start_break(start)):
        return found
    head_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    prev_hash, after_id, count = (
        (start.hash, start.entry_id, start.count) if start else (GENESIS_HASH, 0, 0)
    )
    last: AuditEntry | None = None
    for entry in _entries(after_id, head_id):
        problem = _entry_break(entry, prev_hash, known)
        count += 1
        if problem is None and checkpoint and entry.id >= checkpoint.entry_id > after_id:
            if entry.id > checkpoint.entry_id:
                problem = f"der Eintrag {checkpoint.entry_id} des letzten Prüfpunkts fehlt"
            elif entry.hash != checkpoint.hash:
                problem = "Hash weicht vom letzten Prüfpunkt ab"
            elif count != checkpoint.count:
                problem = (
                    f"bis hier {count} Einträge, der letzte Prüfpunkt zählte {checkpoint.count}"
                )
        if problem:
            return AuditBreak(entry.id, entry.created_at, entry.action, problem)
        prev_hash, after_id, last = entry.hash, entry.id, entry
    if checkpoint and after_id < checkpoint.entry_id:
        problem = (
            f"Einträge nach dem letzten vorhandenen fehlen: der letzte Prüfpunkt nennt Eintrag "
            f"{checkpoint.entry_id} als {checkpoint.count}. Eintrag, vorhanden sind {count}"
        )
        if last is None:
            return AuditBreak(None, None, "", problem)
        return AuditBreak(last.id, last.created_at, last.action, problem)
    return None


def audit_head() -> ChainHead | None:
    """The newest entry and the number of entries up to it, or None for an empty log.

    Entries get their id under the chain lock, which is held until commit, so
    no entry below the head can still appear: the count stays right.
    """
    with transaction.atomic():
        head = AuditEntry.objects.order_by("-id").values_list("id", "hash").first()
        if head is None:
            return None
        return ChainHead(head[0], head[1], AuditEntry.objects.filter(id__lte=head[0]).count())


def audit_changes(instance: models.Model, before: dict[str, Any], fields: list[str]) -> dict:
    """The fields whose value differs from `before`, as {field: [old, new]}."""
    changed = {}
    for name in fields:
        new = getattr(instance, name)
        if before.get(name) != new:
            changed[name] = [before.get(name), new]
    return changed

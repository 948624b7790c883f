"""Signed checkpoints of the audit log's head, kept outside the database.

A checkpoint records the newest entry (id, hash), the number of entries up to
it, the time and the audit key id, signed with the platform's signing key
(core/signing.py, RSA PS512) as a compact JWS: anyone with the public key set
can check it, nobody without the private key can make one. Each is written to
the structured log (logger `openamt.audit`) and to the storage named by
`OPENAMT_AUDIT_CHECKPOINT_STORAGE` under `audit-checkpoints/`. Verification
compares the chain against the newest one, so deleting the newest entries,
which leaves a shorter but intact chain, is found. Carries no personal data.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils import timezone
from joserfc import jws
from joserfc.errors import JoseError

from openamt.core.audit import AuditBreak, ChainHead, audit_current_key_id, audit_head, audit_verify
from openamt.core.errors import DomainError
from openamt.core.signing import ALGORITHM, sign, signing_key

PREFIX = "audit-checkpoints/"
CHECKPOINT_TYPE = "openamt-audit-checkpoint"

logger = logging.getLogger("openamt.audit")


class AuditChainBroken(DomainError):
    """The audit log does not verify; carries the first break."""

    code = "audit_chain_broken"
    status = 500
    title = "Das Revisionsprotokoll ist nicht unversehrt."

    def __init__(self, found: AuditBreak) -> None:
        super().__init__(str(found))
        self.found = found


@dataclass(frozen=True)
class Checkpoint:
    """A verified checkpoint: the head it records, when, under which audit key, stored where."""

    head: ChainHead
    time: datetime
    key_id: str
    name: str


def _storage() -> Storage:
    return storages[settings.OPENAMT_AUDIT_CHECKPOINT_STORAGE]


def _names() -> list[str]:
    try:
        _, files = _storage().listdir(PREFIX)
    except FileNotFoundError:
        return []
    # Names start with the UTC time, so they sort by age.
    return sorted(name for name in files if name.endswith(".jws"))


def _read(name: str) -> Checkpoint:
    with _storage().open(PREFIX + name) as handle:
        token = handle.read()
    token = token.decode() if isinstance(token, bytes) else token
    try:
        claims = json.loads(
            jws.deserialize_compact(token.strip(), signing_key(), algorithms=[ALGORITHM]).payload
        )
    except (JoseError, ValueError) as error:
        raise AuditChainBroken(
            AuditBreak(None, None, "", f"Prüfpunkt {name}: Signatur ungültig ({error})")
        ) from None
    if claims.get("typ") != CHECKPOINT_TYPE:
        raise AuditChainBroken(AuditBreak(None, None, "", f"Prüfpunkt {name}: kein Prüfpunkt"))
    return Checkpoint(
        head=ChainHead(claims["entry_id"], claims["hash"], claims["count"]),
        time=datetime.fromisoformat(claims["time"]),
        key_id=claims["key_id"],
        name=PREFIX + name,
    )


def checkpoint_newest() -> Checkpoint | None:
    """The newest stored checkpoint, its signature checked, or None if there is none.

    Raises AuditChainBroken if its signature or content does not verify.
    """
    names = _names()
    return _read(names[-1]) if names else None


def checkpoint_write(*, now: datetime | None = None) -> tuple[Checkpoint | None, bool]:
    """Check the entries since the newest checkpoint, then checkpoint the head.

    Returns (checkpoint, written): no new file when the head is the one the
    newest checkpoint already records, and None for an empty log. The work is
    bounded by the entries since the last checkpoint, so it can run every few
    minutes. Raises AuditChainBroken, writing nothing, if those entries (or
    the newest checkpoint) do not verify: a broken chain is never certified.
    """
    newest = checkpoint_newest()
    start = newest.head if newest else None
    found = audit_verify(start=start, checkpoint=start)
    if found:
        logger.error("audit chain broken", extra={"audit_break": str(found)})
        raise AuditChainBroken(found)
    head = audit_head()
    if head is None:
        return None, False
    if newest and newest.head == head:
        return newest, False
    time = (now or timezone.now()).astimezone(UTC)
    key_id = audit_current_key_id()
    token = sign(
        {
            "typ": CHECKPOINT_TYPE,
            "entry_id": head.entry_id,
            "hash": head.hash,
            "count": head.count,
            "time": time.isoformat(),
            "key_id": key_id,
        }
    )
    name = _storage().save(
        f"{PREFIX}{time:%Y%m%dT%H%M%S%fZ}-{head.entry_id}.jws", ContentFile(token.encode())
    )
    logger.info(
        "audit checkpoint",
        extra={
            "audit_entry_id": head.entry_id,
            "audit_hash": head.hash,
            "audit_count": head.count,
            "audit_checkpoint": name,
            "audit_checkpoint_jws": token,
        },
    )
    return Checkpoint(head=head, time=time, key_id=key_id, name=name), True


def audit_verify_all() -> tuple[AuditBreak | None, Checkpoint | None]:
    """The whole chain against the newest checkpoint: (first break or None, checkpoint used)."""
    try:
        newest = checkpoint_newest()
    except AuditChainBroken as error:
        return error.found, None
    return audit_verify(checkpoint=newest.head if newest else None), newest

"""Audit entries are chained with HMAC-SHA256 under the audit key; each names its key.

Entries written before were chained with plain SHA-256. No checkpoint or
other copy outside the database refers to their hashes, so their hashes
prove no more than that the chain is consistent. This migration checks that
consistency and then re-chains the intact entries under the current audit
key, in order, so that one rule (keyed) verifies the whole log and no
unkeyed entry is ever accepted. If the old chain is already broken, the
entries from the break on keep their old hashes and no key id: the break
stays visible to `openamt audit verify` exactly where it is.

The algorithms are copied here as they were when this ran (a migration must
not change with later code).
"""

import hashlib
import hmac
import json
import sys

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import migrations, models

GENESIS_HASH = "0" * 64
BATCH = 2000


def _payload(row):
    content = {
        "created_at": row.created_at.isoformat(),
        "actor_id": row.actor_id,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "authority_id": row.authority_id,
        "changes": row.changes,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def _key():
    secret = settings.OPENAMT_AUDIT_KEY or settings.SECRET_KEY
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"openamt-audit").derive(
        secret.encode()
    )
    return key, hmac.new(key, b"openamt-audit-key-id", hashlib.sha256).hexdigest()[:16]


def _guard(schema_editor, *, on):
    # The append-only triggers of 0002 refuse the re-chaining updates. On SQLite
    # adding the column rebuilt the table, which dropped its trigger anyway: it
    # is created again here in any case.
    if schema_editor.connection.vendor == "postgresql":
        verb = "ENABLE" if on else "DISABLE"
        schema_editor.execute(
            f"ALTER TABLE core_auditentry {verb} TRIGGER core_auditentry_no_change"
        )
    elif on:
        schema_editor.execute(
            """CREATE TRIGGER IF NOT EXISTS core_auditentry_no_update BEFORE UPDATE ON core_auditentry
               BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"""
        )
    else:
        schema_editor.execute("DROP TRIGGER IF EXISTS core_auditentry_no_update")


def rechain(apps, schema_editor):
    AuditEntry = apps.get_model("core", "AuditEntry")
    _guard(schema_editor, on=False)
    key, key_id = _key()
    old_prev, new_prev, after = GENESIS_HASH, GENESIS_HASH, 0
    while True:
        page = list(AuditEntry.objects.filter(id__gt=after).order_by("id")[:BATCH])
        changed = []
        for row in page:
            payload = _payload(row)
            old = hashlib.sha256(old_prev.encode() + b"\n" + payload).hexdigest()
            if row.prev_hash != old_prev or row.hash != old:
                sys.stderr.write(
                    f"\nRevisionsprotokoll: Kette bei Eintrag {row.id} schon unterbrochen; "
                    "er und alle späteren behalten ihre alten Hashes (openamt audit verify).\n"
                )
                page = []
                break
            old_prev = row.hash
            row.prev_hash = new_prev
            row.hash = hmac.new(
                key, new_prev.encode() + b"\n" + payload, hashlib.sha256
            ).hexdigest()
            row.key_id = key_id
            new_prev = row.hash
            changed.append(row)
        AuditEntry.objects.bulk_update(changed, ["prev_hash", "hash", "key_id"])
        if len(page) < BATCH:
            break
        after = page[-1].id
    _guard(schema_editor, on=True)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(default="", max_length=16, verbose_name="Schlüssel-ID"),
        ),
        migrations.RunPython(rechain, migrations.RunPython.noop),
    ]

"""The audit log proves itself: keyed chain, triggers, checkpoints, `openamt audit`.

Tampering goes through raw SQL with the append-only triggers lifted inside
the test's transaction, as someone with write access to the database would.
"""

import hashlib
import hmac
import json
import logging
from importlib import import_module
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from joserfc import jws
from joserfc.jwk import KeySet

from openamt.core.audit import GENESIS_HASH, audit_current_key_id, audit_record, audit_verify
from openamt.core.audit_checkpoints import (
    PREFIX,
    AuditChainBroken,
    checkpoint_newest,
    checkpoint_write,
)
from openamt.core.models import AuditEntry
from openamt.core.signing import ALGORITHM, public_jwks
from openamt.testing.audit import audit_guard_lifted


@pytest.fixture(autouse=True)
def checkpoint_storage(settings):
    """A fresh, empty checkpoint storage for every test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_checkpoints": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.OPENAMT_AUDIT_CHECKPOINT_STORAGE = "audit_checkpoints"
    return storages["audit_checkpoints"]


@pytest.fixture
def log(erfurt) -> list[AuditEntry]:
    """Five new entries at the end of the log (the session data wrote some before)."""
    return [
        audit_record(actor=None, action=f"test.{n}", target=erfurt, changes={"n": n})
        for n in range(5)
    ]


def _verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def _verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        _verify()
    return str(failure.value)


def _sql(statement: str, params: list) -> None:
    with audit_guard_lifted(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def _plain_sha256(prev_hash: str, entry: AuditEntry) -> str:
    payload = json.dumps(entry.content(), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{prev_hash}\n{payload}".encode()).hexdigest()


def _named(entry: AuditEntry) -> str:
    return f"Eintrag {entry.id} ({entry.created_at.isoformat()}, {entry.action})"


def test_a_clean_log_verifies_with_exit_status_0(log):
    out = _verify()
    count = AuditEntry.objects.count()
    assert out.startswith(
        f"Revisionsprotokoll unversehrt: {count} Einträge bis Eintrag {log[-1].id}."
    )
    assert audit_verify() is None


def test_entries_are_chained_with_the_keyed_hash(log):
    entry = log[1]
    assert entry.key_id == audit_current_key_id()
    assert len(entry.key_id) == 16
    assert entry.prev_hash == log[0].hash
    assert entry.hash != _plain_sha256(entry.prev_hash, entry)


def test_an_edited_row_is_named(log):
    _sql("UPDATE core_auditentry SET action = %s WHERE id = %s", ["test.forged", log[2].id])
    forged = AuditEntry.objects.get(id=log[2].id)
    assert _verify_fails() == (
        f"Revisionsprotokoll NICHT unversehrt: {_named(forged)}: Inhalt oder Hash geändert"
    )


def test_a_row_deleted_in_the_middle_is_found_at_its_successor(log):
    _sql("DELETE FROM core_auditentry WHERE id = %s", [log[2].id])
    assert _verify_fails() == (
        f"Revisionsprotokoll NICHT unversehrt: {_named(log[3])}: "
        "Vorgänger fehlt oder wurde geändert (Eintrag davor gelöscht?)"
    )


def test_the_newest_rows_deleted_after_a_checkpoint_are_found(log):
    checkpoint, written = checkpoint_write()
    assert (written, checkpoint.head.entry_id) == (True, log[-1].id)
    count = checkpoint.head.count
    _sql("DELETE FROM core_auditentry WHERE id >= %s", [log[3].id])
    # The shorter chain is intact in itself; only the checkpoint shows the loss.
    assert audit_verify() is None
    assert _verify_fails() == (
        f"Revisionsprotokoll NICHT unversehrt: {_named(log[2])}: Einträge nach dem letzten "
        f"vorhandenen fehlen: der letzte Prüfpunkt nennt Eintrag {log[-1].id} als {count}. "
        f"Eintrag, vorhanden sind {count - 2}"
    )


def test_newest_rows_replaced_after_a_checkpoint_are_found(log, erfurt):
    checkpoint_write()
    _sql("DELETE FROM core_auditentry WHERE id >= %s", [log[3].id])
    replacement = audit_record(actor=None, action="test.again", target=erfurt)
    assert "Einträge nach dem letzten vorhandenen fehlen" not in _verify_fails()
    assert _verify_fails().endswith(
        f"{_named(replacement)}: der Eintrag {log[-1].id} des letzten Prüfpunkts fehlt"
    )


@pytest.mark.parametrize("blank_key_id", [False, True])
def test_a_chain_rewritten_without_the_key_is_found(log, blank_key_id):
    """Edit one row, then recompute it and every later hash with plain SHA-256."""
    _sql("UPDATE core_auditentry SET action = %s WHERE id = %s", ["test.forged", log[1].id])
    prev_hash = log[0].hash
    for entry in AuditEntry.objects.filter(id__gte=log[1].id).order_by("id"):
        new_hash = _plain_sha256(prev_hash, entry)
        _sql(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
            [prev_hash, new_hash, "" if blank_key_id else entry.key_id, entry.id],
        )
        prev_hash = new_hash
    forged = AuditEntry.objects.get(id=log[1].id)
    problem = (
        "ohne Schlüssel verkettet (Hash nachträglich ohne den Audit-Schlüssel berechnet)"
        if blank_key_id
        else "Inhalt oder Hash geändert"
    )
    assert _verify_fails() == f"Revisionsprotokoll NICHT unversehrt: {_named(forged)}: {problem}"


def test_a_chain_rewritten_with_another_key_is_found(log):
    key = b"k" * 32
    prev_hash = log[0].hash
    for entry in AuditEntry.objects.filter(id__gte=log[1].id).order_by("id"):
        payload = json.dumps(entry.content(), sort_keys=True, separators=(",", ":"), default=str)
        new_hash = hmac.new(key, f"{prev_hash}\n{payload}".encode(), hashlib.sha256).hexdigest()
        _sql(
            "UPDATE core_auditentry SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
            [prev_hash, new_hash, "0123456789abcdef", entry.id],
        )
        prev_hash = new_hash
    assert _verify_fails() == (
        f"Revisionsprotokoll NICHT unversehrt: {_named(log[1])}: mit unbekanntem Schlüssel "
        "0123456789abcdef verkettet (falscher Schlüssel)"
    )


def test_a_rotated_key_still_verifies_old_entries_while_it_is_listed(settings, erfurt):
    settings.OPENAMT_AUDIT_KEY = "der-erste-audit-schluessel"
    old = audit_record(actor=None, action="test.old", target=erfurt)
    settings.OPENAMT_AUDIT_KEY = "der-zweite-audit-schluessel"
    # The session's entries were chained under the key derived from SECRET_KEY.
    settings.OPENAMT_AUDIT_OLD_KEYS = ["der-erste-audit-schluessel", settings.SECRET_KEY]
    new = audit_record(actor=None, action="test.new", target=erfurt)
    assert new.key_id != old.key_id
    assert new.prev_hash == old.hash
    assert audit_verify() is None
    settings.OPENAMT_AUDIT_OLD_KEYS = [settings.SECRET_KEY]
    found = audit_verify()
    assert (found.entry_id, found.problem) == (
        old.id,
        f"mit unbekanntem Schlüssel {old.key_id} verkettet (falscher Schlüssel)",
    )


def test_deleting_an_entry_is_refused_by_the_database(log):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=log[-1].pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [log[0].pk])
    assert AuditEntry.objects.filter(pk__in=[e.pk for e in log]).count() == 5


def test_updating_an_entry_is_refused_by_the_database(log):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x' WHERE id = %s", [log[0].pk])
    assert AuditEntry.objects.get(pk=log[0].pk).action == "test.0"


def test_a_checkpoint_is_signed_stored_and_logged(log, checkpoint_storage, caplog):
    out = StringIO()
    with caplog.at_level(logging.INFO, logger="openamt.audit"):
        call_command("audit", "checkpoint", stdout=out)
    count = AuditEntry.objects.count()
    _, files = checkpoint_storage.listdir(PREFIX)
    assert len(files) == 1
    assert out.getvalue() == (
        f"Prüfpunkt {PREFIX}{files[0]}: Eintrag {log[-1].id}, {count} Einträge.\n"
    )
    token = checkpoint_storage.open(PREFIX + files[0]).read().decode()
    # Checked with the public key set alone: a verifier needs no secret.
    public = KeySet.import_key_set(public_jwks())
    claims = json.loads(jws.deserialize_compact(token, public, algorithms=[ALGORITHM]).payload)
    assert {k: v for k, v in claims.items() if k != "time"} == {
        "typ": "openamt-audit-checkpoint",
        "entry_id": log[-1].id,
        "hash": log[-1].hash,
        "count": count,
        "key_id": audit_current_key_id(),
    }
    (record,) = [r for r in caplog.records if r.name == "openamt.audit"]
    assert (record.getMessage(), record.audit_entry_id, record.audit_checkpoint_jws) == (
        "audit checkpoint",
        log[-1].id,
        token,
    )
    assert "Neuester Prüfpunkt" in _verify()


def test_an_unchanged_head_gets_no_second_checkpoint(log, checkpoint_storage):
    first, written = checkpoint_write()
    again, written_again = checkpoint_write()
    assert (written, written_again, again) == (True, False, first)
    assert len(checkpoint_storage.listdir(PREFIX)[1]) == 1


def test_a_broken_chain_gets_no_checkpoint(log, checkpoint_storage):
    checkpoint_write()
    _sql("UPDATE core_auditentry SET action = %s WHERE id = %s", ["test.forged", log[-1].id])
    with pytest.raises(CommandError, match=f"kein Prüfpunkt geschrieben: Eintrag {log[-1].id} "):
        call_command("audit", "checkpoint", stdout=StringIO())
    assert len(checkpoint_storage.listdir(PREFIX)[1]) == 1


def test_a_checkpoint_notices_its_own_entry_removed(log, checkpoint_storage, erfurt):
    checkpoint_write()
    _sql("DELETE FROM core_auditentry WHERE id = %s", [log[-1].id])
    with pytest.raises(AuditChainBroken) as broken:
        checkpoint_write()
    assert broken.value.found.problem == (
        f"Eintrag {log[-1].id} des letzten Prüfpunkts fehlt (gelöscht)"
    )
    assert len(checkpoint_storage.listdir(PREFIX)[1]) == 1


def test_a_forged_checkpoint_fails_verification(log, checkpoint_storage):
    checkpoint_write()
    name = f"{PREFIX}29991231T000000000000Z-1.jws"
    header = "eyJhbGciOiJQUzUxMiJ9"
    checkpoint_storage.save(name, ContentFile(f"{header}.e30.c2lnbmF0dXI".encode()))
    assert _verify_fails().startswith(
        "Revisionsprotokoll NICHT unversehrt: Prüfpunkt 29991231T000000000000Z-1.jws: "
        "Signatur ungültig"
    )


def test_without_a_checkpoint_verify_warns(log):
    err = StringIO()
    call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert checkpoint_newest() is None
    assert err.getvalue().startswith("Warnung: kein Prüfpunkt vorhanden")


def test_recording_costs_no_extra_query(erfurt, django_assert_num_queries):
    # The head's hash and the insert; PostgreSQL also takes the chain lock.
    queries = 3 if connection.vendor == "postgresql" else 2
    with transaction.atomic(), django_assert_num_queries(queries):
        audit_record(actor=None, action="test.fast", target=erfurt)


def _legacy(prev_hash: str, n: int, erfurt) -> str:
    """Append a row as the old code chained it (plain SHA-256, no key id)."""
    entry = AuditEntry(
        created_at=timezone.now(),
        action=f"test.legacy{n}",
        object_type="organisations.authority",
        object_id=str(erfurt.pk),
        changes={"n": n},
        prev_hash=prev_hash,
    )
    entry.hash = _plain_sha256(prev_hash, entry)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_auditentry (created_at, actor_id, action, object_type, object_id,"
            " authority_id, changes, prev_hash, hash, key_id) VALUES"
            " (%s, NULL, %s, %s, %s, NULL, %s, %s, %s, '')",
            [
                entry.created_at,
                entry.action,
                entry.object_type,
                entry.object_id,
                json.dumps(entry.changes),
                entry.prev_hash,
                entry.hash,
            ],
        )
    return entry.hash


@pytest.mark.parametrize("broken", [False, True])
def test_the_migration_rechains_an_intact_old_log_under_the_key(erfurt, broken):
    migration = import_module("openamt.core.migrations.0003_audit_keyed_hash")
    _sql("DELETE FROM core_auditentry", [])
    prev_hash = GENESIS_HASH
    for n in range(3):
        prev_hash = _legacy(prev_hash, n, erfurt)
    if broken:
        _sql("UPDATE core_auditentry SET action = 'test.forged' WHERE action = 'test.legacy1'", [])
    assert audit_verify().problem.startswith("ohne Schlüssel verkettet")

    class Editor:
        connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    from django.apps import apps

    migration.rechain(apps, Editor())
    entries = list(AuditEntry.objects.order_by("id"))
    found = audit_verify()
    if broken:
        # The break stays where it was; nothing after it is re-chained.
        assert [e.key_id for e in entries] == [audit_current_key_id(), "", ""]
        assert (found.entry_id, found.action) == (entries[1].id, "test.forged")
    else:
        assert found is None
        assert {e.key_id for e in entries} == {audit_current_key_id()}
    # The guard is back.
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entries[0].pk).update(action="test.forged")

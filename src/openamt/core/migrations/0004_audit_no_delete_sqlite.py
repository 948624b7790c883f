"""On SQLite, too, stored audit entries cannot be deleted (PostgreSQL refuses
DELETE since 0002). The test suite empties tables between committing tests
with DELETE on SQLite; openamt.testing.audit lifts this trigger for exactly
that statement."""

from django.db import migrations

CREATE = """CREATE TRIGGER core_auditentry_no_delete BEFORE DELETE ON core_auditentry
            BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;"""
DROP = "DROP TRIGGER IF EXISTS core_auditentry_no_delete;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_keyed_hash")]
    operations = [migrations.RunPython(forwards, backwards)]

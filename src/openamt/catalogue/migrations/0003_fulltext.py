"""Full-text index of the catalogue: FTS5 on SQLite, tsvector (german) + pg_trgm on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE catalogue_service_fts USING fts5(stems, tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS catalogue_service_fts"]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX catalogue_service_fts ON catalogue_service USING gin (to_tsvector('german', search_document))",
    "CREATE INDEX catalogue_service_name_trgm ON catalogue_service USING gin (name_folded gin_trgm_ops)",
    "CREATE INDEX regions_region_name_trgm ON regions_region USING gin (name_folded gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS catalogue_service_fts",
    "DROP INDEX IF EXISTS catalogue_service_name_trgm",
    "DROP INDEX IF EXISTS regions_region_name_trgm",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_service_search_document"), ("regions", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

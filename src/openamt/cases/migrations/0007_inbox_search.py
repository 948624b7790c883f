"""The inbox's indexes and the full-text index of cases: FTS5 on SQLite,
tsvector (german) + pg_trgm on PostgreSQL (see cases/search.py)."""

from django.db import migrations, models

SQLITE = [
    # The authority's token and the stems of the search document (cases.search).
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5("
    "authority, body, tokenize='unicode61 remove_diacritics 2')",
]
SQLITE_REVERSE = ["DROP TABLE IF EXISTS cases_case_fts"]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The document's tsvector, stored: a list walking the authority's cases in
    # date order then checks each row without parsing its text again.
    "ALTER TABLE cases_case ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('german', search_document)) STORED",
    "CREATE INDEX cases_case_fts ON cases_case USING gin (search_vector)",
    "CREATE INDEX cases_case_file_number_trgm ON cases_case USING gin (file_number gin_trgm_ops)",
    "CREATE INDEX cases_case_applicant_trgm ON cases_case USING gin (applicant_name gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS cases_case_fts",
    "DROP INDEX IF EXISTS cases_case_file_number_trgm",
    "DROP INDEX IF EXISTS cases_case_applicant_trgm",
    "ALTER TABLE cases_case DROP COLUMN IF EXISTS search_vector",
]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(statement)
    if vendor == "sqlite":
        # Cases opened before this migration enter the index too.
        from openamt.cases.search import authority_token, fts_body

        Case = apps.get_model("cases", "Case")
        rows = Case.objects.values_list("pk", "authority_id", "search_document")
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO cases_case_fts (rowid, authority, body) VALUES (%s, %s, %s)",
                [(pk, authority_token(a), fts_body(doc)) for pk, a, doc in rows.iterator()],
            )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRES_REVERSE if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_case_api_writes")]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["authority", "service", "-received_at"], name="case_service"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["authority", "team", "-received_at"], name="case_team"),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["authority", "priority", "-received_at"], name="case_priority"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["authority", "file_number"], name="case_file_number"),
        ),
        migrations.RunPython(forwards, backwards),
    ]

"""A pg_trgm GIN index on the folded OCR text of documents (SPEC §5.1), on PostgreSQL only.

SQLite scans the same column with LIKE.
"""

from django.db import migrations

INDEX = "documents_document_ocr_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON documents_document USING gin (ocr_text_folded gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_results_vault_certification_digitization"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

"""A pg_trgm GIN index on the folded search text (SPEC §5.1), on PostgreSQL only.

`LIKE '%word%'` on the folded column can use a trigram index; SQLite has no such index and
scans the same column with LIKE, which is fast enough for a province's catalog.
"""

from django.db import migrations

INDEX = "catalog_version_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalog_procedureversion USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0002_laythutuc_round_trip_fields"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

"""Yearly numbers per unit (result codes, the certification book), taken by an atomic upsert.

As for dossier codes (SPEC §4.1, §5.3): the number is taken inside the transaction that issues the
document, so a rollback gives it back (gap-free) and two transactions never get the same one. On
PostgreSQL the conflicting upsert waits for the row lock until the first transaction ends; on
SQLite the IMMEDIATE transactions of settings serialize writers.
"""

from __future__ import annotations

from django.db import connection

from motcua.documents.models import DocumentSequence
from motcua.organizations.models import Unit

_UPSERT = (
    "INSERT INTO {table} (kind, unit_id, year, last_number) VALUES (%s, %s, %s, 1) "
    "ON CONFLICT (kind, unit_id, year) DO UPDATE SET last_number = {table}.last_number + 1 "
    "RETURNING last_number"
)


def sequence_next(*, kind: DocumentSequence.Kind, unit: Unit, year: int) -> int:
    """The next number of `kind` for `unit` in `year`; call inside the issuing transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("document numbers are taken inside the issuing transaction")
    table = connection.ops.quote_name(DocumentSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [str(kind), unit.pk, year])
        row = cursor.fetchone()
    return int(row[0])

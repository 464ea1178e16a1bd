"""COPY text for the generated workload (issue 6, `workload.py`): rows encoded column by column, ids reserved first.

On PostgreSQL each row becomes one line of `COPY … FROM STDIN` text as it is added (defaults encoded
once per table, no per-value adapter lookup); on SQLite the rows go to `bulk_create`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from django.db import connection, models


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class CopyTable:
    """A model's columns for COPY / bulk_create: values by attname, the rest from field defaults.

    On PostgreSQL each row becomes one line of COPY text right away (`add`), encoded column by
    column without the per-value adapter lookups of `write_row`; on SQLite the rows go to `bulk_create`.
    """

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField) and f.blank:
                self.defaults[f.attname] = ""
        self.copy = connection.vendor == "postgresql"
        # (attname, encoder, the default already encoded: None when the column has no default)
        self.plan: list[tuple[str, Callable[[Any], str], str | None]] = []
        for name in self.attnames:
            encode = _json_text if name in self.json else _copy_text
            self.plan.append((name, encode, encode(self.defaults[name]) if name in self.defaults else None))
        self.rows: list[dict[str, Any]] = []
        self.lines: list[str] = []

    def add(self, **values: Any) -> None:
        if not self.copy:
            self.rows.append(values)
            return
        self.lines.append(
            "\t".join(
                [
                    encode(values[name]) if name in values else fallback  # type: ignore[misc]
                    for name, encode, fallback in self.plan
                ]
            )
        )

    def __len__(self) -> int:
        return len(self.lines) + len(self.rows)

    def write(self) -> None:
        if self.lines:
            table = connection.ops.quote_name(self.model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write("\n".join(self.lines) + "\n")
            self.lines = []
        if self.rows:
            defaults = self.defaults
            self.model.objects.bulk_create(  # type: ignore[attr-defined]
                [self.model(**{**defaults, **values}) for values in self.rows], batch_size=1000
            )
            self.rows = []


_COPY_ESCAPES: Final = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_COPY_SPECIAL: Final = re.compile(r"[\\\t\n\r]")


def _copy_text(value: Any) -> str:
    """One value in COPY text format (NULL as \\N, booleans t/f, aware times with their offset)."""
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(value) else value
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return _copy_text(str(value))
    return str(value)


def _json_text(value: Any) -> str:
    text = value.text if isinstance(value, RawJson) else _json(value)
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


@dataclass(frozen=True)
class RawJson:
    """A JSON value already serialized (an event's data, dumped once for its hash and its row)."""

    text: str
    value: Any


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids for `count` new rows, taken before writing (each event's hash covers its dossier id)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))

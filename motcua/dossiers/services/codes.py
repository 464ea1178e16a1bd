"""Assigning dossier codes: the per-prefix per-day number is taken by an atomic upsert.

The number is taken inside the transaction that registers the dossier, so a rollback gives it
back (gap-free) and two transactions never get the same one: on PostgreSQL the conflicting
upsert waits for the row lock; on SQLite the IMMEDIATE transactions of settings serialize writers.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import connection

from motcua.dossiers import codes
from motcua.dossiers.models import Channel, DailySequence, Dossier

_UPSERT = (
    "INSERT INTO {table} (prefix, day, last_number) VALUES (%s, %s, 1) "
    "ON CONFLICT (prefix, day) DO UPDATE SET last_number = {table}.last_number + 1 "
    "RETURNING last_number"
)


def configured_profiles() -> tuple[codes.CodeProfile, ...]:
    """The code profiles: the legal defaults unless `MOTCUA_DOSSIER_CODE_PROFILES` replaces them."""
    custom = getattr(settings, "MOTCUA_DOSSIER_CODE_PROFILES", None)
    if not custom:
        return codes.PROFILES
    return tuple(
        codes.CodeProfile(
            name=item["name"],
            effective_from=date.fromisoformat(str(item["effective_from"])),
            prefix_from=codes.PrefixFrom(item["prefix_from"]),
            min_digits=int(item.get("min_digits", 4)),
        )
        for item in custom
    )


def sequence_next(*, prefix: str, day: date) -> int:
    """The next number for `prefix` on `day`; call inside the registering transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("dossier numbers are taken inside the registering transaction")
    table = connection.ops.quote_name(DailySequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT.format(table=table), [prefix, connection.ops.adapt_datefield_value(day)])
        row = cursor.fetchone()
    return int(row[0])


def dossier_code_for(dossier: Dossier, *, at: datetime) -> str:
    """A new code for `dossier` registered at `at` (not saved)."""
    day = codes.local_day(at)
    profile = codes.profile_for(day, configured_profiles())
    units = codes.PrefixInputs(
        receiving=dossier.receiving_unit.code,
        handling=dossier.handling_unit.code,
        inter_agency=dossier.procedure_version.inter_agency,
        online=dossier.channel == Channel.ONLINE,
        portal=getattr(settings, "MOTCUA_DVCQG_UNIT_CODE", None),
    )
    prefix = codes.prefix_for(profile, units)
    return codes.format_code(prefix, day, sequence_next(prefix=prefix, day=day), min_digits=profile.min_digits)

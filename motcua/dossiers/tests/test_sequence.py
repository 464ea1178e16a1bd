"""The per-day dossier number under concurrency: distinct, consecutive, gap-free after rollbacks."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import OperationalError, connection, transaction

from motcua.dossiers.factories import register
from motcua.dossiers.models import DailySequence, Dossier
from motcua.dossiers.services.codes import sequence_next

POSTGRES = connection.vendor == "postgresql"
# PostgreSQL takes the full 200; SQLite serializes writers (IMMEDIATE transactions), fewer suffice.
THREADS = 200 if POSTGRES else 24
# The server's connection limit is shared with other test databases: at most this many at once.
IN_DATABASE_AT_ONCE = 30


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_distinct_consecutive_codes(world):
    start = threading.Barrier(THREADS)
    gate = threading.BoundedSemaphore(IN_DATABASE_AT_ONCE)

    def register_one(_: int) -> str:
        start.wait()
        with gate:
            try:
                return _register_retrying(world)
            finally:
                connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        codes = list(pool.map(register_one, range(THREADS)))

    numbers = sorted(int(code.rsplit("-", 1)[1]) for code in codes)
    assert numbers == list(range(1, THREADS + 1))
    assert Dossier.objects.count() == THREADS
    assert DailySequence.objects.get().last_number == THREADS


def _register_retrying(world) -> str:
    # The SQLite test database is in memory with a shared cache, where a busy table answers
    # "locked" at once instead of waiting (busy_timeout does not apply); a file database waits.
    for _attempt in range(500):
        try:
            return register(world.officer, world.procedure).code
        except OperationalError as exc:
            if POSTGRES or "locked" not in str(exc):
                raise
            time.sleep(0.005)
    raise AssertionError("never got the lock")


class Boom(Exception):
    pass


@transaction.atomic
def _register_then_crash(world) -> None:
    register(world.officer, world.procedure)
    raise Boom


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_registration_gives_its_number_back(world):
    first = register(world.officer, world.procedure)

    with pytest.raises(Boom):
        _register_then_crash(world)

    second = register(world.officer, world.procedure)
    assert first.code.endswith("-0001")
    assert second.code.endswith("-0002")


@pytest.mark.django_db(transaction=True)
def test_the_number_is_only_taken_inside_a_transaction():
    with pytest.raises(RuntimeError):
        sequence_next(prefix="000.00.21.H99", day=date(2025, 9, 9))

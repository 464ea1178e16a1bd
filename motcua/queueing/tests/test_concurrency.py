"""Kiosks printing at the same instant get distinct consecutive numbers; two counters never call the same ticket."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import OperationalError, connection

from motcua.core.errors import Conflict
from motcua.queueing import services
from motcua.queueing.models import Ticket, TicketSequence, TicketStatus

POSTGRES = connection.vendor == "postgresql"
THREADS = 60 if POSTGRES else 16
IN_DATABASE_AT_ONCE = 20


def _retrying(action: Callable[[], Any]) -> Any:
    # SQLite's in-memory shared-cache test database answers "locked" at once instead of waiting.
    for _attempt in range(500):
        try:
            return action()
        except OperationalError as exc:
            if POSTGRES or "locked" not in str(exc):
                raise
            time.sleep(0.005)
    raise AssertionError("never got the lock")


def _in_parallel(count: int, work: Callable[[int], Any]) -> list[Any]:
    start = threading.Barrier(count)
    gate = threading.BoundedSemaphore(IN_DATABASE_AT_ONCE)

    def run(index: int) -> Any:
        start.wait()
        with gate:
            try:
                return _retrying(lambda: work(index))
            finally:
                connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_kiosks_get_distinct_consecutive_numbers(hall):
    codes = _in_parallel(THREADS, lambda _: services.ticket_issue(area=hall.civil).code)

    assert sorted(codes) == [f"A{n:03d}" for n in range(1, THREADS + 1)]
    assert TicketSequence.objects.get(area=hall.civil).last_number == THREADS


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_counters_calling_at_once_never_get_the_same_ticket(hall):
    for _ in range(2):
        services.ticket_issue(area=hall.civil)
    services.session_open(officer=hall.officer, counter=hall.counter)
    services.session_open(officer=hall.officer2, counter=hall.counter2)
    seats = [(hall.officer, hall.counter), (hall.officer2, hall.counter2)]

    def call(index: int) -> int | None:
        officer, counter = seats[index]
        try:
            return services.ticket_call_next(officer=officer, counter=counter).pk
        except Conflict:
            return None

    called = _in_parallel(2, call)

    assert None not in called
    assert len(set(called)) == 2
    assert Ticket.objects.filter(status=TicketStatus.CALLED).count() == 2

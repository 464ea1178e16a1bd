"""Pure tests of the index formulas: no database. Shared helpers below.

`wall_hours` is the fake working calendar of these tests: every hour counts, so "one working day
before the due time" means 8 clock hours before it. That keeps the hand arithmetic in the tests
short; `test_timeliness` also checks the rules once on the real calendar.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import FINISHED, Status
from motcua.metrics.facts import Channel, DossierFacts, Pause, PauseKind
from motcua.metrics.periods import Window


def vn(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An instant in Vietnam time."""
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


def wall_hours(start: datetime, end: datetime) -> Decimal:
    """Fake `working_hours_between`: clock hours between two instants."""
    return Decimal(int((end - start).total_seconds())) / 3600


# April 2026, the period most tests look at: [01/04/2026 00:00, 01/05/2026 00:00) Vietnam time.
APRIL = Window(vn(2026, 4, 1), vn(2026, 5, 1))


def supplement(start: datetime, end: datetime | None = None, due_before: datetime | None = None) -> Pause:
    return Pause(PauseKind.SUPPLEMENT, start, end, due_before)


def payment(start: datetime, end: datetime | None = None) -> Pause:
    return Pause(PauseKind.PAYMENT, start, end)


def dossier(
    code: str = "D",
    *,
    accepted: datetime | None,
    due: datetime | None = None,
    finished: datetime | None = None,
    status: Status | None = None,
    channel: Channel = Channel.DIRECT,
    **facts: Any,
) -> DossierFacts:
    """A dossier accepted at `accepted` (received then too), resolved at `finished` unless `status` says otherwise."""
    if status is None:
        status = Status.RESOLVED if finished is not None else Status.PROCESSING
    assert (finished is not None) == (status in FINISHED) or accepted is None
    pauses = facts.pop("pauses", ())
    facts.setdefault("supplement_count", sum(p.kind is PauseKind.SUPPLEMENT for p in pauses))
    return DossierFacts(
        code=code,
        channel=channel,
        status=status,
        received_at=facts.pop("received", accepted or vn(2026, 4, 1, 8)),
        accepted_at=accepted,
        due_at=due,
        finished_at=finished,
        pauses=pauses,
        **facts,
    )

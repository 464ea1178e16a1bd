"""Is a dossier early, on time or late; in time or overdue at the end of a window (SPEC §4.4)?

Pure: working time comes from a `working_hours_between(start, end) -> Decimal` callable
(`WorkCalendar.working_hours_between` in production, a fake in tests).

Rules:
- Finished (finish before the window end): on time if the finish ≤ the due time it had before any
  apology (SPEC §4.2, Art. 19.9); early if at least one working day (8 working hours) before it.
- Not finished: in time if the window end ≤ that due time, else overdue.
- While the clock is stopped (supplement, payment) time does not run: a dossier finished or
  evaluated during a pause is judged at the pause's start, against the due time it had then
  (practice.md §3.3 2.1: "the end time is the time of the request").
- 766 index only: more than one supplement request makes the dossier overdue (SPEC §6.1 2.1).

Also here, which dossiers a window counts (SPEC §6.3): received in it, carried over into it,
finished in it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.metrics.facts import DossierFacts, FactsError, FeedbackFacts
from motcua.metrics.periods import Window
from motcua.metrics.profile import FeedbackDeadlines

WorkingHoursBetween = Callable[[datetime, datetime], Decimal]

ONE_WORKING_DAY: Final = Decimal(8)


class Timeliness(StrEnum):
    """Where a dossier stands against its due time."""

    EARLY = "early"  # finished at least one working day before the due time
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"  # not finished, due time not passed
    OVERDUE = "overdue"  # not finished, due time passed

    @property
    def finished(self) -> bool:
        return self in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE)

    @property
    def good(self) -> bool:
        """Counts in the numerator of 766 metric 2.1: finished early or on time, or still in time."""
        return self in (Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.IN_TIME)


# --- which dossiers a window counts ------------------------------------------------------------


def finished_by(facts: DossierFacts, end: datetime) -> bool:
    """The dossier was finished before `end` (a later finish is still in progress at `end`)."""
    return facts.finished_at is not None and facts.finished_at < end


def received_in(facts: DossierFacts, window: Window) -> bool:
    """Accepted inside the window (06a columns 4–5)."""
    return facts.accepted_at is not None and window.contains(facts.accepted_at)


def carried_over(facts: DossierFacts, window: Window) -> bool:
    """Accepted before the window and not finished when it opened (06a column 6)."""
    return facts.accepted_at is not None and facts.accepted_at < window.start and not finished_by(facts, window.start)


def in_scope(facts: DossierFacts, window: Window) -> bool:
    """Received in the window or carried over into it: the population of 2.1, 5.4 and 06a (3)."""
    return received_in(facts, window) or carried_over(facts, window)


def finished_in(facts: DossierFacts, window: Window) -> bool:
    """Finished inside the window (06a column 7)."""
    return facts.accepted_at is not None and facts.finished_at is not None and window.contains(facts.finished_at)


# --- the clock ---------------------------------------------------------------------------------


def clock_instant(facts: DossierFacts, instant: datetime) -> tuple[datetime, datetime]:
    """The instant the clock shows at `instant`, and the due time in force then.

    Inside a pause the clock stands at the pause's start (SPEC §4.2: the clock stops at the request).
    """
    for pause in facts.pauses:
        if pause.covers(instant):
            return pause.start, pause.due_before or facts.index_due_at
    return instant, facts.index_due_at


def classify_finish(
    finished_at: datetime,
    due_at: datetime,
    *,
    working_hours_between: WorkingHoursBetween,
    early_margin_hours: Decimal = ONE_WORKING_DAY,
) -> Timeliness:
    """EARLY, ON_TIME or LATE for a finish against a due time (SPEC §4.4; also used for steps)."""
    if finished_at > due_at:
        return Timeliness.LATE
    if working_hours_between(finished_at, due_at) >= early_margin_hours:
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def classify(
    facts: DossierFacts,
    *,
    at: datetime,
    working_hours_between: WorkingHoursBetween,
    early_margin_hours: Decimal = ONE_WORKING_DAY,
    repeat_supplement_overdue: bool = False,
) -> Timeliness:
    """Where an accepted dossier stands at `at` (the window end).

    `repeat_supplement_overdue`: the 766 rule, more than one supplement request → late / overdue.
    """
    if facts.accepted_at is None:
        raise FactsError(_("Dossier %(code)s was never accepted: it has no timeliness."), code=facts.code)
    # SPEC §6.1 2.1: "more than one supplement request → overdue".
    repeated = repeat_supplement_overdue and facts.supplement_count > 1
    if facts.finished_at is not None and finished_by(facts, at):
        if repeated:
            return Timeliness.LATE
        moment, due = clock_instant(facts, facts.finished_at)
        return classify_finish(
            moment, due, working_hours_between=working_hours_between, early_margin_hours=early_margin_hours
        )
    moment, due = clock_instant(facts, at)
    return Timeliness.OVERDUE if repeated or moment > due else Timeliness.IN_TIME


# --- feedback (SPEC §4.6) ----------------------------------------------------------------------


def _within(
    start: datetime, done: datetime | None, at: datetime, days: int, hours_per_day: Decimal, whb: WorkingHoursBetween
) -> bool:
    """Done (or, if not done yet, `at`) within `days` working days of `start`."""
    end = done if done is not None and done < at else at
    return end <= start or whb(start, end) <= days * hours_per_day


def feedback_on_time(
    item: FeedbackFacts,
    *,
    at: datetime,
    working_hours_between: WorkingHoursBetween,
    deadlines: FeedbackDeadlines,
    hours_per_day: Decimal = ONE_WORKING_DAY,
) -> bool:
    """Every step of the feedback met its deadline, open steps measured at `at` (766 metric 5.2)."""

    def within(start: datetime, done: datetime | None, days: int) -> bool:
        return _within(start, done, at, days, hours_per_day, working_hours_between)

    received = item.received_at
    if item.rejected_at is not None and item.rejected_at < at:
        return within(received, item.rejected_at, deadlines.reject)
    asked = item.info_requested_at
    if asked is not None and asked < at and not within(received, asked, deadlines.info_request):
        return False
    if not within(received, item.answered_at, deadlines.answer):
        return False
    if item.answered_at is not None and item.answered_at < at:
        return within(item.answered_at, item.published_at, deadlines.publish)
    return True

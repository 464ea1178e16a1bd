"""Figures the dashboards read from the apps below them: queue waits (queueing) and overdue feedback (feedback).

Written here rather than in those apps so that they stay untouched; the definitions are theirs:
- the wait of a ticket is `queueing.rules.TicketTimes.wait` (issued → called), averaged as the
  queue statistics page (/xep-hang/thong-ke/) averages it, over original tickets only (a
  transferred copy keeps the original's issue time and would count the wait twice);
- a feedback is overdue for handling when the step it waits for is past its due time: the answer
  (`answer_due_at`, 15 working days, also while more information is awaited, as metric 5.2
  counts it) or, once answered, the publication of the answer (`publish_due_at`, 2 working days).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from django.db.models import Q, QuerySet

from motcua.core.clock import VIETNAM
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.metrics.erlang import DEFAULT_TARGET_WAIT_MINUTES
from motcua.metrics.periods import Period
from motcua.queueing import rules
from motcua.queueing.models import Ticket

OPEN_FOR_ANSWER: Final = (FeedbackStatus.RECEIVED, FeedbackStatus.INFO_REQUESTED)


@dataclass(frozen=True)
class Wait:
    """The observed mean wait (minutes, 1 decimal; None without a called ticket) against the target."""

    tickets: int  # tickets called in the period (the ones with a wait)
    mean: float | None
    target: float = DEFAULT_TARGET_WAIT_MINUTES

    @property
    def meets_target(self) -> bool | None:
        return None if self.mean is None else self.mean <= self.target


def average_wait(*, unit_ids: Iterable[int], period: Period, now: datetime) -> Wait:
    """Mean wait of the tickets taken at the units' kiosks on the period's days up to now."""
    last = min(period.end, now.astimezone(VIETNAM).date() + timedelta(days=1))
    rows = (
        Ticket.objects.filter(
            area__unit_id__in=sorted(set(unit_ids)),
            transferred_from__isnull=True,
            called_at__isnull=False,
            day__gte=period.start,
            day__lt=last,
        )
        .values_list("issued_at", "called_at")
        .iterator(chunk_size=5000)
    )
    waits = [rules.minutes(issued, called) for issued, called in rows]
    return Wait(tickets=len(waits), mean=rules.mean_or_none(waits))


def feedback_overdue(*, unit_ids: Iterable[int], now: datetime) -> QuerySet[Feedback]:
    """Feedback addressed to the units whose pending step is past due at `now`, the longest overdue first."""
    ids = sorted(set(unit_ids))
    waiting_answer = Q(status__in=OPEN_FOR_ANSWER, answer_due_at__lt=now)
    waiting_publication = Q(status=FeedbackStatus.ANSWERED, publish_due_at__lt=now)
    return (
        Feedback.objects.filter(target_unit_id__in=ids)
        .filter(waiting_answer | waiting_publication)
        .select_related("target_unit")
        .order_by("received_at", "pk")
    )


@dataclass(frozen=True)
class OverdueRow:
    feedback: Feedback
    step: str  # "answer" or "publication"
    due_at: datetime


def overdue_rows(items: Iterable[Feedback]) -> list[OverdueRow]:
    rows = []
    for item in items:
        if item.status == FeedbackStatus.ANSWERED and item.publish_due_at is not None:
            rows.append(OverdueRow(item, "publication", item.publish_due_at))
        else:
            rows.append(OverdueRow(item, "answer", item.answer_due_at))
    return rows

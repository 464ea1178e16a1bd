"""/api/v1/queue (SPEC §3.9): the kiosk takes a number, the board reads the calls, a counter calls the next
citizen, staff read the statistics and the staffing advice. HTTP only: selectors read, services decide.
"""

from __future__ import annotations

from datetime import date as Day
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from motcua.accounts.models import User
from motcua.api.auth import AUTHENTICATED
from motcua.core import clock
from motcua.metrics.erlang import DEFAULT_TARGET_WAIT_MINUTES
from motcua.queueing import selectors, services
from motcua.queueing.models import Ticket

router = Router(tags=["queue"])


class TicketIn(Schema):
    unit: str
    area: str  # the area's letter, e.g. "A"
    priority_reason: str = ""  # "", elderly, disabled, pregnant, child


class TicketOut(Schema):
    id: int
    code: str
    area: str
    area_name: str
    priority_reason: str
    status: str
    issued_at: datetime
    called_at: datetime | None
    counter: str | None
    ahead: int


class CalledOut(Schema):
    code: str
    counter: str | None
    announced_at: datetime | None


class WaitingOut(Schema):
    area: str
    name: str
    count: int


class DisplayOut(Schema):
    unit: str
    called: list[CalledOut]
    waiting: list[WaitingOut]


class SummaryOut(Schema):
    label: str
    tickets: int
    mean_wait: float | None
    mean_service: float | None


class AdviceOut(Schema):
    hour: int
    arrival_rate: float
    mean_service: float | None
    observed_wait: float | None
    counters_open: float
    recommended: int | None
    meets_target: bool | None


class StatsOut(Schema):
    unit: str
    date: Day
    target_wait_minutes: float
    per_counter: list[SummaryOut]
    per_hour: list[SummaryOut]
    per_day: list[SummaryOut]
    advisor_days: list[Day]
    advisor: list[AdviceOut]


def _ticket_out(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "area": ticket.area.letter,
        "area_name": ticket.area.name,
        "priority_reason": ticket.priority_reason,
        "status": ticket.status,
        "issued_at": ticket.issued_at.astimezone(clock.VIETNAM),
        "called_at": ticket.called_at.astimezone(clock.VIETNAM) if ticket.called_at else None,
        "counter": ticket.counter.name if ticket.counter else None,
        "ahead": selectors.people_ahead(ticket),
    }


@router.post("/tickets", response={201: TicketOut}, auth=None, summary="Take a number (the kiosk)")
def ticket_issue(request: HttpRequest, payload: TicketIn) -> Status:
    unit = selectors.queue_unit_get(payload.unit)
    area = selectors.area_get(unit, payload.area)
    ticket = services.ticket_issue(area=area, priority_reason=payload.priority_reason)
    return Status(201, _ticket_out(ticket))


@router.get("/display", response=DisplayOut, auth=None, summary="The display board: numbers called today")
def display(request: HttpRequest, unit: str) -> dict[str, Any]:
    board = selectors.board(selectors.queue_unit_get(unit))
    return {
        "unit": board.unit.code,
        "called": [
            {
                "code": t.code,
                "counter": t.counter.name if t.counter else None,
                "announced_at": t.announced_at.astimezone(clock.VIETNAM) if t.announced_at else None,
            }
            for t in board.called
        ],
        "waiting": [{"area": a["letter"], "name": a["name"], "count": a["count"]} for a in board.waiting],
    }


@router.post("/counters/{counter_id}/call-next", response=TicketOut, auth=AUTHENTICATED, summary="Call the next ticket")
def call_next(request: HttpRequest, counter_id: int) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    counter = selectors.counter_for_officer_get(user, counter_id)
    return _ticket_out(services.ticket_call_next(officer=user, counter=counter))


class StatsQuery(Schema):
    unit: str
    date: Day | None = None


@router.get("/stats", response=StatsOut, auth=AUTHENTICATED, summary="Waiting and service time, staffing advice")
def stats(request: HttpRequest, query: Query[StatsQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    unit = selectors.queue_unit_for_staff(user, query.unit)
    day = query.date or clock.local_today()
    day_stats = selectors.day_stats(unit, day)
    advice, days = selectors.advice(unit, weekday=day.weekday(), until=day)
    return {
        "unit": unit.code,
        "date": day,
        "target_wait_minutes": DEFAULT_TARGET_WAIT_MINUTES,
        "per_counter": day_stats.per_counter,
        "per_hour": day_stats.per_hour,
        "per_day": day_stats.per_day,
        "advisor_days": days,
        "advisor": advice,
    }

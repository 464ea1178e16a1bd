"""`GET /api/v1/calendar/due`: a due date with its explanation (SPEC §4.2, §8)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from motcua.workcalendar.explain import explanation_lines, step_data
from motcua.workcalendar.services import amount_from_text, compute_due, instant_from_text

router = Router()


class DueQuery(Schema):
    start: str = Query(..., description="ISO 8601 instant with a UTC offset, e.g. 2026-03-02T07:00:00+07:00")
    amount: str = Query(..., description="Non-negative number; fractions allowed for working time, e.g. 0.5")
    unit: str = Query(..., description="working_days | working_hours | days")


class DueOut(Schema):
    start: str
    amount: float
    unit: str
    due_at: str
    explanation: list[str]
    steps: list[dict[str, Any]]


@router.get("/due", response=DueOut, summary="When a processing time falls due, explained")
def due(request: HttpRequest, query: Query[DueQuery]) -> dict[str, Any]:
    result = compute_due(
        start=instant_from_text(query.start, field="start"), amount=amount_from_text(query.amount), unit=query.unit
    )
    return {
        "start": result.start.isoformat(),
        "amount": result.amount,
        "unit": result.unit.value,
        "due_at": result.due_at.isoformat(),
        "explanation": explanation_lines(result),
        "steps": [step_data(step) for step in result.explanation],
    }

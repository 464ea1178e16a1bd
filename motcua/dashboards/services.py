"""The weekly publication of the 766 index (SPEC §3.10), idempotent per unit and week."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.dashboards.models import WeeklyIndex
from motcua.metrics.periods import MIN_YEAR, Period, parse_period
from motcua.metrics.services import index_publish
from motcua.organizations.models import Unit


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_periods(monday: date) -> list[Period]:
    """The month, quarter and year of the Sunday that closed the week before `monday`."""
    sunday = monday - timedelta(days=1)
    quarter = (sunday.month - 1) // 3 + 1
    labels = (f"{sunday.year}-{sunday.month:02d}", f"{sunday.year}-Q{quarter}", str(sunday.year))
    return [parse_period(label, today=sunday) for label in labels]


@dataclass(frozen=True)
class PublishOutcome:
    week: date
    published: int  # units published now
    skipped: int  # units already published this week


def publish_week(*, units: Iterable[Unit], day: date | None = None) -> PublishOutcome:
    """Publish the index of each unit for the week of `day` (default today), unless already done.

    The figures are evaluated at the Monday 00:00 opening the week, so a rerun in the same week
    changes nothing: a unit already published for the week is skipped.
    """
    monday = week_monday(day or clock.local_today())
    if monday.year < MIN_YEAR or monday - timedelta(days=1) < date(MIN_YEAR, 1, 1):
        return PublishOutcome(monday, 0, 0)
    cut = datetime.combine(monday, time(0), tzinfo=VIETNAM)
    periods = week_periods(monday)
    published = skipped = 0
    for unit in units:
        if unit_publish_week(unit=unit, monday=monday, cut=cut, periods=periods):
            published += 1
        else:
            skipped += 1
    return PublishOutcome(monday, published, skipped)


@transaction.atomic
def unit_publish_week(*, unit: Unit, monday: date, cut: datetime, periods: list[Period]) -> bool:
    """One unit's publication for one week, in one transaction; False if it was already published."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()  # serialise concurrent runs per unit
    if WeeklyIndex.objects.filter(unit=unit, week=monday).exists():
        return False
    for period in periods:
        published = index_publish(unit=unit, period=period, now=cut)
        figures = published.figures
        score = figures.get("score")
        WeeklyIndex.objects.create(
            unit=unit,
            week=monday,
            period=period.label,
            score=None if score is None else Decimal(str(score)),
            band=figures.get("band") or "",
            figures=figures,
            published_at=cut,
        )
    return True

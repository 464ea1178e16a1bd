"""Reads of the maintained aggregates: sums over days and months, dossiers in progress at a midnight or now.

Grouping keys: None (one total, key ""), "field_code" (06a by field) or "unit_id" (06a by unit).
A span of days is read from the monthly rows for its whole months and from the daily rows for
the rest, so a year is twelve rows per series, not 365.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any, Literal

from django.db.models import Count, Q, Sum

from motcua.metrics.models import (
    ACCEPTED_COLUMNS,
    FINISHED_COLUMNS,
    OPEN_COLUMNS,
    DailyAggregate,
    DossierFact,
    MonthlyAggregate,
    PublishedIndex,
)
from motcua.organizations.models import Unit

GroupBy = Literal["field_code", "unit_id"] | None
Sums = dict[Any, Counter[str]]
FLOW_COLUMNS = ACCEPTED_COLUMNS + FINISHED_COLUMNS


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def split_days(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """[start, end) as day ranges to read from daily rows and one month range [m0, m1) from monthly rows."""
    first = start if start.day == 1 else _next_month(start)
    last = end.replace(day=1)
    if first >= last:
        return ([(start, end)] if start < end else []), None
    days = [(a, b) for a, b in ((start, first), (last, end)) if a < b]
    return days, (first, last)


def _grouped(rows: Any, group_by: GroupBy, **aggregates: Any) -> list[tuple[Any, dict[str, Any]]]:
    """One (key, sums) pair per group, or ("", sums) for the whole set: one GROUP BY or one aggregate."""
    if group_by is None:
        return [("", rows.aggregate(**aggregates))]
    return [(values.pop(group_by), values) for values in rows.values(group_by).annotate(**aggregates).order_by()]


def _sum(rows: Any, columns: Iterable[str], group_by: GroupBy, into: Sums) -> None:
    names = list(columns)
    for key, values in _grouped(rows, group_by, **{f"s_{c}": Sum(c) for c in names}):
        into[key].update({c: values[f"s_{c}"] or 0 for c in names})


def flow_sums(*, unit_ids: Iterable[int], start: date, end: date, group_by: GroupBy = None) -> Sums:
    """The flow columns summed over the days [start, end)."""
    ids = sorted(set(unit_ids))
    sums: Sums = defaultdict(Counter)
    days, months = split_days(start, end)
    for first, last in days:
        _sum(DailyAggregate.objects.filter(unit_id__in=ids, day__gte=first, day__lt=last), FLOW_COLUMNS, group_by, sums)
    if months:
        rows = MonthlyAggregate.objects.filter(unit_id__in=ids, month__gte=months[0], month__lt=months[1])
        _sum(rows, FLOW_COLUMNS, group_by, sums)
    return sums


def procedures_with(*, unit_ids: Iterable[int], start: date, end: date, column: str, among: Iterable[int]) -> set[int]:
    """The procedures of `among` with a count above zero in the accepted-day `column` over [start, end).

    3.5 and 3.5b ask whether a procedure had one such dossier in the period; the aggregate rows
    answer that with an index range per day span or month span, whatever the number of dossiers.
    """
    if column not in ACCEPTED_COLUMNS:
        raise ValueError(f"{column} is not a column kept on the day of acceptance")
    ids, candidates = sorted(set(unit_ids)), sorted(set(among))
    if not ids or not candidates:
        return set()
    found: set[int] = set()
    days, months = split_days(start, end)
    spans: list[Any] = [DailyAggregate.objects.filter(day__gte=first, day__lt=last) for first, last in days]
    if months:
        spans.append(MonthlyAggregate.objects.filter(month__gte=months[0], month__lt=months[1]))
    for rows in spans:
        # Counts on the day of acceptance are never negative: one row above zero is enough.
        matching = rows.filter(unit_id__in=ids, procedure_id__in=candidates, **{f"{column}__gt": 0})
        found.update(matching.order_by().values_list("procedure_id", flat=True).distinct())
    return found


def open_at(*, unit_ids: Iterable[int], day: date, group_by: GroupBy = None) -> Sums:
    """The dossiers in progress at the start of `day` (local midnight): the deltas of every earlier day."""
    ids = sorted(set(unit_ids))
    sums: Sums = defaultdict(Counter)
    month = day.replace(day=1)
    _sum(MonthlyAggregate.objects.filter(unit_id__in=ids, month__lt=month), OPEN_COLUMNS, group_by, sums)
    if month < day:
        _sum(DailyAggregate.objects.filter(unit_id__in=ids, day__gte=month, day__lt=day), OPEN_COLUMNS, group_by, sums)
    return sums


def open_now(*, unit_ids: Iterable[int], now: datetime, group_by: GroupBy = None) -> Sums:
    """The dossiers in progress now, from the open fact rows (partial index on the unit)."""
    ids = sorted(set(unit_ids))
    overdue = Q(overdue_after__isnull=False, overdue_after__lt=now)
    overdue_766 = Q(overdue_after_766__isnull=False, overdue_after_766__lt=now)
    rows = DossierFact.objects.filter(unit_id__in=ids, finished_at__isnull=True, accepted_at__lt=now)
    sums: Sums = defaultdict(Counter)
    for key, values in _grouped(
        rows,
        group_by,
        open_total=Count("pk"),
        open_overdue=Count("pk", filter=overdue),
        open_overdue_766=Count("pk", filter=overdue_766),
        open_complained=Count("pk", filter=Q(complained=True)),
    ):
        sums[key].update({c: values[c] or 0 for c in OPEN_COLUMNS})
    return sums


def published_index(*, unit: Unit, period: str) -> PublishedIndex | None:
    return PublishedIndex.objects.filter(unit=unit, period=period).first()


def unit_labels(unit_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """unit id → (code, name)."""
    return {
        pk: (code, name)
        for pk, code, name in Unit.objects.filter(pk__in=list(unit_ids)).values_list("pk", "code", "name")
    }

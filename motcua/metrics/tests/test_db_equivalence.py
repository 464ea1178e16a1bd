"""The maintained aggregates give exactly what the pure formulas give on the raw dossiers.

Random histories through the real services (counter, online and postal intake, refusals,
supplements once or twice, payments, apologies, decisions, returns, withdrawals, stops, dossiers
left open), read half-way (running periods, refresh on read) and at the end (closed periods),
for every month, quarter and the year, for each commune and the province, and 06a for random
date ranges grouped by field and by unit.
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, datetime, timedelta

import pytest

from motcua.core.errors import DomainError
from motcua.dossiers.models import Dossier, Outcome
from motcua.metrics.periods import parse_period
from motcua.metrics.recompute import metrics_check
from motcua.metrics.report_06a import GroupBy
from motcua.metrics.services import (
    index_766_from_dossiers,
    index_766_maintained,
    index_answer,
    report_06a_from_dossiers,
    report_06a_maintained,
)
from motcua.metrics.tests.conftest import Province, vn

pytestmark = pytest.mark.django_db

Step = tuple[datetime, int, str]


def _working_instant(rng: random.Random, day: date) -> datetime:
    hour = rng.choice([7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 19])
    return vn(day.year, day.month, day.day, hour, rng.choice([0, 15, 30, 45]))


def _story(rng: random.Random, count: int) -> list[Step]:
    """(instant, dossier index, verb) in time order: intake first, then what happens to each dossier."""
    steps: list[Step] = []
    for index in range(count):
        at = _working_instant(rng, date(2025, 7, 1) + timedelta(days=rng.randrange(150)))
        steps.append((at, index, rng.choice(["direct", "direct", "postal", "online", "online_b", "direct_b"])))
        plan = rng.choice(
            [
                ["accept", "resolve"],
                ["accept", "resolve", "return"],
                ["accept", "deny"],
                ["accept", "supplement", "supplied", "resolve"],
                ["accept", "supplement", "supplied", "supplement", "supplied", "resolve"],
                ["accept", "supplement", "stop"],
                ["accept", "payment", "paid", "resolve", "return"],
                ["accept", "apologize", "resolve"],
                ["accept", "apologize", "payment", "paid", "resolve"],
                ["accept", "withdraw"],
                ["accept"],
                ["accept", "supplement"],
                ["refuse"],
                [],
            ]
        )
        for verb in plan:
            at = at + timedelta(hours=rng.choice([1, 3, 6, 20, 26, 30, 50, 75, 100, 170, 400]))
            steps.append((at, index, verb))
    return sorted(steps)


def _play(p: Province, steps: list[Step], dossiers: dict[int, Dossier], until: datetime | None = None) -> list[Step]:
    """Run the steps up to `until`; return the rest. A step the rules refuse is skipped."""
    for position, (at, index, verb) in enumerate(steps):
        if until is not None and at >= until:
            return steps[position:]
        p.at(at)
        with contextlib.suppress(DomainError):
            _do(p, dossiers, index, verb)
    return []


def _do(p: Province, dossiers: dict[int, Dossier], index: int, verb: str) -> None:
    if verb in ("direct", "postal", "online", "online_b", "direct_b"):
        commune = p.b if verb.endswith("_b") else p.a
        procedure = p.copy if index % 3 else p.birth
        maker = {"direct": p.direct, "postal": p.postal, "online": p.online}[verb.removesuffix("_b")]
        dossiers[index] = maker(commune, procedure)
        return
    dossier = Dossier.objects.get(pk=dossiers[index].pk)
    if verb == "accept":
        if dossier.accepted_at is None:
            p.accept(dossier)
    elif verb == "apologize":
        p.apologize(dossier, new_due_at=(dossier.due_at or p.clock.time()) + timedelta(days=7))  # type: ignore[operator]
    else:
        action = {
            "resolve": p.resolve,
            "deny": lambda d: p.resolve(d, Outcome.DENIED),
            "return": p.return_result,
            "supplement": p.supplement,
            "supplied": p.supplied,
            "payment": p.payment,
            "paid": p.paid,
            "withdraw": p.withdraw,
            "stop": p.stop,
            "refuse": p.refuse,
        }[verb]
        action(dossier)


def _same_index(p: Province, period: str, now: datetime) -> None:
    for unit in (p.root, p.a.unit, p.b.unit):
        parsed = parse_period(period, today=now.date())
        maintained = index_766_maintained(unit=unit, period=parsed, now=now)
        raw = index_766_from_dossiers(unit=unit, period=parsed, now=now)
        assert index_answer(unit=unit, period=parsed, result=maintained) == index_answer(
            unit=unit, period=parsed, result=raw
        ), (unit.code, period)
        assert maintained.channels == raw.channels


def _same_report(p: Province, first: date, last: date, now: datetime) -> None:
    for group_by in (GroupBy.FIELD, GroupBy.UNIT):
        maintained = report_06a_maintained(unit=p.root, first=first, last=last, group_by=group_by, now=now)
        raw = report_06a_from_dossiers(unit=p.root, first=first, last=last, group_by=group_by, now=now)
        assert maintained.lines == raw.lines, (first, last, group_by)
        assert maintained.total == raw.total


@pytest.mark.parametrize("seed", [766, 2025, 61])
def test_aggregates_equal_the_formulas_on_raw_dossiers(province, seed):
    rng = random.Random(seed)
    steps = _story(rng, 36)
    dossiers: dict[int, Dossier] = {}

    # Half-way: the running quarter, month and year, read at a working-day afternoon.
    middle = vn(2025, 10, 20, 14, 10)
    rest = _play(province, steps, dossiers, until=middle)
    province.at(middle)
    for period in ("2025-10", "2025-Q4", "2025", "2025-09", "2025-Q3"):
        _same_index(province, period, middle)
    _same_report(province, date(2025, 9, 17), date(2025, 10, 31), middle)

    # The end: every period over.
    _play(province, rest, dossiers)
    end = vn(2026, 2, 2, 10, 0)
    province.at(end)
    for period in ("2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2025-Q3", "2025-Q4", "2025"):
        _same_index(province, period, end)
    for _ in range(4):
        first = date(2025, 7, 1) + timedelta(days=rng.randrange(200))
        _same_report(province, first, first + timedelta(days=rng.randrange(90)), end)
    _same_report(province, date(2025, 7, 1), date(2026, 1, 31), end)
    assert metrics_check() == []

"""Recomputing the aggregates from raw dossiers in memory, and comparing them with the maintained ones.

`recompute_metrics --check` (SPEC §6.1: every figure must be reproducible): refresh first, so
what is compared is what readers get, then list every daily row, monthly row and dossier fact
that differs from a recomputation from the raw dossiers; none means all good.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from motcua.metrics.aggregates import (
    Contributions,
    Deltas,
    Say,
    Series,
    accepted_ids,
    add_contributions,
    by_month,
    fact_rows,
    metrics_refresh,
)
from motcua.metrics.models import COLUMNS, DailyAggregate, DossierFact, MonthlyAggregate


@dataclass(frozen=True)
class ExpectedFact:
    """What a dossier's fact row should hold (the parts the check compares)."""

    series: Series
    code: str
    contributions: Contributions


@dataclass
class Totals:
    """Everything recomputed from raw dossiers: the rows, and each dossier's contributions."""

    daily: Deltas = field(default_factory=lambda: defaultdict(Counter))
    facts: dict[int, ExpectedFact] = field(default_factory=dict)

    @property
    def monthly(self) -> Deltas:
        return by_month(self.daily)


def recompute(*, keep_facts: bool = True, say: Say | None = None) -> Totals:
    """The aggregates as the raw dossiers give them, in memory."""
    totals = Totals()
    ids = accepted_ids()
    for done, row in enumerate(fact_rows(ids), start=1):
        add_contributions(totals.daily, row.series, row.contributions, +1)
        if keep_facts:
            totals.facts[row.record.pk] = ExpectedFact(row.series, row.record.code, row.contributions)
        if say and done % 10000 == 0:
            say(f"{done}/{len(ids)} dossiers")
    return totals


@dataclass(frozen=True)
class Difference:
    """One stored figure that the raw dossiers do not give."""

    table: str  # "daily", "monthly" or "fact"
    unit_id: int
    procedure_id: int
    field_code: str
    period: str  # the day, the month, or the dossier code for a fact
    column: str
    stored: int
    expected: int


def _stored(model: type[DailyAggregate] | type[MonthlyAggregate], period: str) -> Deltas:
    rows: Deltas = defaultdict(Counter)
    for values in model.objects.values("unit_id", "procedure_id", "field_code", period, *COLUMNS).iterator(
        chunk_size=5000
    ):
        key = ((values["unit_id"], values["procedure_id"], values["field_code"]), values[period])
        rows[key].update({c: values[c] for c in COLUMNS if values[c]})
    return rows


def _compare(table: str, stored: Deltas, expected: Deltas) -> Iterator[Difference]:
    for key in sorted(set(stored) | set(expected)):
        (unit, procedure, field_code), day = key
        have, want = stored.get(key, Counter()), expected.get(key, Counter())
        for column in COLUMNS:
            if have.get(column, 0) != want.get(column, 0):
                yield Difference(
                    table,
                    unit,
                    procedure,
                    field_code,
                    day.isoformat(),
                    column,
                    have.get(column, 0),
                    want.get(column, 0),
                )


def _compare_facts(expected: dict[int, ExpectedFact]) -> Iterator[Difference]:
    """Stored fact rows against the recomputed ones, streamed: missing, extra or different."""
    rows = DossierFact.objects.order_by("pk").values_list("dossier_id", "unit_id", "procedure_id", "field_code")
    seen = set()
    for pk, unit, procedure, field_code in rows.iterator(chunk_size=5000):
        seen.add(pk)
        want = expected.get(pk)
        if want is None:
            yield Difference("fact", unit, procedure, field_code, f"#{pk}", "extra", 1, 0)
    for chunk in _chunks(sorted(seen & set(expected)), 5000):
        stored = DossierFact.objects.filter(dossier_id__in=chunk).values_list("dossier_id", "contributions")
        for pk, contributions in stored:
            want = expected[pk]
            if contributions != want.contributions:
                yield Difference("fact", *want.series, want.code, "contributions", 1, 1)
    for pk in sorted(set(expected) - seen):
        want = expected[pk]
        yield Difference("fact", *want.series, want.code, "missing", 0, 1)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def metrics_check(*, say: Say | None = None) -> list[Difference]:
    """Refresh, then recompute from raw dossiers and list every stored figure that differs (none: all good)."""
    metrics_refresh()
    totals = recompute(say=say)
    return [
        *_compare("daily", _stored(DailyAggregate, "day"), totals.daily),
        *_compare("monthly", _stored(MonthlyAggregate, "month"), totals.monthly),
        *_compare_facts(totals.facts),
    ]

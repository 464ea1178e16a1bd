"""The dashboards' reads (metrics/dashboard.py) on a small August story: every drill-down list has
exactly as many dossiers as the figure it explains; the lists, trend, comparison and targets.

Certified copies at An Bình (5 working days, accepted at 09:00 → due a week later at 09:00):

| dossier | story | 06a (August) | 766 2.1 |
|---|---|---|---|
| S1 | accepted 23/07 (due 30/07), resolved 04/08 | carried over, late | late |
| S2 | accepted 29/07, resolved 01/08 | carried over, early | good |
| S3 | accepted 04/08, resolved 11/08 08:00 | on time | good |
| S4 | accepted 11/08, never resolved | overdue | overdue |
| S5 | accepted 12/08 (due 19/08), apology 14/08 → 26/08, resolved 21/08 | late | late |
| S6 | filed online 29/08, accepted 10:00 | in time | good |
| S7 | Bình Minh: by post 20/08, resolved 27/08 09:00 | on time | good |
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from motcua.dossiers.models import Dossier, DossierStep
from motcua.metrics.aggregates import metrics_refresh
from motcua.metrics.dashboard import (
    DENOMINATOR_PARTS,
    NUMERATOR_PARTS,
    DrilldownError,
    apologies,
    child_comparison,
    dossier_rows,
    drilldown_codes,
    last_months,
    late_dossiers,
    month_public_from,
    monthly_trend,
    officials_late,
    targets,
)
from motcua.metrics.periods import parse_period
from motcua.metrics.report_06a import GroupBy
from motcua.metrics.services import index_766_maintained, report_06a_maintained
from motcua.metrics.tests.conftest import Province, vn

AUGUST = "2025-08"
NOW = vn(2025, 9, 15, 10, 0)


def tell_story(p: Province) -> dict[str, Dossier]:
    """The story of the module docstring; returns the dossiers by name (shared with the dashboards tests)."""
    d: dict[str, Dossier] = {}
    p.at(vn(2025, 7, 23))
    d["S1"] = p.direct()
    p.at(vn(2025, 7, 29))
    d["S2"] = p.direct()
    p.at(vn(2025, 8, 1))
    p.resolve(d["S2"])
    p.at(vn(2025, 8, 4))
    d["S3"] = p.direct()
    p.at(vn(2025, 8, 4, 9, 30))
    p.resolve(d["S1"])
    p.at(vn(2025, 8, 11, 8, 0))
    p.resolve(d["S3"])
    p.at(vn(2025, 8, 11))
    d["S4"] = p.direct()
    p.at(vn(2025, 8, 12))
    d["S5"] = p.direct()
    p.at(vn(2025, 8, 14))
    p.apologize(d["S5"], new_due_at=vn(2025, 8, 26))
    p.at(vn(2025, 8, 20))
    d["S7"] = p.postal(p.b)
    p.at(vn(2025, 8, 21))
    p.resolve(d["S5"])
    p.at(vn(2025, 8, 27))
    p.resolve(d["S7"])
    p.at(vn(2025, 8, 29))
    d["S6"] = p.online()
    p.at(vn(2025, 8, 29, 10, 0))
    p.accept(d["S6"])
    p.at(NOW)
    metrics_refresh()
    return {k: Dossier.objects.get(pk=v.pk) for k, v in d.items()}


pytestmark = pytest.mark.django_db


@pytest.fixture
def august(province):
    d = tell_story(province)
    return province, d


def _period(label=AUGUST):
    return parse_period(label, today=NOW.date())


def test_every_drilldown_list_has_the_count_of_its_figure(august):
    p, _d = august
    for unit in (p.a.unit, p.b.unit, p.root):
        index = index_766_maintained(unit=unit, period=_period(), now=NOW)
        for code in NUMERATOR_PARTS | DENOMINATOR_PARTS:
            m = index.metric(code)
            if code in NUMERATOR_PARTS:
                assert len(drilldown_codes(unit=unit, period=_period(), code=code, part="numerator", now=NOW)) == (
                    m.numerator
                ), (unit.code, code)
            assert len(drilldown_codes(unit=unit, period=_period(), code=code, part="denominator", now=NOW)) == (
                m.denominator
            ), (unit.code, code)


def test_the_drilldown_names_the_dossiers_counted_by_hand(august):
    p, d = august
    good = drilldown_codes(unit=p.a.unit, period=_period(), code="2.1", part="numerator", now=NOW)
    assert good == sorted(d[k].code for k in ("S2", "S3", "S6"))
    population = drilldown_codes(unit=p.a.unit, period=_period(), code="2.1", part="denominator", now=NOW)
    assert population == sorted(d[k].code for k in ("S1", "S2", "S3", "S4", "S5", "S6"))
    received = drilldown_codes(unit=p.a.unit, period=_period(), code="4.3", part="denominator", now=NOW)
    assert received == sorted(d[k].code for k in ("S3", "S4", "S5", "S6"))
    # 5.4's denominator is 2.1's population; its numerator is a difference of counts, not a list.
    assert drilldown_codes(unit=p.a.unit, period=_period(), code="5.4", part="denominator", now=NOW) == population
    with pytest.raises(DrilldownError):
        drilldown_codes(unit=p.a.unit, period=_period(), code="5.4", part="numerator", now=NOW)
    with pytest.raises(DrilldownError):
        drilldown_codes(unit=p.a.unit, period=_period(), code="1.1", part="denominator", now=NOW)


def test_dossier_rows_keep_the_order_and_skip_unknown_codes(august):
    _p, d = august
    codes = [d["S3"].code, "NO-SUCH", d["S2"].code]
    rows = dossier_rows(codes)
    assert [r.code for r in rows] == [d["S3"].code, d["S2"].code]
    assert rows[0].accepted_at == d["S3"].accepted_at
    assert rows[0].finished_at == d["S3"].finished_at


def test_late_dossiers_are_06a_columns_10_and_13(august):
    p, d = august
    late = late_dossiers(unit=p.a.unit, period=_period(), now=NOW)
    assert late == sorted([(d["S1"].code, "late"), (d["S5"].code, "late"), (d["S4"].code, "overdue")])
    report = report_06a_maintained(
        unit=p.root, first=vn(2025, 8, 1).date(), last=vn(2025, 8, 31).date(), now=NOW, group_by=GroupBy.UNIT
    )
    everywhere = late_dossiers(unit=p.root, period=_period(), now=NOW)
    assert sum(1 for _c, s in everywhere if s == "late") == report.total.late
    assert sum(1 for _c, s in everywhere if s == "overdue") == report.total.overdue


def test_officials_late_counts_steps_past_due_in_the_month(august):
    p, d = august

    def tally(unit):
        return {r.user_id: (r.dossiers, r.steps) for r in officials_late(unit_ids=[unit.pk], month=_period())}

    # At most one open step per dossier: close S1's (a resolved dossier) to place an open one there.
    DossierStep.objects.filter(dossier=d["S1"], finished_at__isnull=True).update(finished_at=vn(2025, 8, 4, 9, 30))
    before = tally(p.a.unit)
    due = vn(2025, 8, 12, 9)
    base = {"dossier": d["S4"], "unit": p.a.unit, "role": "specialist", "started_at": vn(2025, 8, 11)}
    late_finish = due + timedelta(hours=2)
    DossierStep.objects.create(
        order=90, name="late, finished", due_at=due, finished_at=late_finish, finished_by=p.a.specialist, **base
    )
    DossierStep.objects.create(
        order=91, name="late, open", due_at=due, assignee=p.a.specialist, **(base | {"dossier": d["S1"]})
    )
    DossierStep.objects.create(order=92, name="on time", due_at=due, finished_at=due, finished_by=p.a.leader, **base)
    DossierStep.objects.create(order=93, name="held by nobody", due_at=due, finished_at=late_finish, **base)
    DossierStep.objects.create(
        order=94, name="due in July", due_at=vn(2025, 7, 30), finished_at=late_finish, assignee=p.a.leader, **base
    )

    after = tally(p.a.unit)

    assert after[p.a.specialist.pk][1] - before.get(p.a.specialist.pk, (0, 0))[1] == 2
    assert after.get(p.a.leader.pk) == before.get(p.a.leader.pk)
    assert p.a.specialist.pk not in tally(p.b.unit)
    row = next(r for r in officials_late(unit_ids=[p.a.unit.pk], month=_period()) if r.user_id == p.a.specialist.pk)
    assert row.unit == p.a.unit.name
    assert month_public_from(_period()) == vn(2025, 9, 5).date()


def test_apologies_and_trend_and_comparison(august):
    p, d = august
    window = _period().window(now=NOW)
    assert [a.dossier_id for a in apologies(unit_ids=[p.a.unit.pk], window=window)] == [d["S5"].pk]
    assert list(apologies(unit_ids=[p.b.unit.pk], window=window)) == []
    assert list(apologies(unit_ids=[p.a.unit.pk], window=_period("2025-07").window(now=NOW))) == []
    trend = monthly_trend(unit=p.a.unit, period=_period(), now=NOW)
    assert [t.period.label for t in trend] == [m.label for m in last_months(_period(), today=NOW.date())]
    assert trend[-1].period.label == AUGUST
    assert len(trend) == 12
    august_index = index_766_maintained(unit=p.a.unit, period=_period(), now=NOW)
    assert trend[-1].index.percent == august_index.percent
    assert trend[-1].index.metric("2.1").numerator == 3
    assert trend[-1].received == 4

    comparison = child_comparison(unit=p.root, period=_period(), now=NOW)
    assert [u.code for u, _r in comparison] == [p.a.unit.code, p.b.unit.code]
    for unit, result in comparison:
        alone = index_766_maintained(unit=unit, period=_period(), now=NOW)
        assert result.percent == alone.percent
        assert [m.numerator for g in result.groups for m in g.metrics] == [
            m.numerator for g in alone.groups for m in g.metrics
        ]


def test_targets_of_the_plans(august):
    p, _d = august
    index = index_766_maintained(unit=p.a.unit, period=_period(), now=NOW)
    goals = targets(unit=p.a.unit, index=index)
    assert goals.digitized.denominator == 4  # decided in August: S1, S2, S3, S5
    assert (goals.reuse.numerator, goals.reuse.denominator, goals.reuse.ratio) == (0, 4, Decimal("0.00"))
    assert (goals.online.numerator, goals.online.denominator, goals.online.ratio) == (1, 4, Decimal("25.00"))  # S6
    assert goals.productivity.officers == 1
    assert goals.productivity.per_officer == Decimal(4)
    assert goals.productivity.per_officer_year == Decimal(round(4 * 365 / 31))


def test_last_months_stop_at_today():
    months = last_months(parse_period("2025", today=vn(2025, 3, 10).date()), today=vn(2025, 3, 10).date())
    assert [m.label for m in months][-3:] == ["2025-01", "2025-02", "2025-03"]
    assert len(months) == 12

"""Keeping the aggregates current: refresh from events, refresh on read, marks, rebuild and `--check`."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from motcua.dossiers.models import DossierComponent
from motcua.metrics.aggregates import metrics_mark_dirty, metrics_rebuild, metrics_refresh
from motcua.metrics.models import DailyAggregate, DossierFact, MetricsDirty, MetricsState, MonthlyAggregate
from motcua.metrics.periods import parse_period
from motcua.metrics.recompute import metrics_check
from motcua.metrics.services import index_766_from_dossiers, index_766_maintained, report_06a_maintained
from motcua.metrics.tasks import refresh_metrics
from motcua.metrics.tests.conftest import vn
from motcua.metrics.tests.test_db_hand import NOW, tell_august

pytestmark = pytest.mark.django_db


def check_command() -> str:
    out = StringIO()
    call_command("recompute_metrics", "--check", stdout=out)
    return out.getvalue()


def test_each_action_moves_the_aggregates_exactly_as_a_recomputation(province):
    p = province
    p.at(vn(2025, 7, 1))
    metrics_rebuild()
    steps = [
        (vn(2025, 7, 1, 9), lambda: p.direct()),
        (vn(2025, 7, 1, 10), lambda: p.online()),  # not accepted yet: in no index, nothing to rebuild
        (vn(2025, 7, 2, 9), lambda: p.accept(p.citizen.owned_dossiers.get())),
        (vn(2025, 7, 3, 9), lambda: p.supplement(p.citizen.owned_dossiers.get())),
        (vn(2025, 7, 4, 9), lambda: p.supplied(p.citizen.owned_dossiers.get())),
        (vn(2025, 7, 7, 9), lambda: p.payment(p.a.officer.submitted_dossiers.get())),
        (vn(2025, 7, 14, 9), lambda: p.paid(p.a.officer.submitted_dossiers.get())),
        (vn(2025, 7, 15, 9), lambda: p.resolve(p.a.officer.submitted_dossiers.get())),
        (vn(2025, 7, 16, 9), lambda: p.return_result(p.a.officer.submitted_dossiers.get())),
        (vn(2025, 8, 20, 9), lambda: p.resolve(p.citizen.owned_dossiers.get())),
    ]
    for at, action in steps:
        p.at(at)
        action()
        report = metrics_refresh()
        assert report.dossiers == (0 if at == vn(2025, 7, 1, 10) else 1)
        assert metrics_check() == []
    assert metrics_refresh().dossiers == 0  # nothing new: nothing rebuilt


def test_reads_refresh_first(province):
    p = province
    p.at(vn(2025, 8, 4))
    period = parse_period("2025-08", today=date(2025, 8, 30))
    assert index_766_maintained(unit=p.a.unit, period=period, now=vn(2025, 8, 4, 10)).metric("2.1").denominator == 0
    p.at(vn(2025, 8, 5))
    p.direct()

    result = index_766_maintained(unit=p.a.unit, period=period, now=vn(2025, 8, 5, 10))

    assert result.metric("2.1").denominator == 1
    assert MetricsState.objects.get().event_id > 0


def test_refresh_on_read_can_be_switched_off(province, settings):
    settings.MOTCUA_METRICS_REFRESH_ON_READ = False
    province.at(vn(2025, 8, 5))
    province.direct()
    province.at(vn(2025, 8, 6))

    report = report_06a_maintained(unit=province.a.unit, first=date(2025, 8, 1), last=date(2025, 8, 6))

    assert report.lines == ()  # nothing built yet: the periodic refresh is the only writer
    metrics_refresh()
    assert (
        report_06a_maintained(unit=province.a.unit, first=date(2025, 8, 1), last=date(2025, 8, 6)).total.received == 1
    )


def test_reading_the_same_events_again_changes_nothing(province):
    tell_august(province)
    before = list(DailyAggregate.objects.order_by("pk").values())
    MetricsState.objects.update(event_id=0)  # as if every event had been seen out of order
    DossierFact.objects.update(last_event_id=0)

    metrics_refresh()

    assert list(DailyAggregate.objects.order_by("pk").values()) == before
    assert metrics_check() == []


def test_recompute_check_passes_then_fails_on_a_tampered_row(province):
    tell_august(province)
    assert "equal" in check_command()
    row = DailyAggregate.objects.filter(finished_late__gt=0).order_by("day").first()
    DailyAggregate.objects.filter(pk=row.pk).update(finished_late=F("finished_late") + 1)

    out = StringIO()
    with pytest.raises(CommandError, match="1 stored figures differ"):
        call_command("recompute_metrics", "--check", stdout=out)
    assert f"daily 000.00.21.H99 2.000815 [G09-CT01] {row.day.isoformat()} finished_late: stored" in out.getvalue()

    call_command("recompute_metrics", stdout=StringIO())  # the rebuild repairs it
    assert "equal" in check_command()


def test_check_sees_a_tampered_monthly_row(province):
    tell_august(province)
    MonthlyAggregate.objects.filter(month=date(2025, 8, 1)).update(received_online=F("received_online") + 2)

    differences = metrics_check()

    assert {(d.table, d.period, d.column) for d in differences} == {("monthly", "2025-08-01", "received_online")}


def test_a_change_without_an_event_is_caught_by_the_check_and_fixed_by_a_mark(province):
    tell_august(province)
    dossier_id = DossierFact.objects.filter(unit=province.a.unit).order_by("pk").first().dossier_id
    DossierComponent.objects.filter(dossier_id=dossier_id).update(reused=True)  # e.g. a vault link added later

    differences = metrics_check()
    assert {d.column for d in differences} == {"reused", "contributions"}

    metrics_mark_dirty(dossier_ids=[dossier_id])
    assert MetricsDirty.objects.count() == 1
    metrics_refresh(flags=False)
    assert MetricsDirty.objects.count() == 0
    assert metrics_check() == []


def test_the_periodic_refresh_picks_up_results_and_deliveries(province):
    tell_august(province)  # ends with the periodic refresh: D3's result and the deliveries are in
    period = parse_period("2025-08", today=NOW.date())
    result = index_766_maintained(unit=province.a.unit, period=period, now=NOW)
    assert (result.metric("4.1").numerator, result.metric("1.4").numerator) == (1, 7)
    assert result == index_766_from_dossiers(unit=province.a.unit, period=period, now=NOW)


def test_the_refresh_task_and_command(province):
    tell_august(province)
    province.at(vn(2025, 9, 16))
    province.direct()

    result = refresh_metrics.enqueue()

    assert result.return_value["event_id"] == MetricsState.objects.get().event_id
    assert result.return_value["dossiers"] >= 1
    assert DossierFact.objects.filter(accepted_at=vn(2025, 9, 16)).exists()
    province.at(vn(2025, 9, 17))
    out = StringIO()
    call_command("metrics_refresh", stdout=out)
    assert out.getvalue().startswith("0 dossiers refreshed")

"""`selectors.procedures_with`: which procedures had a counted dossier in a span, from the aggregate rows.

The span is read from the daily rows for its partial months and from the monthly rows for its
whole months (as the other sums), so each kind of row is put here on its own to show it is read.
"""

from __future__ import annotations

from datetime import date

import pytest

from motcua.metrics.models import DailyAggregate, MonthlyAggregate
from motcua.metrics.selectors import procedures_with
from motcua.metrics.tests.conftest import Province

pytestmark = pytest.mark.django_db


def _rows(p: Province) -> None:
    a, b = p.a.unit.pk, p.b.unit.pk
    # The copy: paid online at An Bình on 10 Sep (a daily row only: September is partial below).
    DailyAggregate.objects.create(unit_id=a, procedure=p.copy, day=date(2025, 9, 10), paid_online=1, fee_due=1)
    # The birth: synced with its fee at Bình Minh in August (a monthly row), nothing paid online.
    MonthlyAggregate.objects.create(unit_id=b, procedure=p.birth, month=date(2025, 8, 1), fee_synced=2, fee_due=2)
    # The birth at An Bình: received, no fee counters at all.
    DailyAggregate.objects.create(unit_id=a, procedure=p.birth, day=date(2025, 9, 11), received_direct=1)


def test_a_partial_month_is_read_from_the_daily_rows(province):
    _rows(province)
    ids = [province.a.unit.pk, province.b.unit.pk]
    among = [province.copy.pk, province.birth.pk]

    paid = procedures_with(
        unit_ids=ids, start=date(2025, 9, 5), end=date(2025, 9, 20), column="paid_online", among=among
    )
    too_early = procedures_with(
        unit_ids=ids, start=date(2025, 9, 1), end=date(2025, 9, 10), column="paid_online", among=among
    )

    assert paid == {province.copy.pk}
    assert too_early == set()  # the end is exclusive


def test_whole_months_are_read_from_the_monthly_rows(province):
    _rows(province)
    ids = [province.a.unit.pk, province.b.unit.pk]
    among = [province.copy.pk, province.birth.pk]

    synced = procedures_with(
        unit_ids=ids, start=date(2025, 7, 15), end=date(2025, 10, 1), column="fee_synced", among=among
    )

    assert synced == {province.birth.pk}


def test_only_the_units_and_procedures_asked_about_count(province):
    _rows(province)
    span = {"start": date(2025, 1, 1), "end": date(2026, 1, 1)}

    only_a = procedures_with(unit_ids=[province.a.unit.pk], column="fee_synced", among=[province.birth.pk], **span)
    not_among = procedures_with(unit_ids=[province.b.unit.pk], column="fee_synced", among=[province.copy.pk], **span)
    nothing_asked = procedures_with(unit_ids=[], column="fee_synced", among=[province.birth.pk], **span)

    assert only_a == not_among == nothing_asked == set()


def test_a_column_not_kept_on_the_day_of_acceptance_is_refused(province):
    with pytest.raises(ValueError, match="finished_late"):
        procedures_with(
            unit_ids=[province.a.unit.pk],
            start=date(2025, 1, 1),
            end=date(2026, 1, 1),
            column="finished_late",
            among=[province.copy.pk],
        )

"""Migration metrics.0002: `fee_synced` filled in for facts kept before the column existed.

The state before the migration is made from the August story of `test_db_hand` (3.5 counts one
procedure there): the column zeroed in the aggregate rows and removed from every fact's stored
contributions. Running the migration's function must give back exactly what a recomputation gives.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from motcua.metrics.models import COLUMNS, DailyAggregate, DossierFact, MonthlyAggregate
from motcua.metrics.recompute import metrics_check
from motcua.metrics.tests.test_db_hand import tell_august

pytestmark = pytest.mark.django_db

fill_fee_synced = importlib.import_module("motcua.metrics.migrations.0002_fee_synced_column").fill_fee_synced


def _rows() -> list[tuple[object, ...]]:
    daily = DailyAggregate.objects.values_list("unit_id", "procedure_id", "field_code", "day", *COLUMNS)
    monthly = MonthlyAggregate.objects.values_list("unit_id", "procedure_id", "field_code", "month", *COLUMNS)
    return sorted(daily) + sorted(monthly)


def test_the_migration_fills_the_column_as_a_recomputation_would(province):
    tell_august(province)
    assert metrics_check() == []  # refreshed: nothing pending that a later refresh would apply on top
    expected = _rows()
    assert sum(DailyAggregate.objects.values_list("fee_synced", flat=True)) > 0  # something to fill in
    # As before the column: zero in the rows, absent from the stored contributions.
    DailyAggregate.objects.update(fee_synced=0)
    MonthlyAggregate.objects.update(fee_synced=0)
    for fact in DossierFact.objects.all():
        fact.contributions = {
            day: {c: n for c, n in counts.items() if c != "fee_synced"} for day, counts in fact.contributions.items()
        }
        fact.save(update_fields=["contributions"])
    assert _rows() != expected

    fill_fee_synced(apps, None)

    assert _rows() == expected
    assert metrics_check() == []

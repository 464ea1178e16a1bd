"""The `fee_synced` counter (3.5 read from the aggregates), filled in for the facts already kept.

A dossier's contributions name the day it was accepted by its `fee_due` (only that day carries
the accepted-day counters), so a dossier synced to DVCQG with a fee due adds `fee_synced` there,
to its stored contributions (so a later refresh subtracts it again) and to the daily and monthly
rows. The same numbers `metrics_rebuild` would write; `recompute_metrics --check` confirms them.
"""

from collections import Counter
from datetime import date

from django.db import migrations, models

BATCH = 2000


def _month(day: str) -> date:
    return date.fromisoformat(day).replace(day=1)


def fill_fee_synced(apps, schema_editor):  # type: ignore[no-untyped-def]
    fact_model = apps.get_model("metrics", "DossierFact")
    daily_model = apps.get_model("metrics", "DailyAggregate")
    monthly_model = apps.get_model("metrics", "MonthlyAggregate")
    daily: Counter = Counter()
    monthly: Counter = Counter()
    changed = []
    facts = fact_model.objects.filter(synced_dvcqg=True).only(
        "dossier_id", "unit_id", "procedure_id", "field_code", "contributions"
    )
    for fact in facts.iterator(chunk_size=BATCH):
        for day, counts in (fact.contributions or {}).items():
            if counts.get("fee_due"):  # the column is new: every such fact counts, whatever it stored
                counts["fee_synced"] = 1
                series = (fact.unit_id, fact.procedure_id, fact.field_code)
                daily[(*series, date.fromisoformat(day))] += 1
                monthly[(*series, _month(day))] += 1
                changed.append(fact)
        if len(changed) >= BATCH:
            fact_model.objects.bulk_update(changed, ["contributions"])
            changed = []
    if changed:
        fact_model.objects.bulk_update(changed, ["contributions"])
    for model, period, sums in ((daily_model, "day", daily), (monthly_model, "month", monthly)):
        for (unit, procedure, field_code, when), count in sums.items():
            model.objects.filter(
                unit_id=unit, procedure_id=procedure, field_code=field_code, **{period: when}
            ).update(fee_synced=models.F("fee_synced") + count)


class Migration(migrations.Migration):
    dependencies = [
        ("metrics", "0001_aggregates"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailyaggregate",
            name="fee_synced",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="monthlyaggregate",
            name="fee_synced",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(fill_fee_synced, migrations.RunPython.noop),
    ]

"""The database side of the indices: per-dossier facts, the aggregates summed from them, and published figures.

How the pieces fit (see `aggregates.py` for the maintenance, `collect.py` for the facts):

- `DossierFact`: one row per accepted dossier, the metric state of the dossier as of its last
  refresh. Its `contributions` are exactly what the dossier adds to the aggregate rows, so a
  refresh subtracts the old contributions and adds the new ones, and nothing is ever counted twice.
- `DailyAggregate`: counts per unit × procedure × field × local day (SPEC §5.2c). *Flow* columns
  count what happened that day (received by channel, finished early / on time / late, …); *open*
  columns are deltas: the change of the dossiers in progress from the start of the day to the start
  of the next, so "in progress at the start of day D" is the sum of the deltas of the days before D.
- `MonthlyAggregate`: the same columns summed per month, so a year is 12 rows per series.
- `MetricsState`: the watermarks of the incremental refresh. `MetricsDirty`: dossiers another app
  changed without a dossier event (ratings, payments, documents), waiting for the next refresh.
- `PublishedIndex`: a unit's 766 figures for a period, frozen when published.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit

# Flow columns keyed on the day the dossier was accepted (received in the period).
ACCEPTED_COLUMNS = (
    "received_direct",
    "received_online",
    "received_postal",
    "synced_dvcqg",  # 1.4 numerator
    "full_online_eligible",  # 3.3 denominator
    "full_online",  # 3.3 numerator
    "fee_due",  # 3.6 denominator
    "paid_online",  # 3.6 numerator; 3.5b: a procedure with one in the period paid online
    "fee_synced",  # 3.5: fee due and synced to DVCQG (a procedure with one in the period counts)
    "certification",  # 4.2b denominator
    "e_certified_copy",  # 4.2b numerator
    "reused",  # 4.3 numerator
    "personal_store",  # 4.4 numerator
    "population_data",  # 4.5b numerator
)
# Flow columns keyed on the day the dossier was finished (resolved, withdrawn or stopped).
FINISHED_COLUMNS = (
    "finished",  # 06a (7)
    "finished_early",  # 06a (8)
    "finished_on_time",  # 06a (9)
    "finished_late",  # 06a (10)
    "finished_late_766",  # late under the 766 rule (more than one supplement request → late)
    "finished_complained",  # 5.4: a complaint or a negative rating
    "decided",  # 4.2 denominator: resolved or returned
    "digitized",  # 4.2 numerator
    "result_due",  # 4.1 denominator: decided, the procedure issues a result, not denied
    "e_result",  # 4.1 numerator
)
# Deltas of the dossiers in progress at the start of each day (see the module docstring).
OPEN_COLUMNS = (
    "open_total",  # 06a (11) at the period end, (6) at its start
    "open_overdue",  # 06a (13)
    "open_overdue_766",  # 2.1: overdue under the 766 rule
    "open_complained",  # 5.4
)
COLUMNS = ACCEPTED_COLUMNS + FINISHED_COLUMNS + OPEN_COLUMNS


class AggregateColumns(models.Model):
    """The counters every aggregate row carries (see the column lists above)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    # The field (lĩnh vực) of the procedure version the dossiers were filed under; "" if none.
    field_code = models.CharField(max_length=40, blank=True, default="")

    received_direct = models.IntegerField(default=0)
    received_online = models.IntegerField(default=0)
    received_postal = models.IntegerField(default=0)
    synced_dvcqg = models.IntegerField(default=0)
    full_online_eligible = models.IntegerField(default=0)
    full_online = models.IntegerField(default=0)
    fee_due = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    fee_synced = models.IntegerField(default=0)
    certification = models.IntegerField(default=0)
    e_certified_copy = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    personal_store = models.IntegerField(default=0)
    population_data = models.IntegerField(default=0)

    finished = models.IntegerField(default=0)
    finished_early = models.IntegerField(default=0)
    finished_on_time = models.IntegerField(default=0)
    finished_late = models.IntegerField(default=0)
    finished_late_766 = models.IntegerField(default=0)
    finished_complained = models.IntegerField(default=0)
    decided = models.IntegerField(default=0)
    digitized = models.IntegerField(default=0)
    result_due = models.IntegerField(default=0)
    e_result = models.IntegerField(default=0)

    open_total = models.IntegerField(default=0)
    open_overdue = models.IntegerField(default=0)
    open_overdue_766 = models.IntegerField(default=0)
    open_complained = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyAggregate(AggregateColumns):
    """What the dossiers of one unit, procedure and field did on one local day (SPEC §5.2c)."""

    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "procedure", "field_code", "day"], name="unique_daily_aggregate")
        ]
        indexes = [models.Index(fields=["unit", "day"], name="daily_agg_unit_day_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id}/{self.field_code} {self.day}"


class MonthlyAggregate(AggregateColumns):
    """The daily rows of one month summed: a year of a unit is twelve rows per procedure."""

    month = models.DateField()  # the first day of the month

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "procedure", "field_code", "month"], name="unique_monthly_aggregate"
            )
        ]
        indexes = [models.Index(fields=["unit", "month"], name="monthly_agg_unit_month_idx")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.procedure_id}/{self.field_code} {self.month:%Y-%m}"


class DossierFact(models.Model):
    """The metric state of one accepted dossier as of its last refresh, and what it adds to the aggregates."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, primary_key=True, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    field_code = models.CharField(max_length=40, blank=True, default="")
    accepted_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # While open: overdue at any instant after these (NULL: not while nothing happens; see collect.py).
    overdue_after = models.DateTimeField(null=True, blank=True)
    overdue_after_766 = models.DateTimeField(null=True, blank=True)
    complained = models.BooleanField(default=False)
    synced_dvcqg = models.BooleanField(default=False)
    # The newest dossier event this state was built from.
    last_event_id = models.BigIntegerField(default=0)
    # {"YYYY-MM-DD": {"column": n, …}, …}: this dossier's share of the daily rows of its series.
    contributions = models.JSONField(default=dict)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["unit"], condition=Q(finished_at__isnull=True), name="dossier_fact_open_idx"),
            models.Index(fields=["dossier"], condition=Q(synced_dvcqg=False), name="dossier_fact_unsynced_idx"),
        ]

    def __str__(self) -> str:
        return f"facts of dossier {self.dossier_id}"


class MetricsState(models.Model):
    """The incremental refresh's watermarks; a single row (pk 1), also the refresh's lock."""

    event_id = models.BigIntegerField(default=0)  # newest DossierEvent applied
    document_id = models.BigIntegerField(default=0)  # newest documents.Document looked at
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"metrics state: event {self.event_id}"


class MetricsDirty(models.Model):
    """A dossier whose metric inputs changed without a dossier event; the next refresh rebuilds its facts."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, primary_key=True, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"dirty dossier {self.dossier_id}"


class PublishedIndex(models.Model):
    """A unit's 766 index for a period as published (SPEC §3.10): public, and never recomputed."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="published_indices")
    period = models.CharField(max_length=10)  # YYYY, YYYY-Qn or YYYY-MM
    figures = models.JSONField()  # the answer of GET /api/v1/metrics/766 at publication
    published_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period"], name="unique_published_index")]
        ordering = ["unit", "period"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.period}"

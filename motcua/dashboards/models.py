"""The weekly publication of the 766 index (SPEC §3.10): one frozen snapshot per unit, week and period."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit


class WeeklyIndex(models.Model):
    """A unit's 766 index for a period as published in one week: the public page's history.

    Each weekly run publishes the month, quarter and year containing the Sunday that closed the
    week, evaluated at the Monday 00:00 that opened the publication week; the same figures go to
    `metrics.PublishedIndex` (the latest one per period, read by GET /api/v1/metrics/766).
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    week = models.DateField(_("week"))  # the Monday of the publication week
    period = models.CharField(_("period"), max_length=10)  # YYYY, YYYY-Qn or YYYY-MM
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=40, blank=True)
    figures = models.JSONField()  # the answer of GET /api/v1/metrics/766
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "week", "period"], name="unique_weekly_index"),
        ]
        indexes = [models.Index(fields=["week"], name="weekly_index_week_idx")]
        ordering = ["unit", "-week", "period"]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.week} {self.period}"

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class CalendarOverride(TimeStampedModel):
    """A government decision that makes one date a day off or a working day, whatever the holidays package says."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    reason = models.CharField(
        _("reason"), max_length=255, help_text=_("Shown in due-date explanations, e.g. “Nghỉ bù Tết Nguyên Đán”.")
    )
    decision_number = models.CharField(
        _("decision number"), max_length=100, blank=True, help_text=_("The decision or notice ordering the swap.")
    )

    class Meta:
        ordering = ["-day"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.get_kind_display()}"

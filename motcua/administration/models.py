from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit


class AdminChange(models.Model):
    """One change an administrator made through the administration pages: who, what, when, before, after."""

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    action = models.CharField(_("action"), max_length=50)
    # What was changed, as "<model>:<pk>" plus a readable label kept even if the object is renamed later.
    target = models.CharField(_("object"), max_length=100)
    target_label = models.CharField(_("object"), max_length=255, blank=True)
    # The unit the change concerns, so a unit administrator sees the changes within his units.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("administration change")
        verbose_name_plural = _("administration changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.by} {self.action} {self.target}"

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.roles import Role
from motcua.core.models import TimeStampedModel


class Province(models.Model):
    """A province with its QCVN 102 level-1 letter code (e.g. H56); the table is data, not code."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # The demo province H99 is fictional; pages and reports can say so.
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class UnitKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    SERVICE_CENTER = "service_center", _("Public administration service centre")
    DEPARTMENT = "department", _("Department")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune / ward")
    OFFICE = "office", _("Office / division")
    OTHER = "other", _("Other")


class Unit(TimeStampedModel):
    """A node of the government tree (province, department, commune, office) with its identifier code."""

    code = models.CharField(_("identifier code"), max_length=35, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    # Diacritics-folded name + short name for search (SPEC §5.1); written by the services.
    name_folded = models.CharField(max_length=360, blank=True, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=30, choices=UnitKind.choices, default=UnitKind.OFFICE)
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, null=True, blank=True, related_name="units")
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Old units keep their dossiers; the successor tells where their work went after a merge.
    successor = models.ForeignKey(
        "self",
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_active(self) -> bool:
        return self.active_until is None


class UnitHistory(models.Model):
    """One change of a unit's identity (created, renamed, recoded, merged, dissolved), kept forever."""

    class Change(models.TextChoices):
        CREATED = "created", _("Created")
        RENAMED = "renamed", _("Renamed")
        RECODED = "recoded", _("Code changed")
        MERGED = "merged", _("Merged into another unit")
        DISSOLVED = "dissolved", _("Dissolved")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="history")
    change = models.CharField(max_length=20, choices=Change.choices)
    old_name = models.CharField(max_length=255, blank=True)
    new_name = models.CharField(max_length=255, blank=True)
    old_code = models.CharField(max_length=35, blank=True)
    new_code = models.CharField(max_length=35, blank=True)
    successor = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decision = models.CharField(_("decision"), max_length=100, blank=True)
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["unit", "effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.unit.code} {self.change} {self.effective_on}"


class Counter(TimeStampedModel):
    """A one-stop desk (Bộ phận Một cửa) attached to a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="counters")
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__code", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")
    OFFICER = "officer", _("Officer")


class Membership(TimeStampedModel):
    """A staff member's role in a unit (and at a counter), for a period."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships")
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, default=Position.OFFICER)
    title = models.CharField(_("title"), max_length=150, blank=True)
    field_of_work = models.CharField(_("field of work"), max_length=150, blank=True)
    work_phone = models.CharField(_("work phone"), max_length=30, blank=True)
    active_from = models.DateField(_("active from"), null=True, blank=True)
    active_until = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["unit__code", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                condition=Q(active_until__isnull=True),
                name="unique_active_membership_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit.code}"

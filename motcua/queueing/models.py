from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.organizations.models import Counter, Unit


class ServiceArea(TimeStampedModel):
    """A line of the kiosk (e.g. "A · Hộ tịch") whose tickets carry its letter; served by some counters of a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="service_areas")
    letter = models.CharField(
        _("letter"), max_length=1, validators=[RegexValidator(r"^[A-Z]$", _("One capital letter, A to Z."))]
    )
    name = models.CharField(_("name"), max_length=150)
    # Free text for the kiosk button ("Hộ tịch, chứng thực"): which procedure fields the area takes.
    procedure_fields = models.CharField(_("procedure fields"), max_length=300, blank=True)
    # No counter listed: every counter of the unit calls this area.
    counters = models.ManyToManyField(Counter, blank=True, related_name="service_areas", verbose_name=_("counters"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__code", "position", "letter"]
        constraints = [models.UniqueConstraint(fields=["unit", "letter"], name="unique_service_area_letter")]

    def __str__(self) -> str:
        return f"{self.letter} · {self.name}"


class TicketSequence(models.Model):
    """The last ticket number given in an area on a local day."""

    area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "day"], name="unique_ticket_sequence")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.day}: {self.last_number}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped (absent)")
    TRANSFERRED = "transferred", _("Transferred")


class PriorityReason(models.TextChoices):
    ELDERLY = "elderly", _("Elderly person")
    DISABLED = "disabled", _("Person with a disability")
    PREGNANT = "pregnant", _("Pregnant woman")
    CHILD = "child", _("With a child under 6")


ACTIVE_STATUSES = (TicketStatus.CALLED, TicketStatus.SERVING)


class Ticket(models.Model):
    """A queue number taken at the kiosk, with the time stamps that give waiting and service time."""

    area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="tickets")
    day = models.DateField(_("day"))
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("ticket number"), max_length=10)
    priority_reason = models.CharField(_("priority"), max_length=20, choices=PriorityReason.choices, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    issued_at = models.DateTimeField(_("issued at"))
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    served_at = models.DateTimeField(_("service started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    # The last time the board announced it (call or recall): the board lists the newest first.
    announced_at = models.DateTimeField(null=True, blank=True, db_index=True)
    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="tickets")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A transfer closes this ticket and queues a copy (same number) in the target area / for the target counter.
    transferred_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )
    target_counter = models.ForeignKey(Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="queue_tickets"
    )

    class Meta:
        ordering = ["day", "area", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day", "number"],
                condition=Q(transferred_from__isnull=True),
                name="unique_ticket_number_per_area_day",
            ),
            # A counter has at most one citizen in front of it.
            models.UniqueConstraint(
                fields=["counter"], condition=Q(status__in=["called", "serving"]), name="one_active_ticket_per_counter"
            ),
        ]
        indexes = [models.Index(fields=["area", "status", "issued_at"], name="queue_waiting_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def priority(self) -> bool:
        return bool(self.priority_reason)


class CounterSession(models.Model):
    """An officer seated at a counter from `opened_at` until `closed_at` (open while None)."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="queue_sessions")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="counter_sessions")
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter"], condition=Q(closed_at__isnull=True), name="one_open_session_per_counter"
            ),
            models.UniqueConstraint(
                fields=["officer"], condition=Q(closed_at__isnull=True), name="one_open_session_per_officer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} @ {self.counter}"

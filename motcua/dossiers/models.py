from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.core.models import TimeStampedModel
from motcua.documents.models import Document
from motcua.dossiers.lifecycle import STATUS_LABELS, Action, Status
from motcua.organizations.models import Counter, Unit
from motcua.workflow.models import StepDefinition

USER = settings.AUTH_USER_MODEL

STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]
ACTION_CHOICES = [(action.value, action.value) for action in Action]


class Channel(models.IntegerChoices):
    """How the dossier came in; the numbers are the national portal's KenhThucHien."""

    DIRECT = 1, _("Direct at the counter")
    ONLINE = 2, _("Online")
    POSTAL = 3, _("Public postal service")


class ReturnMethod(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    POST = "post", _("By post")
    ELECTRONIC = "electronic", _("Electronically")


def usual_return_method(channel: int) -> str:
    """How a result usually goes back for a filing channel: at the counter, electronically, or by post."""
    if channel == Channel.DIRECT:
        return ReturnMethod.COUNTER
    return ReturnMethod.ELECTRONIC if channel == Channel.ONLINE else ReturnMethod.POST


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANIZATION = "organization", _("Organization")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class Dossier(TimeStampedModel):
    """One application (hồ sơ) for one procedure, from registration to the returned result."""

    # Assigned once when the dossier is registered (SPEC §4.1) and never changed.
    code = models.CharField(_("dossier code"), max_length=60, unique=True, null=True, blank=True)
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers")

    # The applicant as declared on the dossier: a snapshot, so later profile edits do not rewrite history.
    applicant_kind = models.CharField(max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.PERSON)
    applicant_name = models.CharField(_("full name"), max_length=200, blank=True)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, blank=True, db_index=True)
    applicant_date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    applicant_address = models.CharField(_("address"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=30, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    organization_name = models.CharField(_("organization name"), max_length=300, blank=True)
    organization_tax_code = models.CharField(_("tax code"), max_length=20, blank=True, db_index=True)
    organization_representative = models.CharField(_("representative"), max_length=200, blank=True)
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_dossiers")
    submitted_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="submitted_dossiers")

    channel = models.PositiveSmallIntegerField(_("channel"), choices=Channel.choices)
    receiving_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="received_dossiers")
    receiving_counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    handling_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="handled_dossiers")
    return_method = models.CharField(max_length=20, choices=ReturnMethod.choices, default=ReturnMethod.COUNTER)

    status = models.CharField(_("status"), max_length=30, choices=STATUS_CHOICES, default=Status.DRAFT)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The due time before an apology: lateness for the indices is measured against it (SPEC §4.4).
    due_at_before_apology = models.DateTimeField(null=True, blank=True)
    due_explanation = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    # While awaiting payment the clock is paused; these hold what is left of it.
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    # Microsecond-exact hours (6 places ≈ 4 ms), so a pause never shortens or stretches the clock.
    remaining_working_hours = models.DecimalField(max_digits=14, decimal_places=6, null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)
    form_data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["handling_unit", "status"], name="dossier_handling_status_idx"),
            models.Index(fields=["receiving_unit", "status"], name="dossier_receiving_status_idx"),
            models.Index(fields=["procedure", "submitted_at"], name="dossier_procedure_submit_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="dossier_code_not_blank"),
            models.CheckConstraint(
                condition=Q(status=Status.DRAFT) | Q(code__isnull=False), name="dossier_registered_has_code"
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk}"

    @property
    def applicant_display_name(self) -> str:
        if self.applicant_kind == ApplicantKind.ORGANIZATION:
            return self.organization_name
        return self.applicant_name

    @property
    def status_enum(self) -> Status:
        return Status(self.status)


class DossierComponent(models.Model):
    """A document provided with the dossier for one component of the procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="components")
    component = models.ForeignKey(Component, on_delete=models.PROTECT, related_name="+")
    originals = models.PositiveSmallIntegerField(default=0)
    copies = models.PositiveSmallIntegerField(default=0)
    # Stored file ids (documents app); a list until documents link them properly.
    files = models.JSONField(default=list, blank=True)
    # The VaultDocument id taken instead of the paper (reused = True then; metric 4.3 counts it).
    vault_document = models.BigIntegerField(null=True, blank=True)
    reused = models.BooleanField(default=False)
    # Scanned at the counter and sent to digitization (metric 4.2); the searchable copy is `digitized_document`.
    digitized = models.BooleanField(default=False)
    digitized_document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("digitized copy"),
    )

    class Meta:
        ordering = ["dossier", "component__order"]
        constraints = [models.UniqueConstraint(fields=["dossier", "component"], name="unique_dossier_component")]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.component.code}"


class FeeLine(models.Model):
    """A fee or charge due on the dossier, and its payment."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="fee_lines")
    code = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=255)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    kind = models.CharField(max_length=10, blank=True)
    collected_at = models.CharField(max_length=12, blank=True)  # when it is collected (catalog FeeCollection)
    paid_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=30, blank=True)
    receipt_number = models.CharField(max_length=60, blank=True)  # the receipt (biên lai) or transaction number
    paid_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["dossier", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class DossierStep(models.Model):
    """A step of the dossier's workflow as it ran: who held it, when it was due, when it finished."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="steps")
    step_definition = models.ForeignKey(
        StepDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, default="processing")
    name = models.CharField(max_length=255)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="dossier_steps")
    role = models.CharField(max_length=30)
    assignee = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    allotted_hours = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=30, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"], condition=Q(finished_at__isnull=True), name="one_open_step_per_dossier"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "due_at"], condition=Q(finished_at__isnull=True), name="open_step_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.name}"


class Consultation(models.Model):
    """A question to another unit about the dossier, with a deadline (Decree 61/2018 Art. 19.5)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="consultations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="consultations")
    question = models.TextField()
    asked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField()
    due_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["dossier", "asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier} → {self.unit.code}"


class SupplementRequest(models.Model):
    """A request to the applicant to complete the dossier (Mẫu 02)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="supplement_requests")
    missing = models.JSONField(default=list)
    note = models.TextField(blank=True)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    # Asked at reception (before the clock started) or during appraisal.
    before_acceptance = models.BooleanField(default=False)
    due_before = models.DateTimeField(null=True, blank=True)  # due time the dossier had when asked
    supplied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} · {self.requested_at:%Y-%m-%d}"


class Apology(models.Model):
    """The apology and new return time for a dossier expected to be late (Mẫu 04); once per dossier."""

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="apology")
    reason = models.TextField()
    old_due_at = models.DateTimeField()
    new_due_at = models.DateTimeField()
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "apologies"

    def __str__(self) -> str:
        return f"{self.dossier} → {self.new_due_at:%Y-%m-%d}"


class DossierEvent(models.Model):
    """One action on a dossier, appended forever and hash-chained to the previous one (SPEC §5.4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField()
    action = models.CharField(max_length=30, choices=ACTION_CHOICES)
    from_status = models.CharField(max_length=30)
    to_status = models.CharField(max_length=30)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["dossier", "sequence"]
        constraints = [models.UniqueConstraint(fields=["dossier", "sequence"], name="unique_event_sequence")]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.sequence} {self.action}"

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        # Append-only: an existing event is never rewritten through the ORM.
        if self.pk is not None and not self._state.adding:
            raise ValueError("dossier events are append-only")
        super().save(*args, **kwargs)


class DailySequence(models.Model):
    """The last dossier number used for a code prefix on a local day (SPEC §4.1)."""

    prefix = models.CharField(max_length=35)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="unique_daily_sequence")]

    def __str__(self) -> str:
        return f"{self.prefix} {self.day}: {self.last_number}"


class IdempotencyKey(models.Model):
    """A caller's `Idempotency-Key` and the dossier its first request created."""

    key = models.CharField(max_length=200)
    caller = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    request_hash = models.CharField(max_length=64)
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "key"], name="unique_idempotency_key")]

    def __str__(self) -> str:
        return self.key


class PersonalDataAccess(models.Model):
    """A staff member read a dossier's personal data (SPEC §5.4): who, which dossier, when, why."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    purpose = models.CharField(max_length=100)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} read {self.dossier} at {self.at:%Y-%m-%d %H:%M}"

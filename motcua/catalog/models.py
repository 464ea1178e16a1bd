from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.organizations.models import Unit


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    WORKING_HOURS = "working_hours", _("working hours")
    DAYS = "days", _("calendar days")


class OnlineLevel(models.TextChoices):
    FULL = "full", _("Full online")
    PARTIAL = "partial", _("Partly online")
    NONE = "none", _("Not online")


class Level(models.TextChoices):
    """The tier of government a procedure is done at, as the national portal lists it (CAPTHUCHIEN)."""

    MINISTRY = "ministry", _("Ministry level")
    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")
    OTHER = "other", _("Other agencies")


class Field(models.Model):
    """A field of procedures (lĩnh vực), code MX1X2-LV or a local code when the national one is unknown."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False)
    # The source had no MALINHVUC: the code was derived from the name and is ours, not national.
    is_local = models.BooleanField(_("local code"), default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Procedure(TimeStampedModel):
    """An administrative procedure (TTHC) by national code; its content lives in versions."""

    code = models.CharField(_("national code"), max_length=30, unique=True)
    current_version = models.ForeignKey(
        "ProcedureVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ProcedureVersion(TimeStampedModel):
    """What a procedure required under one publishing decision; dossiers pin the version they were filed under."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")
        ABOLISHED = "abolished", _("Abolished")

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    name = models.TextField(_("name"))
    # Diacritics-folded name + code for search (SPEC §5.1); pg_trgm-indexed on PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    field = models.ForeignKey(Field, on_delete=models.PROTECT, null=True, blank=True, related_name="versions")
    levels = models.JSONField(_("levels"), default=list, blank=True)
    # Level codes of `levels` as "|commune|province|": a LIKE filter that works the same on SQLite and PostgreSQL.
    level_codes = models.CharField(max_length=120, blank=True, editable=False)
    competent_bodies = models.JSONField(_("competent bodies"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    processing_time = models.DecimalField(_("processing time"), max_digits=8, decimal_places=2, null=True, blank=True)
    processing_time_unit = models.CharField(max_length=20, choices=TimeUnit.choices, blank=True)
    online_processing_time = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    online_processing_time_unit = models.CharField(max_length=20, choices=TimeUnit.choices, blank=True)
    time_description = models.TextField(_("time description"), blank=True)
    online_level = models.CharField(max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE)
    postal_allowed = models.BooleanField(_("postal allowed"), default=False)
    non_geographic = models.BooleanField(_("non-geographic reception"), default=False)
    inter_agency = models.BooleanField(_("inter-agency"), default=False)
    immediate_result = models.BooleanField(_("immediate result"), default=False)
    # Chứng thực and similar: accepted after 15:00 → counted from the next working day (Decree 23/2015 Art. 7).
    next_day_after_15h = models.BooleanField(default=False)
    requirements = models.TextField(_("requirements"), blank=True)
    subjects = models.TextField(_("subjects"), blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    # Trình tự thực hiện (LayThuTuc TRINHTUTHUCHIEN): one of the contents Decree 63/2010 Art. 8.2
    # requires to be public (766 metric 1.3).
    steps = models.TextField(_("steps"), blank=True, default="")
    decision_number = models.CharField(_("publishing decision"), max_length=100, blank=True)
    # Date of the publishing decision (quyết định công bố); `effective_from` is the date the
    # version's legal basis takes effect. 766 metric 1.1 compares the two.
    decision_date = models.DateField(_("publishing decision date"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_until = models.DateField(_("effective until"), null=True, blank=True)
    # When the version was made public (công khai) on the national procedure database and the
    # portal; None: not yet (766 metric 1.2: within 5 working days of the decision).
    publicized_on = models.DateField(_("publicized on"), null=True, blank=True)
    # The procedure's forms are filled from, or checked against, the national population database
    # (766 metric 4.5a); off until the integration is declared.
    population_data = models.BooleanField(_("uses population data"), default=False)
    source = models.JSONField(default=dict, blank=True)
    # SHA-256 of the imported record: re-importing the same content creates no new version.
    content_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["procedure__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="unique_procedure_version")]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"


class Component(models.Model):
    """A document the applicant must provide (thành phần hồ sơ) under one procedure version."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("code"), max_length=60)
    # MAGIAYTO as the national database gave it; `code` falls back to a local `<MATTHC>.TP<n>` without it.
    national_code = models.CharField(max_length=60, blank=True)
    is_local_code = models.BooleanField(default=False)
    case = models.TextField(_("case"), blank=True)
    name = models.TextField(_("name"))
    required = models.BooleanField(_("required"), default=True)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    copies = models.PositiveSmallIntegerField(_("copies"), default=0)
    form_schema = models.JSONField(_("e-form schema"), null=True, blank=True)
    form_template_url = models.CharField(max_length=500, blank=True)
    form_template_name = models.CharField(_("form template"), max_length=255, blank=True)
    document_type_code = models.CharField(_("document type code"), max_length=60, blank=True)
    must_digitize = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_component_code")]

    def __str__(self) -> str:
        return self.code


class FeeKind(models.TextChoices):
    FEE = "phi", _("Fee (phí)")
    CHARGE = "le_phi", _("Charge (lệ phí)")


class FeeCollection(models.TextChoices):
    AT_SUBMISSION = "submission", _("At submission")
    AT_SUPPLEMENT = "supplement", _("At supplement")
    AT_RETURN = "return", _("At return")


class Fee(models.Model):
    """A fee line of a procedure version."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    code = models.CharField(max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=255)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, default="VND")
    kind = models.CharField(max_length=10, choices=FeeKind.choices, default=FeeKind.CHARGE)
    channel = models.PositiveSmallIntegerField(null=True, blank=True)
    # Which time row of the channel the fee line belongs to (THOIGIAN[n].PHILEPHI in LayThuTuc).
    time_row = models.PositiveSmallIntegerField(default=0)
    collected_at = models.CharField(max_length=12, choices=FeeCollection.choices, default=FeeCollection.AT_SUBMISSION)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount} {self.currency}"


class ResultType(models.Model):
    """A kind of result a procedure issues (permit, certificate, decision)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="result_types")
    code = models.CharField(max_length=60)
    is_local_code = models.BooleanField(default=False)
    name = models.TextField()
    electronic_required = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return self.code


class Offering(models.Model):
    """A procedure available at a unit: the unit receives it, handles (is competent for) it, or both."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="offerings")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="offerings")
    receives = models.BooleanField(default=True)
    handles = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "unit"], name="unique_offering")]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        """Procedure-at-unit code of SPEC §4.1, e.g. 1.001193.000.00.00.H56."""
        return f"{self.procedure.code}.{self.unit.code}"

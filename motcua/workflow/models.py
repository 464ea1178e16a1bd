from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.roles import Role
from motcua.catalog.models import Procedure
from motcua.core.models import TimeStampedModel
from motcua.organizations.models import Unit, UnitKind
from motcua.workflow.routing import StepKind, StepSpec, UnitRelation


class ProcessDefinition(TimeStampedModel):
    """The internal workflow (quy trình nội bộ) of a procedure at a unit, or at every unit of a kind."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="process_definitions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="process_definitions")
    unit_kind = models.CharField(_("unit kind"), max_length=30, choices=UnitKind.choices, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=255, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Generated because none was defined: the administrator should review it.
    generated = models.BooleanField(default=False)

    class Meta:
        ordering = ["procedure__code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "unit", "unit_kind", "version"], name="unique_process_definition_version"
            ),
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | ~Q(unit_kind=""), name="process_definition_has_unit_or_kind"
            ),
        ]

    def __str__(self) -> str:
        where = self.unit.code if self.unit_id and self.unit else self.unit_kind
        return f"{self.procedure.code} @ {where} v{self.version}"

    def specs(self) -> list[StepSpec]:
        return [step.spec() for step in self.steps.all()]


class StepDefinition(models.Model):
    """One step of a process definition: who (role), where (unit relation), how long (working hours)."""

    definition = models.ForeignKey(ProcessDefinition, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(max_length=20, choices=[(k.value, k.value) for k in StepKind], default=StepKind.PROCESSING)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit_relation = models.CharField(
        max_length=30, choices=[(r.value, r.value) for r in UnitRelation], default=UnitRelation.HANDLING
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    allotted_hours = models.DecimalField(_("allotted working hours"), max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["definition", "order"]
        constraints = [models.UniqueConstraint(fields=["definition", "order"], name="unique_step_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"

    def spec(self) -> StepSpec:
        return StepSpec(
            order=self.order,
            name=self.name,
            role=self.role,
            unit_relation=UnitRelation(self.unit_relation),
            allotted_hours=self.allotted_hours,
            kind=StepKind(self.kind),
            key=self.pk,
            unit_key=self.unit_id,
        )

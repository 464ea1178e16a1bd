"""Choosing, generating and checking process definitions. Runtime steps live with the dossier."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.core.errors import InvalidInput
from motcua.organizations.models import Unit
from motcua.workflow import routing
from motcua.workflow.models import ProcessDefinition, StepDefinition
from motcua.workflow.routing import StepSpec, UnitRelation


def version_total_hours(version: ProcedureVersion) -> Decimal | None:
    """The version's processing time in working hours (None for calendar-day procedures)."""
    if version.immediate_result and not version.processing_time:
        return routing.WORKING_HOURS_PER_DAY  # same working day
    return routing.processing_hours(version.processing_time, version.processing_time_unit)


def _split_total(version: ProcedureVersion) -> Decimal:
    """Hours to split in a generated definition; calendar days are approximated as working days."""
    total = version_total_hours(version)
    if total is not None:
        return total
    return Decimal(version.processing_time or 1) * routing.WORKING_HOURS_PER_DAY


def process_definition_find(*, procedure: Procedure, unit: Unit) -> ProcessDefinition | None:
    """The active definition for the procedure at `unit`, else the template for its unit kind."""
    active = ProcessDefinition.objects.filter(procedure=procedure, active=True).prefetch_related("steps")
    found = active.filter(unit=unit).order_by("-version").first()
    return found or active.filter(unit__isnull=True, unit_kind=unit.kind).order_by("-version").first()


def process_definition_for(*, version: ProcedureVersion, unit: Unit) -> ProcessDefinition:
    """The definition to follow, generating the default one (SPEC §3.4) when none exists."""
    found = process_definition_find(procedure=version.procedure, unit=unit)
    if found is not None:
        return found
    try:
        return _generate_default(version=version, unit=unit)
    except IntegrityError:
        # Another request generated it at the same moment: use theirs.
        found = process_definition_find(procedure=version.procedure, unit=unit)
        if found is None:
            raise
        return found


@transaction.atomic
def _generate_default(*, version: ProcedureVersion, unit: Unit) -> ProcessDefinition:
    definition = ProcessDefinition.objects.create(
        procedure=version.procedure, unit=unit, version=1, generated=True, name="Quy trình mặc định"
    )
    StepDefinition.objects.bulk_create(
        StepDefinition(
            definition=definition,
            order=spec.order,
            name=spec.name,
            kind=spec.kind,
            role=spec.role,
            unit_relation=spec.unit_relation,
            allotted_hours=spec.allotted_hours,
        )
        for spec in routing.default_steps(_split_total(version))
    )
    return definition


def process_definition_validate(*, definition: ProcessDefinition, version: ProcedureVersion) -> None:
    """Refuse a definition whose allotted hours do not add up to the processing time."""
    specs = definition.specs()
    if not specs:
        raise InvalidInput(_("A process definition needs at least one step."))
    problem = routing.allotment_error(specs, version_total_hours(version))
    if problem:
        raise InvalidInput(
            _("The steps' allotted time does not match the processing time: %(problem)s.") % {"problem": problem}
        )
    absolute_without_unit = [s.order for s in definition.steps.all() if s.unit_relation == "absolute" and not s.unit]
    if absolute_without_unit:
        raise InvalidInput(_("A step with a fixed unit must name that unit."))


def step_unit(*, spec: StepSpec, receiving: Unit, handling: Unit) -> Unit:
    """The unit where a step runs for a dossier received at `receiving` and handled by `handling`."""
    if spec.unit_relation == UnitRelation.RECEIVING:
        return receiving
    if spec.unit_relation == UnitRelation.PARENT_OF_HANDLING:
        return handling.parent or handling
    if spec.unit_relation == UnitRelation.ABSOLUTE and spec.key is not None:
        step = StepDefinition.objects.select_related("unit").get(pk=spec.key)
        if step.unit is not None:
            return step.unit
    return handling


# --- editing a definition (administration pages) ----------------------------------------------


@dataclass(frozen=True)
class StepDraft:
    """One step as the administrator typed it, before it is written."""

    name: str
    role: str
    unit_relation: str
    allotted_hours: Decimal
    kind: str = routing.StepKind.PROCESSING
    unit: Unit | None = None


def process_definition_check(*, version: ProcedureVersion, steps: Sequence[StepDraft]) -> None:
    """Everything `process_definition_revise` checks, without writing; the first problem is raised."""
    from motcua.accounts.roles import Role

    if not steps:
        raise InvalidInput(_("A process definition needs at least one step."), field="steps")
    for step in steps:
        if not step.name.strip():
            raise InvalidInput(_("Every step needs a name."), field="name")
        if step.role not in Role.values:
            raise InvalidInput(_("Unknown role “%(role)s”.") % {"role": step.role}, field="role")
        if step.unit_relation not in set(UnitRelation) or step.kind not in set(routing.StepKind):
            raise InvalidInput(_("Unknown unit relation or step kind."), field="unit_relation")
        if step.unit_relation == UnitRelation.ABSOLUTE and step.unit is None:
            raise InvalidInput(_("A step with a fixed unit must name that unit."), field="unit")
        if step.allotted_hours < 0:
            raise InvalidInput(_("The allotted time must not be negative."), field="allotted_hours")
    specs = [
        StepSpec(
            order=n,
            name=s.name,
            role=s.role,
            unit_relation=UnitRelation(s.unit_relation),
            allotted_hours=s.allotted_hours,
        )
        for n, s in enumerate(steps, start=1)
    ]
    problem = routing.allotment_error(specs, version_total_hours(version))
    if problem:
        raise InvalidInput(
            _("The steps' allotted time does not match the processing time: %(problem)s.") % {"problem": problem},
            field="allotted_hours",
        )


@transaction.atomic
def process_definition_revise(
    *, definition: ProcessDefinition, steps: Sequence[StepDraft], name: str | None = None
) -> ProcessDefinition:
    """Save `steps` as the next version of the definition's (procedure, unit or unit kind).

    Earlier versions are kept, inactive: dossiers already on their way keep the steps they started with.
    """
    version = definition.procedure.current_version
    if version is None:
        raise InvalidInput(_("The procedure has no current version to check the times against."), field="steps")
    process_definition_check(version=version, steps=steps)
    same = ProcessDefinition.objects.select_for_update().filter(
        procedure_id=definition.procedure_id, unit=definition.unit, unit_kind=definition.unit_kind
    )
    top = max((d.version for d in same), default=0)
    revised = ProcessDefinition.objects.create(
        procedure_id=definition.procedure_id,
        unit=definition.unit,
        unit_kind=definition.unit_kind,
        version=top + 1,
        name=(name if name is not None else definition.name).strip(),
        active=True,
    )
    StepDefinition.objects.bulk_create(
        StepDefinition(
            definition=revised,
            order=n,
            name=" ".join(s.name.split()),
            kind=s.kind,
            role=s.role,
            unit_relation=s.unit_relation,
            unit=s.unit if s.unit_relation == UnitRelation.ABSOLUTE else None,
            allotted_hours=s.allotted_hours,
        )
        for n, s in enumerate(steps, start=1)
    )
    same.exclude(pk=revised.pk).update(active=False)
    return revised


# --- a unit's own copy of its unit kind's template (administration pages) ----------------------


def process_definition_template(*, procedure: Procedure, unit: Unit) -> ProcessDefinition | None:
    """The active template `unit` follows for `procedure` when it has no definition of its own, else None."""
    active = ProcessDefinition.objects.filter(procedure=procedure, active=True)
    if active.filter(unit=unit).exists():
        return None
    return active.filter(unit__isnull=True, unit_kind=unit.kind).order_by("-version").first()


@transaction.atomic
def process_definition_copy_template(*, template: ProcessDefinition, unit: Unit) -> ProcessDefinition:
    """Give `unit` its own definition with the template's steps, which its administrator can then edit.

    The copy is version 1 of the unit's definition (or the next version if the unit had one that was
    retired); the template itself is not changed and keeps applying to the other units of the kind.
    """
    if template.unit_id is not None or template.unit_kind != unit.kind:
        raise InvalidInput(_("This is not the template for this unit's kind."), field="unit")
    if not template.active:
        raise InvalidInput(_("This template is no longer in use."), field="procedure")
    if not unit.is_active:
        raise InvalidInput(_("%(unit)s is no longer active.") % {"unit": unit.code}, field="unit")
    same = ProcessDefinition.objects.select_for_update().filter(procedure_id=template.procedure_id, unit=unit)
    existing = list(same)
    if any(d.active for d in existing):
        raise InvalidInput(_("This unit already has its own process definition for the procedure."), field="unit")
    try:
        with transaction.atomic():
            copy = ProcessDefinition.objects.create(
                procedure_id=template.procedure_id,
                unit=unit,
                version=max((d.version for d in existing), default=0) + 1,
                name=template.name,
                active=True,
            )
    except IntegrityError:
        # Another administrator copied it at the same moment.
        raise InvalidInput(
            _("This unit already has its own process definition for the procedure."), field="unit"
        ) from None
    StepDefinition.objects.bulk_create(
        StepDefinition(
            definition=copy,
            order=step.order,
            name=step.name,
            kind=step.kind,
            role=step.role,
            unit_relation=step.unit_relation,
            unit=step.unit,
            allotted_hours=step.allotted_hours,
        )
        for step in template.steps.order_by("order")
    )
    return copy

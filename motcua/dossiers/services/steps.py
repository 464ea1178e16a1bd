"""Runtime workflow steps of a dossier: open, close, restart, shift. Callers hold the dossier lock.

A dossier follows the process definition its first step was opened from, even if an administrator
publishes a new one meanwhile (the steps point at their StepDefinition).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Final

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services.due import working_hours_due
from motcua.workcalendar.services import working_hours_between
from motcua.workflow import routing
from motcua.workflow.models import ProcessDefinition
from motcua.workflow.routing import StepKind, StepSpec
from motcua.workflow.services import process_definition_for, step_unit

# Decree 118/2025 Art. 17.2.c: accept, or ask for a correction, within 8 working hours of arrival.
RECEPTION_HOURS: Final = Decimal(8)


def open_step(dossier: Dossier) -> DossierStep | None:
    # At most one step is open (a constraint): order by pk, not by Meta.ordering, which joins the dossier.
    return dossier.steps.select_related("unit", "assignee").filter(finished_at__isnull=True).order_by("pk").first()


def dossier_specs(dossier: Dossier) -> list[StepSpec]:
    """The steps of the definition this dossier follows (pinned by its first step)."""
    first = dossier.steps.filter(step_definition__isnull=False).order_by("pk").first()
    if first is not None and first.step_definition_id is not None:
        definition = ProcessDefinition.objects.get(steps__pk=first.step_definition_id)
    else:
        definition = process_definition_for(version=dossier.procedure_version, unit=dossier.handling_unit)
    return definition.specs()


def step_open(
    *, dossier: Dossier, spec: StepSpec, at: datetime, assignee: User | None = None, hours: Decimal | None = None
) -> DossierStep:
    """Start `spec` for the dossier at `at`; it is due after its allotted working hours."""
    allotted = spec.allotted_hours if hours is None else hours
    return DossierStep.objects.create(
        dossier=dossier,
        step_definition_id=spec.key,  # the StepDefinition's id: no need to fetch the row
        order=spec.order,
        kind=spec.kind,
        name=spec.name,
        unit=step_unit(spec=spec, receiving=dossier.receiving_unit, handling=dossier.handling_unit),
        role=spec.role,
        assignee=assignee,
        allotted_hours=allotted,
        started_at=at,
        due_at=working_hours_due(start=at, hours=allotted),
    )


def step_close(step: DossierStep, *, at: datetime, by: User | None, outcome: str, comment: str = "") -> None:
    step.finished_at = at
    step.finished_by = by
    step.outcome = outcome
    step.comment = comment
    step.save(update_fields=["finished_at", "finished_by", "outcome", "comment"])


def close_open_step(dossier: Dossier, *, at: datetime, by: User | None, outcome: str, comment: str = "") -> None:
    step = open_step(dossier)
    if step is not None:
        step_close(step, at=at, by=by, outcome=outcome, comment=comment)


def reception_spec(specs: list[StepSpec]) -> StepSpec:
    found = next((s for s in routing.ordered(specs) if s.kind == StepKind.RECEPTION), None)
    return found or StepSpec(0, "Tiếp nhận hồ sơ", "counter_officer", routing.UnitRelation.RECEIVING, Decimal(0))


def reception_open(dossier: Dossier, *, at: datetime) -> DossierStep:
    """The counter's reception step of a dossier filed online or by post: 8 working hours to decide."""
    return step_open(dossier=dossier, spec=reception_spec(dossier_specs(dossier)), at=at, hours=RECEPTION_HOURS)


def steps_accept(dossier: Dossier, *, officer: User, at: datetime) -> DossierStep | None:
    """Close (or record) the reception step and open the first processing step."""
    specs = dossier_specs(dossier)
    reception = reception_spec(specs)
    step = open_step(dossier) or step_open(dossier=dossier, spec=reception, at=at, hours=Decimal(0))
    step_close(step, at=at, by=officer, outcome="accepted")
    following = routing.next_step(specs, reception.order)
    return step_open(dossier=dossier, spec=following, at=at) if following else None


def step_restart(step: DossierStep, *, at: datetime) -> None:
    """The full allotted time again from `at` (a complete supplement restarts the clock)."""
    step.due_at = working_hours_due(start=at, hours=step.allotted_hours)
    step.save(update_fields=["due_at"])


def step_resume(step: DossierStep, *, paused_at: datetime, at: datetime) -> None:
    """Move the step's due time by the pause: what was left at `paused_at` now runs from `at`."""
    if step.due_at is None:
        return
    left = working_hours_between(start=paused_at, end=step.due_at) if step.due_at > paused_at else Decimal(0)
    step.due_at = working_hours_due(start=at, hours=left)
    step.save(update_fields=["due_at"])

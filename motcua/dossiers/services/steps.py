"""Runtime workflow steps of a dossier: open, close, restart, shift. Callers hold the dossier lock.

A dossier follows the process definition its first step was opened from, even if an administrator
publishes a new one meanwhile (the steps point at their StepDefinition).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from motcua.accounts.models import User
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services.due import working_hours_between, working_hours_due
from motcua.organizations.models import Unit
from motcua.workflow import routing
from motcua.workflow.models import ProcessDefinition
from motcua.workflow.routing import StepKind, StepSpec
from motcua.workflow.services import process_definition_for, step_unit

# Decree 118/2025 Art. 17.2.c: accept, or ask for a correction, within 8 working hours of arrival.
RECEPTION_HOURS: Final = Decimal(8)


def open_step(dossier: Dossier) -> DossierStep | None:
    # At most one step is open (a constraint): order by pk, not by Meta.ordering, which joins the dossier.
    return dossier.steps.select_related("unit", "assignee").filter(finished_at__isnull=True).order_by("pk").first()


def dossier_specs(dossier: Dossier, ran: list[DossierStep] | None = None) -> list[StepSpec]:
    """The steps of the definition this dossier follows (pinned by its first step).

    `ran`: the dossier's steps in creation order, when the caller has them already.
    """
    if ran is None:
        first = dossier.steps.filter(step_definition__isnull=False).order_by("pk").first()
    else:
        first = next((step for step in ran if step.step_definition_id is not None), None)
    if first is not None and first.step_definition_id is not None:
        definition = ProcessDefinition.objects.get(steps__pk=first.step_definition_id)
    else:
        definition = process_definition_for(version=dossier.procedure_version, unit=dossier.handling_unit)
    return definition.specs()


def step_open(
    *, dossier: Dossier, spec: StepSpec, at: datetime, assignee: User | None = None, hours: Decimal | None = None
) -> DossierStep:
    """Start `spec` for the dossier at `at`; it is due after its allotted working hours."""
    step = step_new(dossier=dossier, spec=spec, at=at, assignee=assignee, hours=hours)
    step.save(force_insert=True)
    return step


def step_new(
    *, dossier: Dossier, spec: StepSpec, at: datetime, assignee: User | None = None, hours: Decimal | None = None
) -> DossierStep:
    """`spec` started at `at` for the dossier, not saved."""
    allotted = spec.allotted_hours if hours is None else hours
    return DossierStep(
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
    ran = list(dossier.steps.order_by("pk"))
    specs = dossier_specs(dossier, ran)
    reception = reception_spec(specs)
    following = routing.next_step(specs, reception.order)
    nxt = step_new(dossier=dossier, spec=following, at=at) if following else None
    waiting = next((step for step in ran if step.finished_at is None), None)
    if waiting is not None:  # filed online or by post: the reception step is open
        step_close(waiting, at=at, by=officer, outcome="accepted")
        if nxt is not None:
            nxt.save(force_insert=True)
        return nxt
    # Accepted at the counter on arrival: record the reception step, closed, with the next one.
    done = step_new(dossier=dossier, spec=reception, at=at, hours=Decimal(0))
    done.finished_at, done.finished_by, done.outcome = at, officer, "accepted"
    DossierStep.objects.bulk_create([done, *([nxt] if nxt else [])])
    return nxt


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


@dataclass(frozen=True)
class AgencyDeadline:
    """One agency's part of the dossier's processing: its share of the time and how it stands."""

    unit: Unit
    step_orders: tuple[int, ...]
    hours: Decimal
    started_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None

    @property
    def late(self) -> bool:
        return bool(self.due_at and self.finished_at and self.finished_at > self.due_at)


def agency_deadlines(dossier: Dossier, steps: list[DossierStep] | None = None) -> list[AgencyDeadline]:
    """Each agency stage of the dossier's workflow (SPEC §3.4, inter-agency sequence with per-agency
    deadlines): due its stage's allotted working hours after the agency first got the dossier.

    A stage not reached yet has no start or due time; a stage is finished when none of its steps is
    still open (its last step's finish time).
    """
    specs = dossier_specs(dossier)
    ran = steps if steps is not None else list(dossier.steps.select_related("unit").order_by("started_at", "pk"))
    result = []
    for stage in routing.agency_stages(specs):
        mine = [step for step in ran if step.order in stage.orders]
        first_spec = next(s for s in specs if s.order == stage.first)
        unit = (
            mine[0].unit
            if mine
            else step_unit(spec=first_spec, receiving=dossier.receiving_unit, handling=dossier.handling_unit)
        )
        started = min((step.started_at for step in mine), default=None)
        closed = [step.finished_at for step in mine if step.finished_at is not None]
        finished = max(closed) if mine and len(closed) == len(mine) else None
        result.append(
            AgencyDeadline(
                unit=unit,
                step_orders=stage.orders,
                hours=stage.hours,
                started_at=started,
                due_at=working_hours_due(start=started, hours=stage.hours) if started else None,
                finished_at=finished,
            )
        )
    return result

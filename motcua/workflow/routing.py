"""Routing through a process definition (SPEC §3.4). Pure: steps in, steps out, no database.

A definition is an ordered list of steps, each with a role, a unit relation and an allotted
working time; the allotted times add up to the procedure's processing time (validated here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

# SPEC §4.2: a working day is 8 working hours (07:00–11:30, 13:30–17:00).
WORKING_HOURS_PER_DAY: Final = Decimal(8)


class UnitRelation(StrEnum):
    """Where a step runs: a fixed unit, or relative to the dossier's units."""

    ABSOLUTE = "absolute"
    HANDLING = "handling"
    RECEIVING = "receiving"
    PARENT_OF_HANDLING = "parent_of_handling"


class StepKind(StrEnum):
    RECEPTION = "reception"  # the counter checks and accepts
    PROCESSING = "processing"  # appraisal, approval, signing
    RETURN = "return"  # the counter hands the result over


@dataclass(frozen=True)
class StepSpec:
    """One step of a definition, as routing sees it."""

    order: int
    name: str
    role: str
    unit_relation: UnitRelation
    allotted_hours: Decimal
    kind: StepKind = StepKind.PROCESSING
    key: int | None = None  # the StepDefinition's id, when it has one
    unit_key: int | None = None  # the fixed unit's id, for an absolute step


Agency = tuple[str, int | None]


def agency(spec: StepSpec) -> Agency:
    """Who runs a step, as far as the definition knows: the unit relation, and the unit when fixed."""
    fixed = spec.unit_key if spec.unit_relation == UnitRelation.ABSOLUTE else None
    return (str(spec.unit_relation), fixed)


@dataclass(frozen=True)
class AgencyStage:
    """Consecutive processing steps at one agency: that agency's share of the time (Decree 61/2018
    Art. 19.6: the transfer slip gives each agency of an inter-agency sequence its own deadline)."""

    agency: Agency
    orders: tuple[int, ...]
    hours: Decimal

    @property
    def first(self) -> int:
        return self.orders[0]


def ordered(steps: Sequence[StepSpec]) -> list[StepSpec]:
    return sorted(steps, key=lambda s: s.order)


def first_step(steps: Sequence[StepSpec]) -> StepSpec | None:
    return next(iter(ordered(steps)), None)


def next_step(steps: Sequence[StepSpec], current_order: int) -> StepSpec | None:
    """The step after `current_order` (the return step included), or None at the end."""
    return next((s for s in ordered(steps) if s.order > current_order), None)


def previous_step(steps: Sequence[StepSpec], current_order: int) -> StepSpec | None:
    """The processing step before `current_order`; never back to reception (the dossier is accepted)."""
    earlier = [s for s in ordered(steps) if s.order < current_order and s.kind != StepKind.RECEPTION]
    return earlier[-1] if earlier else None


def return_step(steps: Sequence[StepSpec]) -> StepSpec | None:
    return next((s for s in ordered(steps) if s.kind == StepKind.RETURN), None)


def agency_stages(steps: Sequence[StepSpec]) -> list[AgencyStage]:
    """The processing steps in order, grouped into runs at one agency; reception and return excluded."""
    stages: list[AgencyStage] = []
    for spec in ordered(steps):
        if spec.kind != StepKind.PROCESSING:
            continue
        key = agency(spec)
        if stages and stages[-1].agency == key:
            last = stages[-1]
            stages[-1] = AgencyStage(key, (*last.orders, spec.order), last.hours + spec.allotted_hours)
        else:
            stages.append(AgencyStage(key, (spec.order,), spec.allotted_hours))
    return stages


def stage_of(steps: Sequence[StepSpec], order: int) -> AgencyStage | None:
    """The agency stage holding step `order` (None for reception, return or an unknown step)."""
    return next((stage for stage in agency_stages(steps) if order in stage.orders), None)


def is_inter_agency(steps: Sequence[StepSpec]) -> bool:
    """More than one agency takes part in processing."""
    return len({stage.agency for stage in agency_stages(steps)}) > 1


def processing_hours(amount: Decimal | int | None, unit: str) -> Decimal | None:
    """A processing time in working hours, or None where it is not counted in working time."""
    if amount is None:
        return None
    if unit == "working_days":
        return Decimal(amount) * WORKING_HOURS_PER_DAY
    if unit == "working_hours":
        return Decimal(amount)
    return None  # calendar days (Civil Code Art. 147) do not split into working hours


def allotment_error(steps: Sequence[StepSpec], total_hours: Decimal | None) -> str | None:
    """Why the steps' allotted hours do not add up to `total_hours`, or None when they do."""
    if total_hours is None:
        return None
    allotted = sum((s.allotted_hours for s in steps), Decimal(0))
    if allotted != total_hours:
        return f"allotted {allotted} working hours, the procedure allows {total_hours}"
    return None


# Receive at the counter → specialist appraisal → leader approval → return at the counter.
DEFAULT_SPLIT: Final = (
    (StepKind.RECEPTION, "Tiếp nhận hồ sơ", "counter_officer", UnitRelation.RECEIVING, Decimal("0")),
    (StepKind.PROCESSING, "Thẩm định hồ sơ", "specialist", UnitRelation.HANDLING, Decimal("0.70")),
    (StepKind.PROCESSING, "Phê duyệt kết quả", "unit_leader", UnitRelation.HANDLING, Decimal("0.20")),
    (StepKind.RETURN, "Trả kết quả", "counter_officer", UnitRelation.RECEIVING, Decimal("0.10")),
)


def default_steps(total_hours: Decimal) -> list[StepSpec]:
    """The default definition, shares rounded to whole hours; appraisal absorbs the rounding."""
    hours = [(total_hours * share).quantize(Decimal(1), rounding=ROUND_HALF_UP) for *_, share in DEFAULT_SPLIT]
    hours[1] += total_hours - sum(hours, Decimal(0))  # so the sum is exact
    if hours[1] < 0:  # tiny totals: give everything to appraisal
        hours = [Decimal(0), total_hours, Decimal(0), Decimal(0)]
    return [
        StepSpec(order=i, name=name, role=role, unit_relation=relation, allotted_hours=hours[i - 1], kind=kind)
        for i, (kind, name, role, relation, _share) in enumerate(DEFAULT_SPLIT, start=1)
    ]

"""A dossier's clock rebuilt from its events, and its `DossierFacts` as of any instant (SPEC §4.2, §4.4, §6).

No queries here: `collect.py` loads the `DossierRecord`s, this module reads them.

A dossier's facts are a snapshot **as of an instant** (the window end): the due time in force
then, the pauses begun by then, the supplement requests made by then, finished only if it
finished before then. They are rebuilt from the dossier's event log (`timeline`):

- accept: the clock starts, the first due time (event data `due_at`);
- request_supplement after acceptance: a supplement pause starts, the 766 count goes up;
  submit_supplement: the pause ends and the full processing time restarts (data `due_at`); an
  apology made before the restart no longer applies (it was about a due time that is gone);
- request_payment / confirm_payment: a payment pause, then the remaining time resumes (data
  `due_at`); a due time before an apology is moved on by its own remaining working time;
- apologize: the due time moves (data `new_due_at`), the one before the apology is kept for the
  indices (SPEC §4.2, Art. 19.9);
- acceptance, finish time, status and outcome come from the dossier row (the receipt's time).

A supplement asked for before acceptance does not stop a clock that has not started and is not
counted (TT 01/2018 Art. 19.4 is about appraisal). A dossier accepted without any due time (its
procedure has no processing time) is never late: finished on time, in progress within time.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Final

from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Action, Status
from motcua.metrics.facts import DECIDED, Channel, DossierFacts, FactsError, Outcome, Pause, PauseKind
from motcua.metrics.timeliness import WorkingHoursBetween, clock_instant
from motcua.workcalendar.arithmetic import WorkCalendar
from motcua.workcalendar.services import get_calendar

# Beyond any real instant: "no due time" and the probe for "from now on, if nothing happens".
FAR: Final = datetime(9000, 1, 1, tzinfo=UTC)
# Overdue "at any instant after this": the dossier is already overdue whatever the instant.
ALWAYS: Final = datetime(1970, 1, 1, tzinfo=UTC)

logger = logging.getLogger(__name__)


def local_day(instant: datetime) -> date:
    return instant.astimezone(VIETNAM).date()


def day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=VIETNAM)


def ceil_day_start(instant: datetime, *, strict: bool) -> datetime:
    """The first local midnight at or after `instant` (strictly after it with `strict`)."""
    start = day_start(local_day(instant))
    if start > instant or (start == instant and not strict):
        return start
    return day_start(local_day(instant) + timedelta(days=1))


@dataclass(frozen=True)
class Flags:
    """What the dossier is now, beyond its times (module docstring)."""

    eligible_full_online: bool = False
    has_result: bool = False
    e_result: bool = False
    components_digitized: bool = False
    result_digitized: bool = False
    reused: bool = False
    synced_to_personal_store: bool = False
    has_fee: bool = False
    paid_online: bool = False
    synced_to_dvcqg: bool = False
    is_certification: bool = False
    e_certified_copy: bool = False
    negative_rating: bool = False
    complaint: bool = False
    used_population_data: bool = False

    @property
    def complained(self) -> bool:
        return self.complaint or self.negative_rating


@dataclass(frozen=True)
class EventRow:
    id: int
    action: str
    at: datetime
    data: dict[str, Any]


@dataclass(frozen=True)
class DossierRecord:
    """One accepted dossier as loaded from the database."""

    pk: int
    code: str
    unit_id: int
    unit_code: str
    procedure_id: int
    field_code: str
    channel: int
    status: str
    outcome: str | None
    submitted_at: datetime | None
    accepted_at: datetime
    finished_at: datetime | None
    due_at: datetime | None
    due_at_before_apology: datetime | None
    events: tuple[EventRow, ...]
    flags: Flags

    @property
    def last_event_id(self) -> int:
        return max((e.id for e in self.events), default=0)


@dataclass(frozen=True)
class DueState:
    """The due time in force from `at` on, and the one before an apology (None: no apology)."""

    at: datetime
    due: datetime | None
    before_apology: datetime | None = None

    @property
    def index_due(self) -> datetime | None:
        return self.before_apology or self.due


@dataclass(frozen=True)
class PauseSpan:
    kind: PauseKind
    start: datetime
    end: datetime | None
    due_before: datetime | None  # the index due time when the clock stopped


@dataclass(frozen=True)
class Timeline:
    """The clock of one dossier after acceptance, rebuilt from its events (module docstring)."""

    dues: tuple[DueState, ...]
    pauses: tuple[PauseSpan, ...]
    supplements: tuple[datetime, ...]
    no_due: bool = False  # accepted without a due time: never late

    def due_at(self, instant: datetime | None) -> DueState:
        """The due state in force at `instant` (None: the latest)."""
        current = self.dues[0]
        for state in self.dues[1:]:
            if instant is not None and state.at > instant:
                break
            current = state
        return current

    def change_points(self, record: DossierRecord) -> list[datetime]:
        """Every instant at which the dossier's standing can change (events, due times passing)."""
        points = [record.accepted_at, *(e.at for e in record.events if e.at >= record.accepted_at)]
        if record.finished_at is not None:
            points.append(record.finished_at)
        for state in self.dues:
            points.extend(d for d in (state.due, state.before_apology) if d is not None)
        points.extend(p.due_before for p in self.pauses if p.due_before is not None)
        return [p for p in points if p < FAR]


# --- the timeline ------------------------------------------------------------------------------


def _instant(value: Any) -> datetime | None:
    if not value:
        return None
    instant = datetime.fromisoformat(str(value))
    return instant if instant.utcoffset() is not None else instant.replace(tzinfo=UTC)


@dataclass
class _Builder:
    record: DossierRecord
    calendar: WorkCalendar
    dues: list[DueState] = field(default_factory=list)
    pauses: list[PauseSpan] = field(default_factory=list)
    supplements: list[datetime] = field(default_factory=list)
    open_pause: PauseSpan | None = None

    @property
    def current(self) -> DueState:
        return self.dues[-1]

    def move(self, at: datetime, due: datetime | None, before_apology: datetime | None) -> None:
        self.dues.append(DueState(at, due, before_apology))

    def pause(self, kind: PauseKind, at: datetime) -> None:
        self.open_pause = PauseSpan(kind, at, None, self.current.index_due)

    def resume(self, at: datetime) -> PauseSpan | None:
        span, self.open_pause = self.open_pause, None
        if span is not None:
            self.pauses.append(PauseSpan(span.kind, span.start, at, span.due_before))
        return span

    def apply(self, event: EventRow) -> None:
        data, at = event.data, event.at
        if event.action == Action.REQUEST_SUPPLEMENT:
            self.supplements.append(at)
            self.pause(PauseKind.SUPPLEMENT, at)
        elif event.action == Action.SUBMIT_SUPPLEMENT:
            self.resume(at)
            self.move(at, _instant(data.get("due_at")) or self.current.due, None)
        elif event.action == Action.REQUEST_PAYMENT:
            self.pause(PauseKind.PAYMENT, at)
        elif event.action == Action.CONFIRM_PAYMENT:
            span = self.resume(at)
            due = _instant(data.get("due_at")) or self.current.due
            self.move(at, due, self._shifted_before(span, at, due))
        elif event.action == Action.APOLOGIZE:
            old = self.current.before_apology or _instant(data.get("old_due_at")) or self.current.due
            self.move(at, _instant(data.get("new_due_at")) or self.current.due, old)

    def _shifted_before(self, span: PauseSpan | None, at: datetime, due: datetime | None) -> datetime | None:
        """The pre-apology due time after a payment pause: resumed with its own remaining time."""
        before = self.current.before_apology
        if before is None or span is None or due is None:
            return before
        if before <= span.start:
            return before  # already late when the clock stopped: it stays where it was
        remaining = self.calendar.working_hours_between(span.start, before)
        moved = self.calendar.compute(start=at, amount=remaining, unit="working_hours").due_at
        return min(moved, due)

    def build(self) -> Timeline:
        if self.open_pause is not None:
            self.pauses.append(self.open_pause)
        dues = self.dues
        no_due = all(d.due is None for d in dues)
        if not no_due and any(d.due is None for d in dues):
            # An event without its due time (old or imported data): the dossier's own row fills in.
            fallback = self.record.due_at
            dues = [DueState(d.at, d.due or fallback, d.before_apology) for d in dues]
        return Timeline(tuple(dues), tuple(self.pauses), tuple(self.supplements), no_due=no_due)


def timeline(record: DossierRecord, *, calendar: WorkCalendar | None = None) -> Timeline:
    """The dossier's clock after acceptance, from its events (module docstring)."""
    builder = _Builder(record, calendar or get_calendar())
    accepted = False
    for event in record.events:
        if not accepted:
            if event.action == Action.ACCEPT:
                accepted = True
                builder.move(record.accepted_at, _instant(event.data.get("due_at")), None)
            continue
        builder.apply(event)
    if not accepted:  # imported without an acceptance event: the row's times are all we have
        builder.move(record.accepted_at, record.due_at, record.due_at_before_apology)
    return builder.build()


# --- facts as of an instant --------------------------------------------------------------------


def facts_at(record: DossierRecord, line: Timeline, at: datetime | None = None) -> DossierFacts:
    """The dossier's `DossierFacts` as of `at` (None: as of now, everything known)."""
    finished = record.finished_at is not None and (at is None or record.finished_at < at)
    state = line.due_at(at)
    pauses = tuple(
        Pause(p.kind, p.start, p.end if p.end is not None and (at is None or p.end <= at) else None, p.due_before)
        for p in line.pauses
        if at is None or p.start <= at
    )
    due, before = state.due, state.before_apology
    if line.no_due:  # never late: due when it finished, or never while in progress
        due, pauses = (record.finished_at if finished else FAR), ()
    elif before is not None and due is not None and before > due:
        before = due  # inconsistent old data: an apology can only move the due time later
    if finished:
        status = Status(record.status)
    elif any(p.end is None for p in pauses):
        status = Status.AWAITING_PAYMENT if pauses[-1].kind is PauseKind.PAYMENT else Status.AWAITING_SUPPLEMENT
    else:
        status = Status.PROCESSING
    flags = record.flags
    received = record.submitted_at or record.accepted_at
    return DossierFacts(
        code=record.code,
        channel=Channel(record.channel),
        status=status,
        received_at=min(received, record.accepted_at),
        accepted_at=record.accepted_at,
        due_at=due,
        due_at_before_apology=before,
        finished_at=record.finished_at if finished else None,
        outcome=Outcome(record.outcome) if finished and record.outcome and status in DECIDED else None,
        supplement_count=sum(1 for t in line.supplements if at is None or t <= at),
        pauses=pauses,
        field_code=record.field_code,
        unit_code=record.unit_code,
        eligible_full_online=flags.eligible_full_online,
        has_result=flags.has_result,
        e_result=flags.e_result,
        components_digitized=flags.components_digitized,
        result_digitized=flags.result_digitized,
        reused_from_vault_or_registry=flags.reused,
        synced_to_personal_store=flags.synced_to_personal_store,
        has_fee=flags.has_fee,
        paid_online=flags.paid_online,
        synced_to_dvcqg=flags.synced_to_dvcqg,
        is_certification=flags.is_certification,
        e_certified_copy=flags.e_certified_copy,
        negative_rating=flags.negative_rating,
        complaint=flags.complaint,
        used_population_data=flags.used_population_data,
    )


def overdue_after(facts: DossierFacts, *, repeat_supplement_overdue: bool) -> datetime | None:
    """For an unfinished dossier: overdue at any instant after this, if nothing else happens.

    The same rule as `timeliness.classify` past the last event: a stopped clock stands at the
    pause's start (overdue for good or not at all), a running one is overdue after its due time.
    ALWAYS: already overdue; None: not while nothing happens.
    """
    if repeat_supplement_overdue and facts.supplement_count > 1:
        return ALWAYS
    moment, due = clock_instant(facts, FAR)
    if moment != FAR:
        return ALWAYS if moment > due else None
    return due if due < FAR else None


def calendar_hours(calendar: WorkCalendar | None = None) -> WorkingHoursBetween:
    """The pure formulas' `working_hours_between(start, end)`, without a query per call."""
    cal = calendar or get_calendar()

    def hours(start: datetime, end: datetime) -> Decimal:
        return cal.working_hours_between(start, end)

    return hours


@contextmanager
def skipping(record: DossierRecord) -> Iterator[None]:
    """Leave out a dossier whose stored history contradicts itself (logged), in every path alike:
    one bad imported record must not take a whole province's index down."""
    try:
        yield
    except FactsError as error:
        logger.warning("dossier %s left out of the indices: %s", record.code, error)

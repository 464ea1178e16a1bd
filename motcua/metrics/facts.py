"""Plain facts the index formulas read (SPEC §6): a dossier, a feedback item, a unit's procedure counts.

Frozen dataclasses, no Django models: the aggregate side builds them from the database, the tests
build them by hand. **Facts are a snapshot as of the evaluation instant** (the period end, or now
while the period runs): the due time is the one in force then, the supplement count is the count
then. The functions are lenient about a later snapshot (a finish or a pause after the instant is
ignored), but a due time reset after the instant cannot be undone here.

Times are timezone-aware instants. "Accepted" is the acceptance printed on the receipt (tiếp nhận,
the national portal's NgayTiepNhan): the clock starts there (SPEC §4.2) and every dossier index
counts dossiers from there; a dossier never accepted (refused at reception, withdrawn before
acceptance) is in no index.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum
from typing import Any, Final

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import InvalidInput
from motcua.dossiers.lifecycle import FINISHED, Status

# Statuses that carry a decision on the dossier (SPEC §4.3): the result-based metrics look at these.
DECIDED: Final = frozenset({Status.RESOLVED, Status.RETURNED})


def _interpolate(msgid: Any, params: dict[str, Any]) -> str:
    return str(msgid) % params if params else str(msgid)


_lazy_interpolate = lazy(_interpolate, str)


class MetricsError(InvalidInput, ValueError):
    """Input the index functions refuse. `message` stays lazy: it renders in the reader's language."""

    code = "invalid_metrics_input"

    def __init__(self, msgid: Any, **params: Any) -> None:
        self.msgid = msgid
        self.params = params
        super().__init__(_lazy_interpolate(msgid, params))


class FactsError(MetricsError):
    """Facts that contradict themselves (a finish before the acceptance, a naive datetime, …)."""

    code = "invalid_facts"


class Channel(IntEnum):
    """How the dossier came in; the numbers are the national portal's KenhThucHien (SPEC §2)."""

    DIRECT = 1
    ONLINE = 2
    POSTAL = 3


class Outcome(StrEnum):
    """The decision on a resolved dossier."""

    APPROVED = "approved"
    DENIED = "denied"


class PauseKind(StrEnum):
    """Why the processing clock stopped (SPEC §4.2)."""

    SUPPLEMENT = "supplement"
    PAYMENT = "payment"


def _aware(name: str, value: datetime | None) -> None:
    if value is not None and value.utcoffset() is None:
        raise FactsError(_("%(field)s must be a timezone-aware datetime."), field=name)


@dataclass(frozen=True)
class Pause:
    """A stop of the processing clock after acceptance: a supplement request or a payment request.

    `end` is when the clock restarted (None: still stopped). `due_before` is the due time in force
    when the clock stopped, if a later restart moved it (a supplement restarts the full time).
    """

    kind: PauseKind
    start: datetime
    end: datetime | None = None
    due_before: datetime | None = None

    def __post_init__(self) -> None:
        for name in ("start", "end", "due_before"):
            _aware(f"pause.{name}", getattr(self, name))
        if self.end is not None and self.end < self.start:
            raise FactsError(_("A pause cannot end before it starts."))

    def covers(self, instant: datetime) -> bool:
        """The clock was stopped by this pause at `instant`."""
        return self.start <= instant and (self.end is None or instant < self.end)


@dataclass(frozen=True)
class DossierFacts:
    """What the indices need to know about one dossier (SPEC §4.4, §6.1, §6.3)."""

    code: str
    channel: Channel
    status: Status
    received_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    due_at_before_apology: datetime | None = None  # None: no apology
    finished_at: datetime | None = None  # resolved, or refused / stopped / withdrawn (SPEC §4.4)
    outcome: Outcome | None = None
    supplement_count: int = 0  # supplement requests after acceptance (Art. 19.4)
    pauses: tuple[Pause, ...] = ()
    field_code: str = ""
    unit_code: str = ""
    eligible_full_online: bool = False  # the procedure is eligible for full-online service
    has_result: bool = True  # the procedure issues a result document (permit, certificate, …)
    e_result: bool = False  # an electronic result was issued
    components_digitized: bool = False  # every component has a file
    result_digitized: bool = False  # the result has a file
    reused_from_vault_or_registry: bool = False  # at least one component came from the vault or a registry
    synced_to_personal_store: bool = False  # a component from, or the result to, the citizen's DVCQG store
    has_fee: bool = False  # a non-zero fee or charge is due
    paid_online: bool = False
    synced_to_dvcqg: bool = False
    is_certification: bool = False  # a certified copy from an original (chứng thực bản sao)
    e_certified_copy: bool = False  # … issued as a certified electronic copy
    negative_rating: bool = False  # "chưa hài lòng" (SPEC §3.8)
    complaint: bool = False  # a feedback (PAKN) about this dossier
    used_population_data: bool = False

    def __post_init__(self) -> None:
        for name in ("received_at", "accepted_at", "due_at", "due_at_before_apology", "finished_at"):
            _aware(name, getattr(self, name))
        if self.supplement_count < sum(p.kind is PauseKind.SUPPLEMENT for p in self.pauses):
            raise FactsError(_("Dossier %(code)s has more supplement pauses than supplement requests."), code=self.code)
        if self.accepted_at is not None:
            self._check_accepted(self.accepted_at)

    def _check_accepted(self, accepted_at: datetime) -> None:
        if self.due_at is None:
            raise FactsError(_("Accepted dossier %(code)s has no due time."), code=self.code)
        if accepted_at < self.received_at:
            raise FactsError(_("Dossier %(code)s was accepted before it was received."), code=self.code)
        if (self.finished_at is not None) != (self.status in FINISHED):
            raise FactsError(_("Dossier %(code)s: a finish time goes with a finished status."), code=self.code)
        if self.finished_at is not None and self.finished_at < accepted_at:
            raise FactsError(_("Dossier %(code)s finished before it was accepted."), code=self.code)
        if self.due_at_before_apology is not None and self.due_at_before_apology > self.due_at:
            raise FactsError(_("Dossier %(code)s: an apology can only move the due time later."), code=self.code)
        if any(p.start < accepted_at for p in self.pauses):
            raise FactsError(_("Dossier %(code)s: the clock cannot stop before acceptance."), code=self.code)

    @property
    def accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def index_due_at(self) -> datetime:
        """The due time the indices judge by: an apology does not rescue a late dossier (SPEC §4.2)."""
        due = self.due_at_before_apology or self.due_at
        if due is None:
            raise FactsError(_("Dossier %(code)s was never accepted and has no due time."), code=self.code)
        return due


@dataclass(frozen=True)
class Count:
    """A numerator over a denominator, both counts (procedures, feedback, dossiers)."""

    numerator: int = 0
    denominator: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.numerator <= self.denominator:
            raise FactsError(_("A count needs 0 ≤ numerator ≤ denominator."))


NO_COUNT: Final = Count()  # nothing to count: a metric without data


@dataclass(frozen=True)
class ProcedureCounts:
    """The procedure-based 766 metrics of a unit and period, counted by the catalog side (practice §3.3)."""

    published_on_time: Count = NO_COUNT  # 1.1: publication decisions on time / published in the period
    updated_on_time: Count = NO_COUNT  # 1.2: publicized on time / published or due in the period
    full_content: Count = NO_COUNT  # 1.3: publicized with all content of Decree 63/2010 Art. 8.2 / publicized
    fee_integrated: Count = NO_COUNT  # 3.5: with fees integrated for online payment / with fees
    online_payment: Count = NO_COUNT  # 3.5b: with an online payment transaction / with fees
    population_data: Count = NO_COUNT  # 4.5a: using population data / procedures of the unit


NO_PROCEDURES: Final = ProcedureCounts()


@dataclass(frozen=True)
class Publication:
    """One publishing decision (quyết định công bố) of a procedure: a version with a decision date.

    `effective_from` is the date the version's legal basis takes effect (None: not recorded);
    `publicized_on` the date it was made public on the national procedure database and the portal
    (công khai; None: not yet).
    """

    decided_on: date
    effective_from: date | None = None
    publicized_on: date | None = None


@dataclass(frozen=True)
class ProcedureFacts:
    """What the procedure-based 766 metrics (1.1–1.3, 3.5, 3.5b, 4.5a) know about one procedure of a unit.

    `in_force`: a version is in force in the window (the population of 1.3, 4.5a, and with a fee
    of 3.5 and 3.5b); the other flags describe that version, except `fee_synced` and `paid_online`,
    which come from the unit's dossiers of the procedure accepted in the window.
    """

    code: str
    publications: tuple[Publication, ...] = ()
    in_force: bool = True
    full_content: bool = False  # all content of Decree 63/2010 Art. 8.2 (practice §3.3 1.3)
    has_fee: bool = False  # the version in force lists a fee or charge above zero
    fee_synced: bool = False  # a dossier with a fee above zero was synced to DVCQG (3.5)
    paid_online: bool = False  # a dossier paid a fee online (3.5b)
    population_data: bool = False  # the procedure uses the national population database (4.5a)


@dataclass(frozen=True)
class FeedbackFacts:
    """One feedback item (phản ánh, kiến nghị) for metrics 5.2 and 5.3 (SPEC §4.6)."""

    received_at: datetime
    rejected_at: datetime | None = None  # refused as out of scope
    info_requested_at: datetime | None = None
    answered_at: datetime | None = None
    published_at: datetime | None = None  # the answer made public
    likes: int = 0
    dislikes: int = 0
    re_complained: bool = False

    def __post_init__(self) -> None:
        for name in ("received_at", "rejected_at", "info_requested_at", "answered_at", "published_at"):
            _aware(name, getattr(self, name))
            value = getattr(self, name)
            if value is not None and value < self.received_at:
                raise FactsError(_("Feedback cannot be handled before it is received."))

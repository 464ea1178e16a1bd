"""The 766 index (QĐ 766/QĐ-TTg as the national portal computes it; SPEC §6.1) from plain facts.

Every metric reports numerator, denominator, ratio (%, 2 decimals), score and maximum. Scoring:
full marks at the metric's threshold (100 % unless the profile says otherwise: CLGQ 50 %, 4.2 and
4.3 80 %, 5.4 90 %), below it ratio × max / threshold, rounded to 2 decimals; the score is
computed from the rounded ratio, so every published figure can be recomputed from the ones
beside it.

**No data.** A denominator of 0 gives ratio None and score None ("no data"), never 0 points.
Such a metric is *left out*: a group's score is the sum of its metrics with data and carries
the maximum those metrics could reach (`available_max`); a group with no data at all has score
None. The total is the sum of the group scores, out of the summed `available_max`; the rating
band is read on the total rescaled to 100 (`percent`), so a unit is neither punished nor
rewarded for a metric it had nothing to be measured on. This is TT 01/2018 Art. 15.4.b's rule
("an index without enough data is not counted") carried over; practice.md §3.3 only says "show 0
or N/A", and SPEC §6.1 says not 0 points.

Which dossiers each metric counts (practice.md §3.3, SPEC §6.1; `DOSSIER_RULES`):
- 2.1 and 5.4: dossiers received (accepted) in the period or carried over into it.
- intake metrics (1.4, CLGQ "3.3", 3.6, 4.2b, 4.3, 4.4, 4.5b): dossiers accepted in the period.
- result metrics (4.1, 4.2): dossiers decided (resolved / returned) in the period.
- procedure metrics (1.1, 1.2, 1.3, 3.5, 3.5b, 4.5a): the procedures the unit's subtree offers,
  from the catalog (`procedure_counts`; the facts come from `catalog_facts.procedure_facts`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.core.clock import VIETNAM
from motcua.metrics.facts import (
    DECIDED,
    NO_COUNT,
    NO_PROCEDURES,
    Channel,
    Count,
    DossierFacts,
    FeedbackFacts,
    MetricsError,
    Outcome,
    ProcedureCounts,
    ProcedureFacts,
    Publication,
)
from motcua.metrics.periods import Window
from motcua.metrics.profile import (
    HUNDRED,
    Band,
    GroupSpec,
    IndexProfile,
    MetricSpec,
    profile_766_for,
    round_half_up,
)
from motcua.metrics.timeliness import (
    Timeliness,
    WorkingHoursBetween,
    classify,
    feedback_on_time,
    finished_in,
    in_scope,
    received_in,
)

RATIO_PLACES: Final = 2
SCORE_PLACES: Final = 2


@dataclass(frozen=True)
class MetricResult:
    """One metric for one unit and period; ratio and score are None when there is no data."""

    code: str
    name: str
    numerator: int
    denominator: int
    ratio: Decimal | None
    score: Decimal | None
    max: Decimal

    @property
    def has_data(self) -> bool:
        return self.ratio is not None


@dataclass(frozen=True)
class GroupResult:
    """One group (CKMB, TDGQ, …): its metrics, score over those with data, and what they could reach."""

    code: str
    name: str
    max: Decimal
    score: Decimal | None
    available_max: Decimal
    metrics: tuple[MetricResult, ...]


@dataclass(frozen=True)
class ChannelSplit:
    """Dossiers accepted in the period by channel, reported beside CLGQ (SPEC §6.1)."""

    online: int
    direct: int
    postal: int

    @property
    def total(self) -> int:
        return self.online + self.direct + self.postal


@dataclass(frozen=True)
class IndexResult:
    """The 766 index of one unit and period: groups, total, the total rescaled to 100 and its band."""

    profile_key: str
    window: Window
    groups: tuple[GroupResult, ...]
    score: Decimal | None
    max: Decimal
    available_max: Decimal
    percent: Decimal | None
    band: Band | None
    channels: ChannelSplit

    def group(self, code: str) -> GroupResult:
        return next(g for g in self.groups if g.code == code)

    def metric(self, code: str) -> MetricResult:
        return next(m for g in self.groups for m in g.metrics if m.code == code)


@dataclass(frozen=True)
class UnitPeriodFacts:
    """Everything the 766 index of one unit and period is computed from."""

    dossiers: tuple[DossierFacts, ...] = ()
    procedures: ProcedureCounts = NO_PROCEDURES
    feedback: tuple[FeedbackFacts, ...] = ()


@dataclass(frozen=True)
class Context:
    """The window, the working calendar and the profile a computation runs under."""

    window: Window
    working_hours_between: WorkingHoursBetween
    profile: IndexProfile

    def timeliness(self, facts: DossierFacts) -> Timeliness:
        """Timeliness at the window end with the 766 rule on repeated supplements (SPEC §6.1 2.1)."""
        return classify(
            facts,
            at=self.window.end,
            working_hours_between=self.working_hours_between,
            early_margin_hours=self.profile.early_margin_hours,
            repeat_supplement_overdue=True,
        )

    def feedback_on_time(self, item: FeedbackFacts) -> bool:
        return feedback_on_time(
            item,
            at=self.window.end,
            working_hours_between=self.working_hours_between,
            deadlines=self.profile.feedback_deadlines,
            hours_per_day=self.profile.hours_per_working_day,
        )


DossierTest = Callable[[DossierFacts, Context], bool]


@dataclass(frozen=True)
class DossierRule:
    """A dossier-based metric: which dossiers form the denominator, which of them the numerator."""

    population: DossierTest
    success: DossierTest


def _received(d: DossierFacts, ctx: Context) -> bool:
    return received_in(d, ctx.window)


def _decided(d: DossierFacts, ctx: Context) -> bool:
    return finished_in(d, ctx.window) and d.status in DECIDED


DOSSIER_RULES: Final[dict[str, DossierRule]] = {
    # 1.4: synced to DVCQG / accepted in the period (practice §3.3 1.4).
    "1.4": DossierRule(_received, lambda d, c: d.synced_to_dvcqg),
    # 2.1: early, on time or still in time / received or carried over (SPEC §6.1 2.1, §4.4).
    "2.1": DossierRule(lambda d, c: in_scope(d, c.window), lambda d, c: c.timeliness(d).good),
    # CLGQ: filed online and, if the procedure issues a result, an e-result / dossiers of eligible
    # procedures (SPEC §6.1; practice §3.3 3.3).
    "3.3": DossierRule(
        lambda d, c: _received(d, c) and d.eligible_full_online,
        lambda d, c: d.channel == Channel.ONLINE and (d.e_result or not d.has_result),
    ),
    # 3.6: paid online / dossiers with a non-zero fee (practice §3.3 3.6).
    "3.6": DossierRule(lambda d, c: _received(d, c) and d.has_fee, lambda d, c: d.paid_online),
    # 4.1: an electronic result / decided dossiers of procedures issuing a result, denials aside.
    "4.1": DossierRule(
        lambda d, c: _decided(d, c) and d.has_result and d.outcome != Outcome.DENIED,
        lambda d, c: d.e_result,
    ),
    # 4.2: components and result have files / decided dossiers (SPEC §6.1 4.2).
    "4.2": DossierRule(_decided, lambda d, c: d.components_digitized and d.result_digitized),
    # Certified e-copies / certification dossiers (practice §3.2 ELECTRONIC_CERTIFIED_COPY).
    "4.2b": DossierRule(lambda d, c: _received(d, c) and d.is_certification, lambda d, c: d.e_certified_copy),
    # 4.3: at least one component from the vault or a registry (SPEC §6.1 4.3).
    "4.3": DossierRule(_received, lambda d, c: d.reused_from_vault_or_registry),
    # 4.4: linked with the citizen's DVCQG store (practice §3.3 4.4).
    "4.4": DossierRule(_received, lambda d, c: d.synced_to_personal_store),
    # 4.5b: using population data (practice §3.3 4.5).
    "4.5b": DossierRule(_received, lambda d, c: d.used_population_data),
}

PROCEDURE_COUNTS: Final[dict[str, Callable[[ProcedureCounts], Count]]] = {
    "1.1": lambda p: p.published_on_time,
    "1.2": lambda p: p.updated_on_time,
    "1.3": lambda p: p.full_content,
    "3.5": lambda p: p.fee_integrated,
    "3.5b": lambda p: p.online_payment,
    "4.5a": lambda p: p.population_data,
}


# --- procedure-based metrics (1.1, 1.2, 1.3, 3.5, 3.5b, 4.5a) from the catalog -----------------

IsWorkingDay = Callable[[date], bool]
_MAX_SHIFT_DAYS: Final = 400  # a year of holidays cannot hide more working days than this


def shift_working_days(day: date, amount: int, is_working_day: IsWorkingDay) -> date:
    """The date `amount` working days after `day` (before it when negative); `day` itself is not counted."""
    step = timedelta(days=1 if amount >= 0 else -1)
    current, counted = day, 0
    for _i in range(_MAX_SHIFT_DAYS):
        if counted == abs(amount):
            return current
        current += step
        counted += is_working_day(current)
    raise MetricsError(_("The working calendar has no working day near %(day)s."), day=day.isoformat())


def window_days(window: Window) -> tuple[date, date]:
    """The first and last local dates of a window (its end is exclusive)."""
    last = (window.end - timedelta(microseconds=1)).astimezone(VIETNAM).date()
    first = window.start.astimezone(VIETNAM).date()
    return first, max(first, last)


def published_on_time(p: Publication, profile: IndexProfile, is_working_day: IsWorkingDay) -> bool:
    """1.1: decided at least N working days before the legal basis takes effect (no effective date: late)."""
    if p.effective_from is None:
        return False
    return p.decided_on <= shift_working_days(p.effective_from, -profile.publish_lead_working_days, is_working_day)


def procedure_counts(
    procedures: Iterable[ProcedureFacts], *, window: Window, profile: IndexProfile, is_working_day: IsWorkingDay
) -> ProcedureCounts:
    """The procedure metrics of a unit and period (practice.md §3.3; the choices are SPEC §6.1's).

    - 1.1: procedures with a publishing decision dated in the period / those on time; a procedure
      counts once and is late if any of its decisions in the period was late.
    - 1.2: procedures decided in the period or whose publicizing deadline (decision + N working
      days) falls in it / those publicized by the deadline; not publicized by the period's last day
      and the deadline not passed yet counts as on time (still in time, as 2.1 counts dossiers).
    - 1.3: procedures in force / those with full content (Decree 63/2010 Art. 8.2).
    - 3.5, 3.5b: procedures in force with a fee above zero / those with a dossier of the period
      synced to DVCQG with its fees (3.5), or paid online (3.5b).
    - 4.5a: procedures in force / those using the national population database.
    """
    procedures = tuple(procedures)
    first, last = window_days(window)
    published = [0, 0]
    publicized = [0, 0]
    in_force = [p for p in procedures if p.in_force]
    for procedure in procedures:
        decided = [p for p in procedure.publications if first <= p.decided_on <= last]
        if decided:
            published[1] += 1
            published[0] += all(published_on_time(p, profile, is_working_day) for p in decided)
        due = []
        for p in procedure.publications:
            deadline = shift_working_days(p.decided_on, profile.publicize_within_working_days, is_working_day)
            if first <= p.decided_on <= last or first <= deadline <= last:
                due.append((p, deadline))
        if due:
            publicized[1] += 1
            publicized[0] += all(_publicized_in_time(p, deadline, last) for p, deadline in due)
    with_fee = [p for p in in_force if p.has_fee]
    return ProcedureCounts(
        published_on_time=Count(*published),
        updated_on_time=Count(*publicized),
        full_content=Count(sum(p.full_content for p in in_force), len(in_force)),
        fee_integrated=Count(sum(p.fee_synced for p in with_fee), len(with_fee)),
        online_payment=Count(sum(p.paid_online for p in with_fee), len(with_fee)),
        population_data=Count(sum(p.population_data for p in in_force), len(in_force)),
    )


def _publicized_in_time(p: Publication, deadline: date, last: date) -> bool:
    if p.publicized_on is not None and p.publicized_on <= last:
        return p.publicized_on <= deadline
    return deadline >= last  # not publicized as of the period's last day: late once the deadline passed


def dossiers_behind(
    code: str, dossiers: Iterable[DossierFacts], ctx: Context
) -> tuple[list[DossierFacts], list[DossierFacts]]:
    """The dossiers of a dossier-based metric's denominator, and of its numerator (drill-down)."""
    rule = DOSSIER_RULES[code]
    population = [d for d in dossiers if d.accepted and rule.population(d, ctx)]
    return population, [d for d in population if rule.success(d, ctx)]


def satisfaction_count(dossiers: Iterable[DossierFacts], ctx: Context) -> Count:
    """5.4: 100 % − (overdue share + share with a complaint or a negative rating) (practice §3.3 5.4).

    Both shares are over the 2.1 population, so the ratio is (N − overdue − complained) / N; a
    dossier both overdue and complained about counts in both shares, as the formula adds them.
    Clamped at 0.
    """
    population = [d for d in dossiers if d.accepted and in_scope(d, ctx.window)]
    overdue = sum(not ctx.timeliness(d).good for d in population)
    complained = sum(d.complaint or d.negative_rating for d in population)
    return Count(max(0, len(population) - overdue - complained), len(population))


def feedback_count(code: str, feedback: Iterable[FeedbackFacts], ctx: Context) -> Count:
    """5.2 on time / received; 5.3 neither disliked, late nor re-complained / received (practice §3.3)."""
    items = [f for f in feedback if ctx.window.contains(f.received_at)]
    if code == "5.2":
        good = sum(ctx.feedback_on_time(f) for f in items)
    else:
        good = sum(not (f.dislikes > f.likes or f.re_complained or not ctx.feedback_on_time(f)) for f in items)
    return Count(good, len(items))


def count_metric(code: str, facts: UnitPeriodFacts, ctx: Context) -> Count:
    """Numerator and denominator of metric `code`."""
    if code in DOSSIER_RULES:
        population, numerator = dossiers_behind(code, facts.dossiers, ctx)
        return Count(len(numerator), len(population))
    if code in PROCEDURE_COUNTS:
        return PROCEDURE_COUNTS[code](facts.procedures)
    if code == "5.4":
        return satisfaction_count(facts.dossiers, ctx)
    if code in ("5.2", "5.3"):
        return feedback_count(code, facts.feedback, ctx)
    raise MetricsError(_("The 766 index has no formula for metric %(code)s."), code=code)


def score_ratio(spec: MetricSpec, ratio: Decimal) -> Decimal:
    """Full marks at the threshold, below it ratio × max / threshold (SPEC §6.1)."""
    return round_half_up(min(spec.max_score, ratio * spec.max_score / spec.full_marks_at), SCORE_PLACES)


def score_metric(spec: MetricSpec, count: Count) -> MetricResult:
    """A metric's result from its count; denominator 0 → no data (SPEC §6.1)."""
    if count.denominator == 0:
        return MetricResult(spec.code, spec.name, 0, 0, None, None, spec.max_score)
    ratio = round_half_up(Decimal(count.numerator) * HUNDRED / count.denominator, RATIO_PLACES)
    return MetricResult(
        spec.code, spec.name, count.numerator, count.denominator, ratio, score_ratio(spec, ratio), spec.max_score
    )


def group_result(spec: GroupSpec, metrics: Sequence[MetricResult]) -> GroupResult:
    """A group's score over its metrics with data (module docstring, "No data")."""
    with_data = [m for m in metrics if m.score is not None]
    score = sum((m.score for m in with_data if m.score is not None), Decimal(0)) if with_data else None
    available = sum((m.max for m in with_data), Decimal(0))
    return GroupResult(spec.code, spec.name, spec.max_score, score, available, tuple(metrics))


def channel_split(dossiers: Iterable[DossierFacts], window: Window) -> ChannelSplit:
    received = [d.channel for d in dossiers if received_in(d, window)]
    return ChannelSplit(
        online=received.count(Channel.ONLINE),
        direct=received.count(Channel.DIRECT),
        postal=received.count(Channel.POSTAL),
    )


def index_766(
    facts: UnitPeriodFacts,
    *,
    window: Window,
    working_hours_between: WorkingHoursBetween,
    profile: IndexProfile | None = None,
) -> IndexResult:
    """The 766 index of one unit over `window`, under `profile` (default: the one in force at its start)."""
    profile = profile or profile_766_for(window.start.astimezone(VIETNAM).date())
    ctx = Context(window, working_hours_between, profile)
    counts = {m.code: count_metric(m.code, facts, ctx) for m in profile.metrics}
    return index_from_counts(counts, window=window, profile=profile, channels=channel_split(facts.dossiers, window))


def index_from_counts(
    counts: Mapping[str, Count], *, window: Window, profile: IndexProfile, channels: ChannelSplit
) -> IndexResult:
    """The index from each metric's numerator and denominator (a metric missing from `counts`: no data).

    `index_766` counts them from facts; the maintained aggregates sum them from stored rows.
    """
    groups = tuple(
        group_result(group, [score_metric(m, counts.get(m.code, NO_COUNT)) for m in profile.metrics_of(group.code)])
        for group in profile.groups
    )
    scored = [g for g in groups if g.score is not None]
    score = sum((g.score for g in scored if g.score is not None), Decimal(0)) if scored else None
    available = sum((g.available_max for g in scored), Decimal(0))
    percent = None if score is None or not available else round_half_up(score * HUNDRED / available, SCORE_PLACES)
    return IndexResult(
        profile_key=profile.key,
        window=window,
        groups=groups,
        score=score,
        max=profile.max_score,
        available_max=available,
        percent=percent,
        band=None if percent is None else profile.band(percent),
        channels=channels,
    )

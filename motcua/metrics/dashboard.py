"""What the dashboards read (SPEC §3.10): drill-down lists, trends, unit comparisons, seeds' targets.

Everything here is built on the maintained aggregates (`services.figures`) or, for the lists of
dossiers, on the raw dossiers through the same pure rules the index uses (`formulas.DOSSIER_RULES`,
`timeliness.classify`), so a drill-down list has exactly as many dossiers as the figure it explains.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Final

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.core import clock
from motcua.dossiers.models import Apology, Dossier, DossierStep
from motcua.metrics.aggregates import metrics_ensure_fresh
from motcua.metrics.catalog_facts import catalog_count_map
from motcua.metrics.collect import feedback_by_unit, feedback_counts, unit_period_facts
from motcua.metrics.dossier_timeline import calendar_hours
from motcua.metrics.facts import FeedbackFacts, MetricsError
from motcua.metrics.formulas import DOSSIER_RULES, Context, IndexResult, feedback_count, index_from_counts
from motcua.metrics.periods import MIN_YEAR, Period, Window, parse_period
from motcua.metrics.profile import HUNDRED, profile_766_for, round_half_up
from motcua.metrics.services import Figures, channels, counts_766, figures, metric_dossiers, period_span
from motcua.metrics.timeliness import Timeliness, classify, finished_by, finished_in, in_scope
from motcua.organizations.models import Membership, Unit
from motcua.organizations.selectors import unit_subtree

# Metrics whose numerator and denominator are sets of dossiers (5.4's denominator is 2.1's; its
# numerator is a difference of counts, N − overdue − complained, not a set).
NUMERATOR_PARTS: Final = frozenset(DOSSIER_RULES)
DENOMINATOR_PARTS: Final = frozenset(DOSSIER_RULES) | {"5.4"}
PARTS: Final = ("numerator", "denominator")

# Seed 004 (province plan): 1,600 dossiers per counter officer per year, 1,200 in rural areas;
# seed 003 (a commune-level town): 5,280 = 20 a day × 22 days × 12 months.
PRODUCTIVITY_TARGETS: Final = (1200, 1600, 5280)
TT01_LAST_DAY: Final = date(2025, 6, 30)


class DrilldownError(MetricsError):
    code = "invalid_drilldown"


def drillable(code: str, part: str) -> bool:
    return (part == "numerator" and code in NUMERATOR_PARTS) or (part == "denominator" and code in DENOMINATOR_PARTS)


def drilldown_codes(*, unit: Unit, period: Period, code: str, part: str, now: datetime | None = None) -> list[str]:
    """The codes of the dossiers behind a metric's numerator or denominator, sorted."""
    if not drillable(code, part):
        raise DrilldownError(_("Metric %(code)s has no list of dossiers for this figure."), code=code[:10])
    population, numerator = metric_dossiers(unit=unit, period=period, code="2.1" if code == "5.4" else code, now=now)
    return numerator if part == "numerator" else population


@dataclass(frozen=True)
class DossierRow:
    code: str
    procedure: str
    accepted_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    unit: str


def dossier_rows(codes: Sequence[str]) -> list[DossierRow]:
    """One row per code, in the order of `codes` (a page of a drill-down list)."""
    found = {
        row["code"]: row
        for row in Dossier.objects.filter(code__in=list(codes)).values(
            "code", "procedure_version__name", "accepted_at", "due_at", "finished_at", "handling_unit__name"
        )
    }
    return [
        DossierRow(
            code,
            found[code]["procedure_version__name"],
            found[code]["accepted_at"],
            found[code]["due_at"],
            found[code]["finished_at"],
            found[code]["handling_unit__name"],
        )
        for code in codes
        if code in found
    ]


# --- late dossiers (06a columns 10 and 13) ------------------------------------------------------


def late_dossiers(*, unit: Unit, period: Period, now: datetime | None = None) -> list[tuple[str, Timeliness]]:
    """Dossiers finished late in the period (06a (10)) and those overdue at its end (06a (13)), by code."""
    window = period.window(now=now or clock.now())
    facts = unit_period_facts(unit=unit, period_window=window).dossiers
    hours = calendar_hours()
    margin = profile_766_for(period.start).early_margin_hours
    late = []
    for d in facts:
        if not d.accepted:
            continue
        finished = finished_in(d, window)
        if not finished and not (in_scope(d, window) and not finished_by(d, window.end)):
            continue
        state = classify(d, at=window.end, working_hours_between=hours, early_margin_hours=margin)
        if state in (Timeliness.LATE, Timeliness.OVERDUE):
            late.append((d.code, state))
    return sorted(late)


# --- officials with late steps (seed 003 §III.1.6) and apology letters ---------------------------


@dataclass(frozen=True)
class OfficialLate:
    """An official whose handling steps ran past their due time in a month (public: name, title, unit)."""

    user_id: int
    name: str  # the full name ("" if none was entered)
    username: str  # internal pages only
    title: str
    unit: str
    dossiers: int
    steps: int


def _month_instants(month: Period) -> tuple[datetime, datetime]:
    return month.start_instant, month.end_instant


def officials_late(*, unit_ids: Iterable[int], month: Period) -> list[OfficialLate]:
    """Officials with a step whose due time fell in `month` and that was not finished by then.

    The official is the one who finished the step, else the one it is assigned to; a step nobody
    held is counted against nobody. Sorted by dossiers, most first, then name.
    """
    start, end = _month_instants(month)
    steps = (
        DossierStep.objects.filter(unit_id__in=sorted(set(unit_ids)), due_at__gte=start, due_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gt=F("due_at")))
        .values_list("dossier_id", "finished_by_id", "assignee_id", "unit_id")
    )
    per_user: dict[int, set[int]] = {}
    count: Counter[int] = Counter()
    units: dict[int, int] = {}
    for dossier_id, finisher, assignee, step_unit in steps:
        user_id = finisher or assignee
        if user_id is None:
            continue
        per_user.setdefault(user_id, set()).add(dossier_id)
        count[user_id] += 1
        units.setdefault(user_id, step_unit)
    if not per_user:
        return []
    people = {u.pk: u for u in User.objects.filter(pk__in=list(per_user))}
    titles = {
        (m.user_id, m.unit_id): m.title or m.get_role_display()
        for m in Membership.objects.filter(user_id__in=list(per_user), active_until__isnull=True)
    }
    unit_names = dict(Unit.objects.filter(pk__in=set(units.values())).values_list("pk", "name"))
    rows = [
        OfficialLate(
            user_id,
            people[user_id].full_name or people[user_id].get_full_name(),
            people[user_id].get_username(),
            str(titles.get((user_id, units[user_id]), "")),
            unit_names.get(units[user_id], ""),
            len(dossiers),
            count[user_id],
        )
        for user_id, dossiers in per_user.items()
    ]
    return sorted(rows, key=lambda r: (-r.dossiers, r.name, r.user_id))


def month_public_from(month: Period) -> date:
    """The list of a month is published on the 5th of the next month (seed 003 §III.1.6)."""
    return month.end + timedelta(days=4)


def apologies(*, unit_ids: Iterable[int], window: Window) -> Any:
    """Apology letters (Mẫu 04) issued in the window by the units' dossiers, newest first."""
    return (
        Apology.objects.filter(
            dossier__handling_unit_id__in=sorted(set(unit_ids)), issued_at__gte=window.start, issued_at__lt=window.end
        )
        .select_related("dossier", "dossier__procedure_version", "issued_by")
        .order_by("-issued_at", "pk")
    )


# --- trend and comparison ------------------------------------------------------------------------


def _index(
    f: Figures, window: Window, unit_ids: set[int], feedback: Sequence[FeedbackFacts] | None = None
) -> IndexResult:
    """As `services.index_766_maintained`: the dossier metrics from the sums, feedback (5.2, 5.3) read
    (or given: the units' feedback items, already read)."""
    profile = profile_766_for(window.start.astimezone(clock.VIETNAM).date())
    if feedback is None:
        feedback_figures = feedback_counts(unit_ids=unit_ids, window=window, profile=profile)
    else:
        ctx = Context(window, calendar_hours(), profile)
        feedback_figures = {code: feedback_count(code, feedback, ctx) for code in ("5.2", "5.3")}
    counts = {
        **counts_766(f),
        **feedback_figures,
        **catalog_count_map(unit_ids=unit_ids, window=window, profile=profile, from_aggregates=True),
    }
    return index_from_counts(counts, window=window, profile=profile, channels=channels(f))


def last_months(period: Period, *, count: int = 12, today: date | None = None) -> list[Period]:
    """The `count` months ending with the period's last month (or this month, if that is earlier)."""
    today = today or clock.local_today()
    last = min(period.end - timedelta(days=1), today)
    year, month = last.year, last.month
    months = []
    for _i in range(count):
        if year < MIN_YEAR:
            break
        months.append(parse_period(f"{year}-{month:02d}", today=today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    index: IndexResult
    received: int


def monthly_trend(*, unit: Unit, period: Period, now: datetime | None = None) -> list[TrendPoint]:
    """The index and the dossiers received in each of the last twelve months."""
    now = now or clock.now()
    metrics_ensure_fresh()
    ids = unit_subtree(unit)
    points = []
    for month in last_months(period, today=now.astimezone(clock.VIETNAM).date()):
        span = period_span(month, now=now)
        sums = figures(unit_ids=ids, span=span).get("", Figures())
        points.append(TrendPoint(month, _index(sums, span.window, ids), sums.received))
    return points


def _child_of_each(unit_ids: set[int], child_ids: set[int]) -> dict[int, int]:
    """unit id → the child unit it lies under (itself for a child); units under no child are left out."""
    parents = dict(Unit.objects.filter(pk__in=unit_ids).values_list("pk", "parent_id"))
    found = {}
    for pk in unit_ids:
        node: int | None = pk
        seen = set()
        while node is not None and node not in child_ids and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node is not None and node in child_ids:
            found[pk] = node
    return found


def child_comparison(*, unit: Unit, period: Period, now: datetime | None = None) -> list[tuple[Unit, IndexResult]]:
    """The index of each child unit (with its subtree) over the period: the sums and the feedback in grouped reads."""
    now = now or clock.now()
    metrics_ensure_fresh()
    children = list(Unit.objects.filter(parent=unit).order_by("code"))
    if not children:
        return []
    ids = unit_subtree(unit)
    child_of = _child_of_each(ids, {c.pk for c in children})
    members: dict[int, set[int]] = {c.pk: set() for c in children}
    for pk, root in child_of.items():
        members[root].add(pk)
    span = period_span(period, now=now)
    per_child: dict[int, Figures] = {c.pk: Figures() for c in children}
    for key, f in figures(unit_ids=ids, span=span, group_by="unit_id").items():
        if key in child_of:
            target = per_child[child_of[key]]
            target.flows.update(f.flows)
            target.start.update(f.start)
            target.end.update(f.end)
    feedback: dict[int, list[FeedbackFacts]] = {c.pk: [] for c in children}
    for key, items in feedback_by_unit(unit_ids=ids, window=span.window).items():
        if key in child_of:
            feedback[child_of[key]].extend(items)
    return [(c, _index(per_child[c.pk], span.window, members[c.pk], feedback[c.pk])) for c in children]


# --- seeds' targets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    numerator: int
    denominator: int

    @property
    def ratio(self) -> Decimal | None:
        if not self.denominator:
            return None
        return round_half_up(Decimal(self.numerator) * HUNDRED / self.denominator, 2)


@dataclass(frozen=True)
class Productivity:
    received: int
    officers: int
    days: Decimal

    @property
    def per_officer(self) -> Decimal | None:
        return None if not self.officers else round_half_up(Decimal(self.received) / self.officers, 1)

    @property
    def per_officer_year(self) -> Decimal | None:
        """Received per officer, scaled to a year of 365 days (a month × ~12)."""
        if not self.officers or not self.days:
            return None
        return round_half_up(Decimal(self.received) * 365 / self.days / self.officers, 0)


@dataclass(frozen=True)
class Targets:
    digitized: Share
    reuse: Share
    online: Share
    e_result: Share
    productivity: Productivity


def counter_officers(unit_ids: Iterable[int], window: Window) -> int:
    """Distinct counter officers with a membership in the units during the window."""
    start, end = window.start.astimezone(clock.VIETNAM).date(), window.end.astimezone(clock.VIETNAM).date()
    return (
        Membership.objects.filter(unit_id__in=sorted(set(unit_ids)), role=Role.COUNTER_OFFICER)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=end))
        .filter(Q(active_until__isnull=True) | Q(active_until__gte=start))
        .values("user_id")
        .distinct()
        .count()
    )


def targets(*, unit: Unit, index: IndexResult) -> Targets:
    """The seeds' targets of the unit over the index's window (SPEC §3.10)."""

    def share(code: str) -> Share:
        m = index.metric(code)
        return Share(m.numerator, m.denominator)

    window = index.window
    days = Decimal((window.end - window.start).total_seconds()) / Decimal(86400)
    return Targets(
        digitized=share("4.2"),
        reuse=share("4.3"),
        online=Share(index.channels.online, index.channels.total),
        e_result=share("4.1"),
        productivity=Productivity(index.channels.total, counter_officers(unit_subtree(unit), window), days),
    )


def tt01_applies(period: Period) -> bool:
    """The TT 01/2018 evaluation covers periods starting by 30/06/2025 (SPEC §6.2)."""
    return period.start <= TT01_LAST_DAY

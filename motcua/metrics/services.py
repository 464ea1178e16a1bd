"""The 766 index and Biểu II.06a of a unit, served from the maintained aggregates (SPEC §5.5), the
same computed from the raw dossiers (the reference the aggregates must equal), and publication.

A window's figures come in three parts, each one or two indexed sums (`selectors.py`):
- the flows of its days (received, finished, …);
- the dossiers in progress at its start (a local midnight): carried over, 06a (6);
- those in progress at its end: at a midnight for a period that is over, or now, from the open
  fact rows, for the period still running.
Then every metric is a numerator over a denominator of those sums (`counts_766`, `row_06a`) and
the pure formulas score them, exactly as they score facts (`formulas.index_from_counts`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Field
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.metrics.aggregates import metrics_ensure_fresh
from motcua.metrics.catalog_facts import catalog_count_map
from motcua.metrics.collect import feedback_counts, unit_period_facts
from motcua.metrics.dossier_timeline import calendar_hours, day_start, local_day
from motcua.metrics.facts import Count, MetricsError
from motcua.metrics.formulas import (
    DOSSIER_RULES,
    ChannelSplit,
    Context,
    IndexResult,
    dossiers_behind,
    index_766,
    index_from_counts,
)
from motcua.metrics.models import PublishedIndex
from motcua.metrics.periods import MIN_YEAR, Period, Window
from motcua.metrics.profile import IndexProfile, profile_766_for
from motcua.metrics.report_06a import EMPTY_ROW, GroupBy, Line06a, Report06a, Row06a, check_identities, report_06a
from motcua.metrics.selectors import GroupBy as SumKey
from motcua.metrics.selectors import flow_sums, open_at, open_now, unit_labels
from motcua.organizations.models import Unit
from motcua.organizations.selectors import unit_subtree

NO_FIELD_LABEL: Final = "Lĩnh vực chưa xác định"  # a 06a row label: the report is a legal form, in Vietnamese
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


class ReportError(MetricsError):
    """Report dates the service refuses: malformed, reversed, in the future or beyond the retention window."""

    code = "invalid_report_dates"


# --- windows as the aggregates read them -------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A window and the days whose rows it sums: flows of [first_day, end_day); in progress at its
    start, and at its end (a midnight when `closed`, else now)."""

    window: Window
    first_day: date
    end_day: date
    closed: bool


def period_span(period: Period, *, now: datetime) -> Span:
    window = period.window(now=now)
    if window.end == period.end_instant:
        return Span(window, period.start, period.end, closed=True)
    return Span(window, period.start, local_day(now) + timedelta(days=1), closed=False)


def dates_span(first: date, last: date, *, now: datetime) -> Span:
    """The days `first` to `last` inclusive, cut at now if `last` has not ended yet."""
    start, end = day_start(first), day_start(last + timedelta(days=1))
    if end <= now:
        return Span(Window(start, end), first, last + timedelta(days=1), closed=True)
    return Span(Window(start, max(start, now)), first, local_day(now) + timedelta(days=1), closed=False)


@dataclass
class Figures:
    """The sums of one group (the whole unit, a field or a unit) over a span."""

    flows: Counter[str] = field(default_factory=Counter)
    start: Counter[str] = field(default_factory=Counter)
    end: Counter[str] = field(default_factory=Counter)

    @property
    def received(self) -> int:
        f = self.flows
        return f["received_direct"] + f["received_online"] + f["received_postal"]


def figures(*, unit_ids: set[int], span: Span, group_by: SumKey = None) -> dict[Any, Figures]:
    flows = flow_sums(unit_ids=unit_ids, start=span.first_day, end=span.end_day, group_by=group_by)
    start = open_at(unit_ids=unit_ids, day=span.first_day, group_by=group_by)
    if span.closed:
        end = open_at(unit_ids=unit_ids, day=span.end_day, group_by=group_by)
    else:
        end = open_now(unit_ids=unit_ids, now=span.window.end, group_by=group_by)
    keys = set(flows) | set(start) | set(end)
    return {k: Figures(flows.get(k, Counter()), start.get(k, Counter()), end.get(k, Counter())) for k in keys}


# --- the 766 index -----------------------------------------------------------------------------


def counts_766(f: Figures) -> dict[str, Count]:
    """Numerator and denominator of each dossier metric from the sums (formulas.DOSSIER_RULES, 5.4).

    The population of 2.1 and 5.4 (received in the window or carried into it) is the dossiers
    finished in it plus those still in progress at its end.
    """
    flows, end, received = f.flows, f.end, f.received
    population = flows["finished"] + end["open_total"]
    good = flows["finished"] - flows["finished_late_766"] + end["open_total"] - end["open_overdue_766"]
    complained = flows["finished_complained"] + end["open_complained"]
    return {
        "1.4": Count(flows["synced_dvcqg"], received),
        "2.1": Count(good, population),
        "3.3": Count(flows["full_online"], flows["full_online_eligible"]),
        "3.6": Count(flows["paid_online"], flows["fee_due"]),
        "4.1": Count(flows["e_result"], flows["result_due"]),
        "4.2": Count(flows["digitized"], flows["decided"]),
        "4.2b": Count(flows["e_certified_copy"], flows["certification"]),
        "4.3": Count(flows["reused"], received),
        "4.4": Count(flows["personal_store"], received),
        "4.5b": Count(flows["population_data"], received),
        "5.4": Count(max(0, good - complained), population),
    }


def channels(f: Figures) -> ChannelSplit:
    return ChannelSplit(
        online=f.flows["received_online"], direct=f.flows["received_direct"], postal=f.flows["received_postal"]
    )


def _profile(window: Window) -> IndexProfile:
    return profile_766_for(window.start.astimezone(VIETNAM).date())


def index_766_maintained(*, unit: Unit, period: Period, now: datetime | None = None) -> IndexResult:
    """The 766 index of `unit` and its subtree over `period`, from the maintained aggregates."""
    metrics_ensure_fresh()
    span = period_span(period, now=now or clock.now())
    unit_ids = unit_subtree(unit)
    sums = figures(unit_ids=unit_ids, span=span).get("", Figures())
    profile = _profile(span.window)
    counts = {
        **counts_766(sums),
        **feedback_counts(unit_ids=unit_ids, window=span.window, profile=profile),
        **catalog_count_map(unit_ids=unit_ids, window=span.window, profile=profile, from_aggregates=True),
    }
    return index_from_counts(counts, window=span.window, profile=profile, channels=channels(sums))


def index_766_from_dossiers(*, unit: Unit, period: Period, now: datetime | None = None) -> IndexResult:
    """The same index computed from the raw dossiers by the pure formulas (the reference)."""
    window = period.window(now=now or clock.now())
    facts = unit_period_facts(unit=unit, period_window=window)
    return index_766(facts, window=window, working_hours_between=calendar_hours())


def metric_dossiers(
    *, unit: Unit, period: Period, code: str, now: datetime | None = None
) -> tuple[list[str], list[str]]:
    """Drill-down: the codes of the dossiers behind a dossier metric's denominator and numerator.

    Computed from the raw dossiers of the one unit and period (the pure rules of `formulas.py`), so
    the lists are exactly the dossiers the aggregates counted.
    """
    if code not in DOSSIER_RULES:
        raise MetricsError(_("Metric %(code)s does not count dossiers one by one."), code=code[:10])
    window = period.window(now=now or clock.now())
    facts = unit_period_facts(unit=unit, period_window=window)
    context = Context(window, calendar_hours(), _profile(window))
    population, numerator = dossiers_behind(code, facts.dossiers, context)
    return sorted(d.code for d in population), sorted(d.code for d in numerator)


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _ratio(value: Any) -> float | None:
    return None if value is None else float(value)


def index_answer(*, unit: Unit, period: Period, result: IndexResult) -> dict[str, Any]:
    """The answer of GET /api/v1/metrics/766 (SPEC §8).

    `score` is the total rescaled to the metrics with data (`formulas.py`, "No data"), the figure
    the band is read on; when every metric has data it is the sum of the group scores.
    """
    return {
        "unit": unit.code,
        "period": period.label,
        "score": _ratio(result.percent),
        "max": _number(result.max),
        "band": result.band.name if result.band else None,
        "groups": [
            {
                "code": group.code,
                "name": group.name,
                "score": _ratio(group.score),
                "max": _number(group.max),
                "metrics": [
                    {
                        "code": m.code,
                        "name": m.name,
                        "numerator": m.numerator,
                        "denominator": m.denominator,
                        "ratio": _ratio(m.ratio),
                        "score": _ratio(m.score),
                        "max": _number(m.max),
                    }
                    for m in group.metrics
                ],
            }
            for group in result.groups
        ],
    }


@transaction.atomic
def index_publish(*, unit: Unit, period: Period, now: datetime | None = None) -> PublishedIndex:
    """Freeze the unit's index for the period as the public sees it (republishing replaces it)."""
    now = now or clock.now()
    answer = index_answer(unit=unit, period=period, result=index_766_maintained(unit=unit, period=period, now=now))
    published, _created = PublishedIndex.objects.update_or_create(
        unit=unit, period=period.label, defaults={"figures": answer, "published_at": now}
    )
    return published


# --- Biểu II.06a -------------------------------------------------------------------------------


def row_06a(f: Figures) -> Row06a:
    carried, end = f.start["open_total"], f.end
    return Row06a(
        received=f.received + carried,
        online=f.flows["received_online"],
        direct_postal=f.flows["received_direct"] + f.flows["received_postal"],
        carried_over=carried,
        resolved=f.flows["finished"],
        early=f.flows["finished_early"],
        on_time=f.flows["finished_on_time"],
        late=f.flows["finished_late"],
        in_progress=end["open_total"],
        within_time=end["open_total"] - end["open_overdue"],
        overdue=end["open_overdue"],
    )


def report_labels(group_by: GroupBy, codes: set[str]) -> dict[str, str]:
    """Row labels: field names by field code, unit names by unit code."""
    if group_by is GroupBy.FIELD:
        labels = dict(Field.objects.filter(code__in=codes).values_list("code", "name"))
        return {code: labels.get(code, code) if code else NO_FIELD_LABEL for code in codes}
    return dict(Unit.objects.filter(code__in=codes).values_list("code", "name"))


def report_06a_maintained(
    *, unit: Unit, first: date, last: date, group_by: GroupBy = GroupBy.FIELD, now: datetime | None = None
) -> Report06a:
    """Biểu II.06a of `unit` and its subtree for the days `first` to `last`, from the maintained aggregates."""
    metrics_ensure_fresh()
    span = dates_span(first, last, now=now or clock.now())
    key: SumKey = "field_code" if group_by is GroupBy.FIELD else "unit_id"
    sums = figures(unit_ids=unit_subtree(unit), span=span, group_by=key)
    if group_by is GroupBy.UNIT:
        codes = {pk: code for pk, (code, _name) in unit_labels(sums).items()}
        sums = {codes[pk]: value for pk, value in sums.items()}
    rows = {code: row_06a(value) for code, value in sums.items()}
    labels = report_labels(group_by, set(rows))
    lines = []
    for number, code in enumerate((c for c in sorted(rows) if rows[c].received), start=1):
        check_identities(rows[code])
        lines.append(Line06a(number, code, labels.get(code, code), rows[code]))
    total = sum((line.row for line in lines), EMPTY_ROW)
    return Report06a(group_by, span.window, tuple(lines), total)


def report_06a_from_dossiers(
    *, unit: Unit, first: date, last: date, group_by: GroupBy = GroupBy.FIELD, now: datetime | None = None
) -> Report06a:
    """The same report computed from the raw dossiers by the pure module (the reference)."""
    window = dates_span(first, last, now=now or clock.now()).window
    facts = unit_period_facts(unit=unit, period_window=window).dossiers
    codes = {d.field_code if group_by is GroupBy.FIELD else d.unit_code for d in facts}
    return report_06a(
        facts,
        window=window,
        working_hours_between=calendar_hours(),
        group_by=group_by,
        labels=report_labels(group_by, codes),
    )


def report_dates(*, first: str, last: str, today: date | None = None) -> tuple[date, date]:
    """The report's first and last days as typed (YYYY-MM-DD), or ReportError."""
    parsed = []
    for text in (first, last):
        try:
            if not _DATE.fullmatch(text.strip()):
                raise ValueError(text)
            parsed.append(date.fromisoformat(text.strip()))
        except ValueError:
            raise ReportError(_("“%(text)s” is not a date: write YYYY-MM-DD."), text=text[:20]) from None
    start, end = parsed
    today = today or clock.local_today()
    if start > end:
        raise ReportError(_("The first day of the report must not be after its last day."))
    if start.year < MIN_YEAR:
        raise ReportError(_("Reports start in %(year)s."), year=MIN_YEAR)
    if start > today:
        raise ReportError(_("The report period has not begun yet."))
    limit = int(getattr(settings, "MOTCUA_REPORT_MAX_DAYS", 3660))
    if (end - start).days + 1 > limit:
        raise ReportError(_("A report covers at most %(days)s days."), days=limit)
    return start, end


@dataclass(frozen=True)
class ReportHeader:
    """What the form prints above the table (SPEC §6.3, practice.md §4.1)."""

    reporting_unit: str
    receiving_unit: str
    first: date
    last: date
    group_by: GroupBy
    unit_of_measure: str = "Số hồ sơ TTHC"
    form_code: str = "Biểu số II.06a/VPCP/KSTT"
    title: str = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"

    @property
    def period_text(self) -> str:
        return f"Từ ngày {self.first:%d/%m/%Y} đến ngày {self.last:%d/%m/%Y}"

    @property
    def subject_header(self) -> str:
        if self.group_by is GroupBy.FIELD:
            return "Lĩnh vực, công việc giải quyết theo cấp"
        return "Đơn vị"


def report_header(*, unit: Unit, first: date, last: date, group_by: GroupBy) -> ReportHeader:
    """The unit reports to its parent; a unit at the top to the Government Office."""
    receiver = unit.parent.name if unit.parent_id and unit.parent else "Văn phòng Chính phủ"
    return ReportHeader(unit.name, receiver, first, last, group_by)

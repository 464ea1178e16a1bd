"""Dashboards (SPEC §3.10, §6.1): the internal index dashboard with drill-down, the lists, and the public pages."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any, Final

from django.core.paginator import Page, Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.accounts.decorators import staff_verified_required
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.dashboards import charts
from motcua.dashboards.access import Choice, dashboard_choice, month_only, scope_units, unit_in_scope
from motcua.dashboards.models import WeeklyIndex
from motcua.dashboards.selectors import average_wait, feedback_overdue, overdue_rows
from motcua.dashboards.tt01 import officer_headers, officer_row, officers_window, tt01_section, window_dates
from motcua.metrics.dashboard import (
    PRODUCTIVITY_TARGETS,
    TrendPoint,
    apologies,
    child_comparison,
    dossier_rows,
    drillable,
    drilldown_codes,
    late_dossiers,
    month_public_from,
    monthly_trend,
    officials_late,
    targets,
    tt01_applies,
)
from motcua.metrics.formulas import IndexResult
from motcua.metrics.periods import Period, PeriodKind, parse_period
from motcua.metrics.services import index_766_maintained
from motcua.metrics.tt01_collect import tt01_officer_results
from motcua.organizations.models import Unit
from motcua.organizations.selectors import unit_subtree

PER_PAGE: Final = 50
View = Callable[..., HttpResponse]


def _page(request: HttpRequest, items: Any) -> Page:
    try:
        number = max(1, int(request.GET.get("page", "1")[:6]))
    except ValueError:
        number = 1
    return Paginator(items, PER_PAGE).get_page(number)


def refusing_bad_input(view: View) -> View:
    """A period or figure the rules refuse → 400 with the reason, nothing else shown."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            context = {"message": str(error.message), "back": request.path}
            return render(request, "dashboards/bad_request.html", context, status=error.status)

    return wrapper


def _this_month() -> str:
    return clock.local_today().strftime("%Y-%m")


def _last_month() -> str:
    today = clock.local_today()
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


def _quick_periods() -> list[tuple[str, str]]:
    today = clock.local_today()
    quarter = (today.month - 1) // 3 + 1
    return [
        (_("This month"), f"{today:%Y-%m}"),
        (_("Last month"), _last_month()),
        (_("This quarter"), f"{today.year}-Q{quarter}"),
        (_("This year"), str(today.year)),
        (_("Last year"), str(today.year - 1)),
    ]


def _internal_context(choice: Choice) -> dict[str, Any]:
    return {
        "unit": choice.unit,
        "period": choice.period,
        "units": scope_units(choice.scope),
        "quick_periods": _quick_periods(),
    }


def _short(month: Period) -> str:
    """A month as the axis prints it: MM/YY."""
    return f"{month.number:02d}/{month.year % 100:02d}"


def _pct(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _metric_rows(index: IndexResult) -> list[dict[str, Any]]:
    groups = []
    for group in index.groups:
        groups.append(
            {
                "group": group,
                "gauge": charts.gauge(group.score, group.available_max),
                "metrics": [
                    {
                        "m": m,
                        "numerator_link": drillable(m.code, "numerator"),
                        "denominator_link": drillable(m.code, "denominator"),
                    }
                    for m in group.metrics
                ],
            }
        )
    return groups


# --- internal -----------------------------------------------------------------------------------


def _trend_charts(trend: list[TrendPoint]) -> dict[str, Any]:
    received_max = max([p.received for p in trend] + [1])
    return {
        "trend_chart": charts.line(
            [
                (_short(p.period), _pct(p.index.percent), "" if p.index.percent is None else f"{p.index.percent}")
                for p in trend
            ]
        ),
        "received_bars": charts.bars(
            [(p.period.label, float(p.received), str(p.received), "") for p in trend], maximum=float(received_max)
        ),
    }


def _comparison_bars(comparison: list[tuple[Unit, IndexResult]]) -> dict[str, Any]:
    bars = charts.bars(
        [
            (
                child.name,
                _pct(result.percent),
                _("no data") if result.percent is None else f"{result.percent}",
                result.band.name if result.band else "",
            )
            for child, result in comparison
        ]
    )
    return {"comparison_bars": bars, "comparison_height": 28 * len(bars)}


@staff_verified_required
@refusing_bad_input
def dashboard(request: HttpRequest) -> HttpResponse:
    choice = dashboard_choice(request, default=_this_month())
    unit, period, now = choice.unit, choice.period, clock.now()
    index = index_766_maintained(unit=unit, period=period, now=now)
    trend = monthly_trend(unit=unit, period=period, now=now)
    comparison = child_comparison(unit=unit, period=period, now=now)
    context = _internal_context(choice) | {
        "index": index,
        "total_gauge": charts.gauge(index.percent, 100),
        "groups": _metric_rows(index),
        "trend": trend,
        **_trend_charts(trend),
        "comparison": comparison,
        **_comparison_bars(comparison),
        "goals": targets(unit=unit, index=index),
        "wait": average_wait(unit_ids=unit_subtree(unit), period=period, now=now),
        "productivity_targets": PRODUCTIVITY_TARGETS,
        # The TT 01/2018 evaluation reads every dossier finished in the period: its own page, not here.
        "tt01_applies": tt01_applies(period),
    }
    return render(request, "dashboards/dashboard.html", context)


@staff_verified_required
@refusing_bad_input
def drilldown(request: HttpRequest, code: str, part: str) -> HttpResponse:
    choice = dashboard_choice(request, default=_this_month())
    if not drillable(code, part):
        raise Http404(_("This figure has no list of dossiers."))
    metric = index_766_maintained(unit=choice.unit, period=choice.period).metric(code)
    codes = drilldown_codes(unit=choice.unit, period=choice.period, code=code, part=part)
    page = _page(request, codes)
    context = _internal_context(choice) | {
        "metric": metric,
        "part": part,
        "expected": metric.numerator if part == "numerator" else metric.denominator,
        "total": len(codes),
        "page": page,
        "rows": dossier_rows(list(page.object_list)),
    }
    return render(request, "dashboards/drilldown.html", context)


@staff_verified_required
@refusing_bad_input
def late_list(request: HttpRequest) -> HttpResponse:
    choice = dashboard_choice(request, default=_this_month())
    late = late_dossiers(unit=choice.unit, period=choice.period)
    page = _page(request, late)
    states = dict(page.object_list)
    rows = [(row, states[row.code]) for row in dossier_rows([code for code, _state in page.object_list])]
    context = _internal_context(choice) | {
        "page": page,
        "rows": rows,
        "total": len(late),
        "late_count": sum(1 for _c, s in late if s == "late"),
        "overdue_count": sum(1 for _c, s in late if s == "overdue"),
    }
    return render(request, "dashboards/late.html", context)


@staff_verified_required
@refusing_bad_input
def officials_list(request: HttpRequest) -> HttpResponse:
    choice = dashboard_choice(request, default=_last_month(), month=True)
    month = choice.period
    context = _internal_context(choice) | {
        "rows": officials_late(unit_ids=unit_subtree(choice.unit), month=month),
        "public_from": month_public_from(month),
        "is_public": clock.local_today() >= month_public_from(month),
    }
    return render(request, "dashboards/officials.html", context)


@staff_verified_required
@refusing_bad_input
def apology_list(request: HttpRequest) -> HttpResponse:
    choice = dashboard_choice(request, default=_this_month())
    letters = apologies(unit_ids=unit_subtree(choice.unit), window=choice.period.window(now=clock.now()))
    page = _page(request, letters)
    context = _internal_context(choice) | {"page": page, "total": page.paginator.count}
    return render(request, "dashboards/apologies.html", context)


@staff_verified_required
@refusing_bad_input
def feedback_overdue_list(request: HttpRequest) -> HttpResponse:
    """Feedback (PAKN) of the unit and its subtree overdue for handling now (SPEC §3.10)."""
    choice = dashboard_choice(request, default=_this_month())
    now = clock.now()
    page = _page(request, feedback_overdue(unit_ids=unit_subtree(choice.unit), now=now))
    context = _internal_context(choice) | {
        "page": page,
        "rows": overdue_rows(page.object_list),
        "total": page.paginator.count,
        "now": now,
    }
    return render(request, "dashboards/feedback_overdue.html", context)


@staff_verified_required
@refusing_bad_input
def tt01_unit(request: HttpRequest) -> HttpResponse:
    """The unit and its subtree under Circular 01/2018 (Art. 13–15): nine indices, total, classification."""
    choice = dashboard_choice(request, default=_this_month())
    officers_window(choice.period, now=clock.now())  # a period the Circular does not cover: 400
    context = _internal_context(choice) | tt01_section(unit=choice.unit, period=choice.period, now=clock.now())
    return render(request, "dashboards/tt01.html", context)


@staff_verified_required
@refusing_bad_input
def tt01_officers(request: HttpRequest) -> HttpResponse:
    """The officers of the unit and its subtree under Circular 01/2018 (Art. 15.1.a, 15.3.a), for a period it covers."""
    choice = dashboard_choice(request, default=_this_month())
    window = officers_window(choice.period, now=clock.now())
    rows = tt01_officer_results(unit=choice.unit, window=window)
    by_total = request.GET.get("sort") == "total"
    if by_total:
        rows = sorted(rows, key=lambda r: -r.evaluation.total)  # stable: by name within a total
    context = _internal_context(choice) | {
        "window": window_dates(window),
        "rows": [officer_row(row) for row in rows],
        "headers": officer_headers(),
        "by_total": by_total,
    }
    return render(request, "dashboards/tt01_officers.html", context)


# --- public -------------------------------------------------------------------------------------

KINDS: Final = {"month": PeriodKind.MONTH, "quarter": PeriodKind.QUARTER, "year": PeriodKind.YEAR}


def _kind_of(label: str) -> PeriodKind:
    return PeriodKind.QUARTER if "Q" in label else PeriodKind.MONTH if "-" in label else PeriodKind.YEAR


@refusing_bad_input
def public_index(request: HttpRequest) -> HttpResponse:
    """Every unit's latest published index (the week's publication), with its band."""
    week = WeeklyIndex.objects.aggregate(latest=Max("week"))["latest"]
    rows: dict[int, dict[str, Any]] = {}
    if week is not None:
        for item in WeeklyIndex.objects.filter(week=week).select_related("unit").order_by("unit__code", "period"):
            entry = rows.setdefault(item.unit_id, {"unit": item.unit})
            entry[_kind_of(item.period).value] = item
    table = list(rows.values())
    year_bars = charts.bars(
        [
            (
                r["unit"].name,
                None if r.get("year") is None or r["year"].score is None else float(r["year"].score),
                _("no data") if r.get("year") is None or r["year"].score is None else f"{r['year'].score}",
                r["year"].band if r.get("year") else "",
            )
            for r in table
        ]
    )
    context = {"week": week, "table": table, "year_bars": year_bars, "bars_height": 28 * len(year_bars)}
    return render(request, "dashboards/public_index.html", context)


@refusing_bad_input
def public_unit(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's published history: every weekly publication, and the latest figures in full."""
    unit = Unit.objects.filter(code=code.strip().upper()[:40]).first()
    history = list(WeeklyIndex.objects.filter(unit=unit).order_by("-week", "period")) if unit else []
    if unit is None or not history:
        raise Http404(_("Nothing has been published for this unit."))
    kind = KINDS.get(request.GET.get("kind", "year"), PeriodKind.YEAR)
    chosen = [h for h in history if _kind_of(h.period) is kind]
    series = chosen[::-1][-26:]
    chart = charts.line(
        [
            (f"{h.week:%d/%m}", None if h.score is None else float(h.score), "" if h.score is None else f"{h.score}")
            for h in series
        ]
    )
    latest = chosen[0] if chosen else history[0]
    context = {
        "unit": unit,
        "history": chosen,
        "chart": chart,
        "kind": kind.value,
        "latest": latest,
        "kinds": [("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))],
    }
    return render(request, "dashboards/public_unit.html", context)


@refusing_bad_input
def public_officials(request: HttpRequest) -> HttpResponse:
    """The monthly public list of officials with late dossiers (seed 003 §III.1.6): name, title, unit, count."""
    today = clock.local_today()
    default = _last_month() if today.day >= 5 else _month_before_last()
    month = month_only(parse_period((request.GET.get("month") or default)[:20]))
    if today < month_public_from(month):
        raise Http404(_("The list of this month is published on the 5th of the next month."))
    code = request.GET.get("unit", "")
    unit = unit_in_scope(code, None) if code else None
    unit_ids = unit_subtree(unit) if unit else set(Unit.objects.values_list("pk", flat=True))
    rows = officials_late(unit_ids=unit_ids, month=month)
    page = _page(request, rows)
    return render(
        request, "dashboards/public_officials.html", {"month": month, "page": page, "unit": unit, "total": len(rows)}
    )


def _month_before_last() -> str:
    today = clock.local_today()
    year, month = today.year, today.month - 2
    if month < 1:
        year, month = year - 1, month + 12
    return f"{year}-{month:02d}"

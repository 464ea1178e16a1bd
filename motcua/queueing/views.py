"""Pages of the counter queue: the kiosk and the board (public), the counter console and statistics (staff).

The kiosk and the console work without JavaScript (plain POST, then a redirect); the board refreshes
itself with htmx, or with a meta refresh when scripts are off.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.decorators import staff_verified_required
from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import DomainError
from motcua.metrics.erlang import DEFAULT_TARGET_WAIT_MINUTES
from motcua.organizations.models import Counter, Unit
from motcua.organizations.selectors import units_for_user
from motcua.queueing import selectors, services
from motcua.queueing.charts import bars
from motcua.queueing.forms import KioskForm, LinkForm, StatsForm, TransferForm
from motcua.queueing.models import ServiceArea, Ticket


def _unit_or_404(code: str) -> Unit:
    unit = selectors.unit_with_queue(code)
    if unit is None:
        raise Http404(code)
    return unit


# --- kiosk and board (no login: they run on the hall's screens) -------------------------------


def kiosk(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    form = KioskForm(request.POST if request.method == "POST" else None, unit=unit)
    error = None
    if form.is_valid():
        try:
            ticket = services.ticket_issue(area=form.cleaned_data["area"], **_priority(form))
        except DomainError as exc:
            error = exc
        else:
            return redirect("queueing:ticket", unit_code=unit.code, pk=ticket.pk)
    status = error.status if error else (422 if form.is_bound else 200)
    context = {"unit": unit, "form": form, "areas": selectors.kiosk_areas(unit), "error": error}
    return render(request, "queueing/kiosk.html", context, status=status)


def _priority(form: KioskForm) -> dict[str, str]:
    return {"priority_reason": form.cleaned_data.get("priority_reason") or ""}


def ticket(request: HttpRequest, unit_code: str, pk: int) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    issued = get_object_or_404(Ticket.objects.select_related("area"), pk=pk, area__unit=unit)
    context = {"unit": unit, "ticket": issued, "ahead": selectors.people_ahead(issued)}
    return render(request, "queueing/ticket.html", context)


def board(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    return render(request, "queueing/board.html", {"board": selectors.board(unit)})


def board_content(request: HttpRequest, unit_code: str) -> HttpResponse:
    unit = _unit_or_404(unit_code)
    return render(request, "queueing/_board_content.html", {"board": selectors.board(unit)})


# --- counter console (counter officers past the second factor) --------------------------------


def _counter_or_404(request: HttpRequest, counter_id: int) -> Counter:
    return get_object_or_404(selectors.counters_for_officer(request.user), pk=counter_id)


@staff_verified_required
def console_home(request: HttpRequest) -> HttpResponse:
    counters = list(selectors.counters_for_officer(request.user))
    rows = [(counter, selectors.open_session(counter)) for counter in counters]
    return render(request, "queueing/console_home.html", {"rows": rows})


@staff_verified_required
def console(request: HttpRequest, counter_id: int) -> HttpResponse:
    return _console_page(request, _counter_or_404(request, counter_id))


def _console_page(request: HttpRequest, counter: Counter, *, error: Any = None, **forms: Any) -> HttpResponse:
    session = selectors.open_session(counter)
    context = {
        "counter": counter,
        "session": session,
        "seated": session is not None and session.officer_id == request.user.pk,
        "current": selectors.current_ticket(counter),
        "waiting": services.waiting_for(counter).select_related("area")[:10],
        "waiting_count": services.waiting_for(counter).count(),
        "recent": selectors.recent_at_counter(counter),
        "transfer_form": forms.get("transfer_form") or TransferForm(counter=counter),
        "error_forms": [form for form in forms.values() if form is not None and form.errors],
        "error": error,
    }
    status = error.status if isinstance(error, DomainError) else (422 if error else 200)
    return render(request, "queueing/console.html", context, status=status)


def _simple(action: Callable[..., Any]) -> Callable[[HttpRequest, Counter], Any]:
    return lambda request, counter: action(officer=request.user, counter=counter)


SIMPLE_ACTIONS: dict[str, Callable[[HttpRequest, Counter], Any]] = {
    "open": _simple(services.session_open),
    "close": _simple(services.session_close),
    "call-next": _simple(services.ticket_call_next),
    "recall": _simple(services.ticket_recall),
    "skip": _simple(services.ticket_skip),
    "start": _simple(services.ticket_start),
    "finish": _simple(services.ticket_finish),
}


@require_POST
@staff_verified_required
def console_action(request: HttpRequest, counter_id: int, action: str) -> HttpResponse:
    counter = _counter_or_404(request, counter_id)
    try:
        if action in SIMPLE_ACTIONS:
            SIMPLE_ACTIONS[action](request, counter)
        elif action == "transfer":
            return _transfer(request, counter)
        elif action == "link":
            return _link(request, counter)
        else:
            raise Http404(action)
    except DomainError as exc:
        return _console_page(request, counter, error=exc)
    return redirect("queueing:console", counter_id=counter.pk)


def _transfer(request: HttpRequest, counter: Counter) -> HttpResponse:
    form = TransferForm(request.POST, counter=counter)
    if not form.is_valid():
        return _console_page(request, counter, error=True, transfer_form=form)
    services.ticket_transfer(officer=_user(request), counter=counter, **form.cleaned_data)
    return redirect("queueing:console", counter_id=counter.pk)


def _link(request: HttpRequest, counter: Counter) -> HttpResponse:
    form = LinkForm(request.POST)
    if not form.is_valid():
        return _console_page(request, counter, error=True, link_form=form)
    linked = get_object_or_404(Ticket, pk=form.cleaned_data["ticket"], counter=counter)
    services.ticket_link_dossier(
        officer=_user(request), counter=counter, ticket=linked, dossier_code=form.cleaned_data["dossier_code"]
    )
    return redirect("queueing:console", counter_id=counter.pk)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


# --- statistics and staffing advisor (staff, scoped to their units) ---------------------------


@staff_verified_required
def stats(request: HttpRequest) -> HttpResponse:
    units = units_for_user(request.user).filter(pk__in=ServiceArea.objects.values("unit_id")).order_by("code")
    first = units.first()
    day = selectors.latest_queue_day(first) if first else clock.local_today()
    initial = {"unit": first.code if first else "", "date": day, "weekday": min(day.weekday(), 5)}
    form = StatsForm(request.GET or initial, units=units)
    context: dict[str, Any] = {"form": form, "has_units": first is not None}
    if form.is_valid():
        unit, day = form.cleaned_data["unit"], form.cleaned_data["date"]
        context |= _stats_context(unit, day, form.cleaned_data["weekday"])
    status = 200 if form.is_valid() or not request.GET else 422
    return render(request, "queueing/stats.html", context, status=status)


def _stats_context(unit: Unit, day: date, weekday: int) -> dict[str, Any]:
    day_stats = selectors.day_stats(unit, day)
    hours, days = selectors.advice(unit, weekday=weekday, until=day)
    return {
        "unit": unit,
        "stats": day_stats,
        "hour_bars": bars(day_stats.per_hour, "mean_wait"),
        "day_bars": bars(day_stats.per_day, "mean_wait"),
        "advice": hours,
        "advice_days": days,
        "target": int(DEFAULT_TARGET_WAIT_MINUTES),
    }

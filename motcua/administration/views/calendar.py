"""Calendar overrides (extra days off, make-up working days) with their effect on a due date."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.administration.access import admin_user, province_admin_required
from motcua.administration.forms import CalendarOverrideForm
from motcua.administration.services import EFFECT_DAYS, admin_change_record, due_for_today
from motcua.core import clock
from motcua.workcalendar import services as calendar
from motcua.workcalendar.models import CalendarOverride


def _when(moment: datetime) -> str:
    return formats.date_format(moment, "l d/m/Y H:i") if moment else ""


def _effect(before: datetime, after: datetime) -> str:
    values = {"days": EFFECT_DAYS, "before": _when(before), "after": _when(after)}
    if before == after:
        return _("A %(days)d-working-day procedure accepted today is still due %(after)s.") % values
    return _("A %(days)d-working-day procedure accepted today was due %(before)s and is now due %(after)s.") % values


@province_admin_required
def override_list(request: HttpRequest) -> HttpResponse:
    form = CalendarOverrideForm(request.POST or None, prefix="override")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        before = due_for_today()
        existing = CalendarOverride.objects.filter(day=data["day"]).first()
        with transaction.atomic():
            override = calendar.calendar_override_set(**data)
            old = {"kind": existing.kind, "reason": existing.reason} if existing else {}
            after_values = {
                "day": data["day"].isoformat(),
                "kind": data["kind"],
                "reason": data["reason"],
                "decision_number": data["decision_number"],
            }
            admin_change_record(
                by=admin_user(request), action="calendar.set", target=override, before=old, after=after_values
            )
        messages.success(request, _("The override was saved.") + " " + _effect(before, due_for_today()))
        return redirect("administration:calendar")
    today = clock.local_today()
    context = {
        "form": form,
        "upcoming": CalendarOverride.objects.filter(day__gte=today).order_by("day"),
        "past": CalendarOverride.objects.filter(day__lt=today).order_by("-day")[:50],
        "due_today": _when(due_for_today()),
        "effect_days": EFFECT_DAYS,
    }
    return render(request, "administration/calendar.html", context, status=422 if form.is_bound else 200)


@province_admin_required
@require_POST
def override_delete(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_object_or_404(CalendarOverride, pk=pk)
    before = due_for_today()
    values = {"day": override.day.isoformat(), "kind": override.kind, "reason": override.reason}
    with transaction.atomic():
        admin_change_record(by=admin_user(request), action="calendar.delete", target=override, before=values)
        calendar.calendar_override_delete(override=override)
    messages.success(request, _("The override was removed.") + " " + _effect(before, due_for_today()))
    return redirect("administration:calendar")

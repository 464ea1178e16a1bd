"""The counter queue's service areas of a unit (SPEC §3.9): add, edit, deactivate, delete an unused one.

Whoever manages a unit's counters manages its areas: an administrator over the unit.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.administration.access import admin_required, admin_user, unit_or_404
from motcua.administration.forms import ServiceAreaForm
from motcua.administration.services import (
    service_area_create,
    service_area_deactivate,
    service_area_delete,
    service_area_update,
)
from motcua.administration.views.units import unit_page
from motcua.core.errors import DomainError
from motcua.organizations.models import Unit
from motcua.queueing.models import ServiceArea


@admin_required
def area_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = admin_user(request)
    unit = unit_or_404(user, pk)
    form = ServiceAreaForm(request.POST if request.method == "POST" else None, unit=unit, prefix="area")
    if form.is_bound and form.is_valid():
        try:
            service_area_create(unit=unit, by=user, **form.cleaned_data)
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The service area was added to the kiosk."))
            return redirect("administration:unit-detail", pk=unit.pk)
    return _form_page(request, unit, form, area=None)


@admin_required
def area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = _area_or_404(request, pk)
    initial = {
        "letter": area.letter,
        "name": area.name,
        "procedure_fields": area.procedure_fields,
        "counters": list(area.counters.all()),
        "position": area.position,
        "is_active": area.is_active,
    }
    data = request.POST if request.method == "POST" else None
    form = ServiceAreaForm(data, unit=area.unit, area=area, initial=initial, prefix="area")
    if form.is_bound and form.is_valid():
        try:
            service_area_update(area=area, by=admin_user(request), **form.cleaned_data)
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The service area was saved."))
            return redirect("administration:unit-detail", pk=area.unit_id)
    return _form_page(request, area.unit, form, area=area)


@admin_required
@require_POST
def area_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    message = _("The service area was deactivated: it no longer shows on the kiosk.")
    return _area_act(request, pk, service_area_deactivate, message)


@admin_required
@require_POST
def area_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _area_act(request, pk, service_area_delete, _("The service area was deleted."))


def _area_act(request: HttpRequest, pk: int, act: Callable[..., object], done: str) -> HttpResponse:
    """Run `act` on the area; a refusal shows on the unit page with its status, nothing changed."""
    area = _area_or_404(request, pk)
    try:
        act(area=area, by=admin_user(request))
    except DomainError as error:
        messages.error(request, str(error.message))
        return unit_page(request, area.unit, status=error.status)
    messages.success(request, done)
    return redirect("administration:unit-detail", pk=area.unit_id)


def _area_or_404(request: HttpRequest, pk: int) -> ServiceArea:
    """An area of a unit this administrator manages; another unit's area is a 404 like a missing one."""
    area = ServiceArea.objects.filter(pk=pk).first()
    if area is None:
        raise Http404
    area.unit = unit_or_404(admin_user(request), area.unit_id)
    return area


def _form_page(request: HttpRequest, unit: Unit, form: ServiceAreaForm, *, area: ServiceArea | None) -> HttpResponse:
    context = {"unit": unit, "area": area, "form": form}
    status = 422 if form.is_bound else 200
    return render(request, "administration/service_area_edit.html", context, status=status)

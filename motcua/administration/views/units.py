"""Units tree, unit page (rename, recode, merge, history, queue service areas) and its counters."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.administration.access import admin_required, admin_units, admin_user, unit_or_404
from motcua.administration.forms import CounterForm, UnitChildForm, UnitMergeForm, UnitRecodeForm, UnitRenameForm
from motcua.administration.services import admin_change_record
from motcua.core.errors import DomainError
from motcua.organizations import services as org
from motcua.organizations.models import Counter, Unit
from motcua.queueing.models import ServiceArea, Ticket

FORMS = {"rename": UnitRenameForm, "recode": UnitRecodeForm, "merge": UnitMergeForm}


@admin_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    units = admin_units(admin_user(request)).select_related("parent").order_by("code")
    rows = _tree_rows(list(units))
    return render(request, "administration/units.html", {"rows": rows})


def _tree_rows(units: list[Unit]) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth within the administrator's scope."""
    ids = {u.pk for u in units}
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id if unit.parent_id in ids else None, []).append(unit)
    rows: list[tuple[Unit, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in children.get(parent, []):
            rows.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return rows


def _forms(request: HttpRequest, unit: Unit, bound: str | None = None) -> dict[str, object]:
    units = admin_units(admin_user(request))
    data = request.POST if bound else None
    return {
        "rename": UnitRenameForm(
            data if bound == "rename" else None,
            prefix="rename",
            initial={"new_name": unit.name, "new_short_name": unit.short_name},
        ),
        "recode": UnitRecodeForm(data if bound == "recode" else None, prefix="recode", initial={"new_code": unit.code}),
        "merge": UnitMergeForm(data if bound == "merge" else None, prefix="merge", units=units, unit=unit),
        "counter": CounterForm(data if bound == "counter" else None, prefix="counter"),
        "child": UnitChildForm(data if bound == "child" else None, prefix="child"),
    }


def _service_areas(unit: Unit) -> QuerySet[ServiceArea]:
    """The unit's kiosk lines, open ones first; `has_tickets` says whether one may still be deleted."""
    return (
        ServiceArea.objects.filter(unit=unit)
        .prefetch_related(Prefetch("counters", queryset=Counter.objects.order_by("name")))
        .annotate(has_tickets=Exists(Ticket.objects.filter(area=OuterRef("pk"))))
        .order_by("-is_active", "position", "letter")
    )


def unit_page(request: HttpRequest, unit: Unit, *, status: int = 200) -> HttpResponse:
    """The unit page with blank forms (after a refused one-button action, with its status)."""
    return _page(request, unit, _forms(request, unit), status=status)


def _page(request: HttpRequest, unit: Unit, forms: dict[str, object], status: int = 200) -> HttpResponse:
    context = {
        "unit": unit,
        "history": unit.history.select_related("successor", "recorded_by").order_by("-effective_on", "-pk"),
        "counters": unit.counters.order_by("-is_active", "name"),
        "service_areas": _service_areas(unit),
        "children": unit.children.order_by("code"),
        **forms,
    }
    return render(request, "administration/unit_detail.html", context, status=status)


@admin_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_or_404(admin_user(request), pk)
    return _page(request, unit, _forms(request, unit))


@admin_required
@require_POST
def unit_change(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    user = admin_user(request)
    unit = unit_or_404(user, pk)
    if what not in FORMS:
        raise Http404
    forms = _forms(request, unit, bound=what)
    form = forms[what]
    assert isinstance(form, UnitRenameForm | UnitRecodeForm | UnitMergeForm)  # noqa: S101 - narrows the type
    if form.is_valid():
        try:
            with transaction.atomic():
                _apply(what, unit, form.cleaned_data, user)
        except DomainError as error:
            form.refuse(error, {"code": "new_code", "unit": "new_name", "units": "into"})
        else:
            messages.success(request, _("The change was saved and recorded in the unit's history."))
            return redirect("administration:unit-detail", pk=unit.pk)
    return _page(request, unit, forms, status=422)


def _apply(what: str, unit: Unit, data: dict, user: object) -> None:
    before = {"name": unit.name, "short_name": unit.short_name, "code": unit.code}
    common = {"decision": data["decision"], "effective_on": data["effective_on"], "by": user}
    if what == "rename":
        org.unit_rename(unit=unit, new_name=data["new_name"], new_short_name=data["new_short_name"], **common)
    elif what == "recode":
        org.unit_recode(unit=unit, new_code=data["new_code"], **common)
    else:
        org.unit_merge(
            units=[unit], into=data["into"], memberships=org.MembershipTransfer(data["memberships"]), **common
        )
    unit.refresh_from_db()
    after = {
        "name": unit.name,
        "short_name": unit.short_name,
        "code": unit.code,
        "successor": str(unit.successor or ""),
    }
    admin_change_record(by=user, action=f"unit.{what}", target=unit, unit=unit, before=before, after=after)  # type: ignore[arg-type]


@admin_required
@require_POST
def counter_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = admin_user(request)
    unit = unit_or_404(user, pk)
    forms = _forms(request, unit, bound="counter")
    form = forms["counter"]
    assert isinstance(form, CounterForm)  # noqa: S101 - narrows the type
    if form.is_valid():
        try:
            with transaction.atomic():
                counter = org.counter_create(unit=unit, **form.cleaned_data)
                admin_change_record(
                    by=user, action="counter.create", target=counter, unit=unit, after=form.cleaned_data
                )
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The counter was opened."))
            return redirect("administration:unit-detail", pk=unit.pk)
    return _page(request, unit, forms, status=422)


@admin_required
@require_POST
def unit_child_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a unit below one the administrator manages (it falls in his scope with its parent)."""
    user = admin_user(request)
    parent = unit_or_404(user, pk)
    forms = _forms(request, parent, bound="child")
    form = forms["child"]
    assert isinstance(form, UnitChildForm)  # noqa: S101 - narrows the type
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                child = org.unit_create(
                    code=data["code"],
                    name=data["name"],
                    short_name=data["short_name"],
                    kind=data["kind"],
                    parent=parent,
                    decision=data["decision"].strip(),
                    by=user,
                )
                after = {
                    "code": child.code,
                    "name": child.name,
                    "short_name": child.short_name,
                    "kind": child.kind,
                    "parent": parent.code,
                    "decision": data["decision"].strip(),
                }
                admin_change_record(by=user, action="unit.create", target=child, unit=child, after=after)
        except DomainError as error:
            form.refuse(error, {"parent": ""})
        else:
            messages.success(request, _("The unit was added to the tree."))
            return redirect("administration:unit-detail", pk=child.pk)
    return _page(request, parent, forms, status=422)


def _counter_or_404(request: HttpRequest, pk: int) -> Counter:
    counter = Counter.objects.select_related("unit").filter(pk=pk).first()
    if counter is None:
        raise Http404
    unit_or_404(admin_user(request), counter.unit_id)
    return counter


@admin_required
def counter_edit(request: HttpRequest, pk: int) -> HttpResponse:
    counter = _counter_or_404(request, pk)
    user = admin_user(request)
    initial = {"name": counter.name, "address": counter.address, "phone": counter.phone}
    form = CounterForm(request.POST if request.method == "POST" else None, initial=initial, prefix="counter")
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                org.counter_update(counter=counter, **form.cleaned_data)
                admin_change_record(
                    by=user,
                    action="counter.update",
                    target=counter,
                    unit=counter.unit,
                    before=initial,
                    after=form.cleaned_data,
                )
        except DomainError as error:
            form.refuse(error)
        else:
            messages.success(request, _("The counter was saved."))
            return redirect("administration:unit-detail", pk=counter.unit_id)
    status = 422 if form.is_bound else 200
    return render(request, "administration/counter_edit.html", {"counter": counter, "form": form}, status=status)


@admin_required
@require_POST
def counter_close(request: HttpRequest, pk: int) -> HttpResponse:
    counter = _counter_or_404(request, pk)
    try:
        with transaction.atomic():
            org.counter_close(counter=counter)
            admin_change_record(
                by=admin_user(request),
                action="counter.close",
                target=counter,
                unit=counter.unit,
                before={"is_active": True},
                after={"is_active": False},
            )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The counter was closed."))
    return redirect("administration:unit-detail", pk=counter.unit_id)

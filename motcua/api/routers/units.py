"""GET /api/v1/units: the public directory of units and their counters (SPEC §8)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.core.errors import NotFound
from motcua.organizations.models import Unit
from motcua.organizations.selectors import unit_by_code, unit_directory

router = Router()


class CounterOut(Schema):
    id: int
    name: str
    address: str
    phone: str


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    level: int
    parent: str | None
    counters: list[CounterOut]


class UnitListOut(Schema):
    items: list[UnitOut]
    count: int


def _unit_out(unit: Unit) -> UnitOut:
    return UnitOut(
        code=unit.code,
        name=unit.name,
        short_name=unit.short_name,
        kind=unit.kind,
        level=unit.level,
        parent=unit.parent.code if unit.parent else None,
        counters=[
            CounterOut(id=c.pk, name=c.name, address=c.address, phone=c.phone)
            for c in getattr(unit, "open_counters", [])
        ],
    )


def _unit_or_404(code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise NotFound(_("No unit has the code %(code)s.") % {"code": code})
    return unit


@router.get("", response=UnitListOut, summary="Search the directory of units")
def list_units(request: HttpRequest, q: str = "", parent: str = "") -> UnitListOut:
    """Active units; `q` matches the name without diacritics or the code, `parent` is a parent's code."""
    parent_unit = _unit_or_404(parent) if parent else None
    items = [_unit_out(unit) for unit in unit_directory(q=q, parent=parent_unit)]
    return UnitListOut(items=items, count=len(items))


@router.get("/{code}", response=UnitOut, summary="One unit by its identifier code")
def get_unit(request: HttpRequest, code: str) -> UnitOut:
    unit = _unit_or_404(code)
    return _unit_out(unit_directory().filter(pk=unit.pk).first() or unit)

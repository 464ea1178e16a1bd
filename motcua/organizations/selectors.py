"""Reads of the government tree, and the one place that decides which units a user may see.

Scope rule (SPEC §3.11): an active membership gives access to its unit and everything below it.
Units merged into a unit in scope (their `successor`) are in scope too, with their own subtrees, so
the staff of the new unit keep seeing the dossiers the old ones received. A Django superuser (the
administrator) sees everything; anyone without an active membership sees nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models import Prefetch, Q, QuerySet

from motcua.core import clock
from motcua.core.text import fold
from motcua.organizations.models import Counter, Membership, Position, Unit

M = TypeVar("M", bound=models.Model)

# One query whatever the depth; UNION (not UNION ALL) also stops on a cycle in bad data.
_CLOSURE_SQL = """
WITH RECURSIVE reached(id) AS (
    SELECT id FROM {table} WHERE id IN ({roots})
    UNION
    SELECT unit.id FROM {table} AS unit JOIN reached ON {join}
)
SELECT id FROM reached
"""
_CHILDREN = "unit.parent_id = reached.id"
_CHILDREN_AND_PREDECESSORS = "unit.parent_id = reached.id OR unit.successor_id = reached.id"


def _closure(root_ids: Iterable[int], join: str) -> set[int]:
    roots = sorted(set(root_ids))
    if not roots:
        return set()
    table = connection.ops.quote_name(Unit._meta.db_table)
    sql = _CLOSURE_SQL.format(table=table, roots=", ".join(["%s"] * len(roots)), join=join)
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return {row[0] for row in cursor.fetchall()}


def unit_subtree(unit: Unit | int) -> set[int]:
    """Ids of `unit` and all units below it (active or not), in one query."""
    return _closure([unit if isinstance(unit, int) else unit.pk], _CHILDREN)


def unit_current(unit: Unit) -> Unit:
    """The unit that does `unit`'s work today: follow successor links to the end."""
    seen = {unit.pk}
    while unit.successor_id is not None and unit.successor_id not in seen:
        unit = Unit.objects.get(pk=unit.successor_id)
        seen.add(unit.pk)
    return unit


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code.strip().upper()).first()


# --- scoping ----------------------------------------------------------------------------------


def active_memberships(user: Any, role: str | Sequence[str] | None = None) -> QuerySet[Membership]:
    """The user's memberships in force today, optionally only those with the given role(s)."""
    today = clock.local_today()
    memberships = Membership.objects.filter(user_id=user.pk, active_until__isnull=True).filter(
        Q(active_from__isnull=True) | Q(active_from__lte=today)
    )
    if role is not None:
        memberships = memberships.filter(role__in=[role] if isinstance(role, str) else list(role))
    return memberships


def unit_ids_for_user(user: Any, role: str | Sequence[str] | None = None) -> set[int] | None:
    """Ids of the units `user` may see (see the module docstring); None means "all of them"."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    roots = active_memberships(user, role).values_list("unit_id", flat=True)
    return _closure(roots, _CHILDREN_AND_PREDECESSORS)


def units_for_user(user: Any, role: str | Sequence[str] | None = None) -> QuerySet[Unit]:
    """The units in the user's scope, as a queryset."""
    ids = unit_ids_for_user(user, role)
    return Unit.objects.all() if ids is None else Unit.objects.filter(pk__in=sorted(ids))


def restrict(
    queryset: QuerySet[M],
    user: Any,
    unit_field: str | Sequence[str] = "handling_unit",
    role: str | Sequence[str] | None = None,
) -> QuerySet[M]:
    """`queryset` narrowed to rows whose unit (any of `unit_field`s) is in the user's scope.

    `dossier_list = restrict(Dossier.objects.all(), officer, ("receiving_unit", "handling_unit"))`
    """
    ids = unit_ids_for_user(user, role)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    fields = [unit_field] if isinstance(unit_field, str) else list(unit_field)
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__in": sorted(ids)})
    return queryset.filter(condition)


# --- public directory -------------------------------------------------------------------------


def _open_counters() -> Prefetch:
    return Prefetch(
        "counters", queryset=Counter.objects.filter(is_active=True).order_by("name"), to_attr="open_counters"
    )


def unit_directory(*, q: str = "", parent: Unit | None = None) -> QuerySet[Unit]:
    """Active units for the public directory, searched without diacritics, with their open counters."""
    units = Unit.objects.filter(active_until__isnull=True).select_related("parent").prefetch_related(_open_counters())
    if parent is not None:
        units = units.filter(parent=parent)
    words = fold(q).split()
    if words:
        by_name = Q()
        for word in words:
            by_name &= Q(name_folded__contains=word)
        units = units.filter(by_name | Q(code__icontains=q.strip()))
    return units.order_by("code")


def units_with_counters() -> QuerySet[Unit]:
    """Active units that have at least one open counter, each with `open_counters`."""
    has_counter = Counter.objects.filter(unit=models.OuterRef("pk"), is_active=True)
    return (
        Unit.objects.filter(active_until__isnull=True)
        .filter(models.Exists(has_counter))
        .prefetch_related(_open_counters())
        .order_by("code")
    )


def counter_public(pk: int) -> Counter | None:
    return Counter.objects.select_related("unit").filter(pk=pk, is_active=True).first()


@dataclass(frozen=True)
class StaffEntry:
    """One person on a counter's public staff list."""

    name: str
    title: str
    field_of_work: str
    phone: str


@dataclass
class CounterStaff:
    """A counter's public staff list, by position (seed 003 §III.1.9)."""

    heads: list[StaffEntry] = field(default_factory=list)
    deputies: list[StaffEntry] = field(default_factory=list)
    officers: list[StaffEntry] = field(default_factory=list)


_RANK = {Position.HEAD: 0, Position.DEPUTY: 1, Position.OFFICER: 2}


def counter_staff(counter: Counter) -> CounterStaff:
    """Who works at the counter today; someone holding several roles there is listed once, at his
    highest position."""
    today = clock.local_today()
    memberships = (
        Membership.objects.filter(counter=counter, active_until__isnull=True, user__is_active=True)
        .filter(Q(active_from__isnull=True) | Q(active_from__lte=today))
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    best: dict[int, Membership] = {}
    for membership in memberships:
        current = best.get(membership.user_id)
        if current is None or _RANK[Position(membership.position)] < _RANK[Position(current.position)]:
            best[membership.user_id] = membership
    staff = CounterStaff()
    groups = {Position.HEAD: staff.heads, Position.DEPUTY: staff.deputies, Position.OFFICER: staff.officers}
    for membership in best.values():
        groups[Position(membership.position)].append(_entry(membership))
    return staff


def _entry(membership: Membership) -> StaffEntry:
    user = membership.user
    return StaffEntry(
        name=user.full_name or user.get_full_name(),
        title=membership.title,
        field_of_work=membership.field_of_work,
        phone=membership.work_phone,
    )

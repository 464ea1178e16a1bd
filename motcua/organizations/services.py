"""Writes to the government tree: units (create, rename, recode, merge), counters, memberships.

Every change of a unit's identity leaves a UnitHistory row with the decision that ordered it, so old
dossiers (which keep the unit they were received by) can always be explained. Each service checks
everything first and raises `InvalidInput` (nothing written) before touching a row.

Dates: `active_until` is the *last* day a unit or membership was active. Changes are recorded when
they take effect, so `effective_on` may be in the past (a decision entered late) but not in the future.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from enum import StrEnum

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.core import clock
from motcua.core.errors import InvalidInput
from motcua.core.text import fold
from motcua.organizations import codes
from motcua.organizations.models import Counter, Membership, Position, Province, Unit, UnitHistory, UnitKind
from motcua.organizations.selectors import unit_subtree


class MembershipTransfer(StrEnum):
    """What a merge does with the staff of the merged units."""

    END = "end"  # their memberships end the day before the merge; roles at the new unit are granted separately
    MOVE = "move"  # same, and each gets the same role (and title) at the unit they merged into


def unit_search_key(name: str, short_name: str = "") -> str:
    """The folded text `GET /units?q=` searches (name and short name, no diacritics)."""
    return fold(f"{name} {short_name}")


@transaction.atomic
def province_upsert(*, code: str, name: str, is_demo: bool = False) -> Province:
    """Create or update a province of the data table (matched by its level-1 code)."""
    if not codes.LEVEL1.fullmatch(code):
        raise InvalidInput(_("A level-1 code is a letter A–Y followed by two digits, like H56."), field="code")
    province, _created = Province.objects.update_or_create(code=code, defaults={"name": name, "is_demo": is_demo})
    return province


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    kind: str = UnitKind.OFFICE,
    parent: Unit | None = None,
    short_name: str = "",
    address: str = "",
    phone: str = "",
    email: str = "",
    active_from: date | None = None,
    decision: str = "",
    by: User | None = None,
) -> Unit:
    """Add a unit to the tree; its code must be valid, free, below the parent's and of a known province."""
    code, name = codes.normalize_unit_code(code), " ".join(name.split())
    parsed = unit_create_check(code=code, name=name, parent=parent)
    unit = Unit.objects.create(
        code=code,
        name=name,
        short_name=short_name.strip(),
        name_folded=unit_search_key(name, short_name),
        kind=kind,
        level=parsed.level,
        parent=parent,
        province=Province.objects.get(code=parsed.level1),
        address=address,
        phone=phone,
        email=email,
        active_from=active_from,
    )
    UnitHistory.objects.create(
        unit=unit,
        change=UnitHistory.Change.CREATED,
        new_name=name,
        new_code=code,
        decision=decision,
        effective_on=active_from or clock.local_today(),
        recorded_by=by,
    )
    return unit


def unit_create_check(*, code: str, name: str, parent: Unit | None) -> codes.UnitCode:
    """Everything `unit_create` checks, without writing (forms call it to show errors by field)."""
    parsed = _parse_code(codes.normalize_unit_code(code))
    _required(name, field="name")
    _check_code_free(parsed.raw)
    _province_of(parsed)
    if parent is not None:
        _check_active(parent, field="parent")
        _check_code_under_parent(parsed.raw, parent)
    return parsed


@transaction.atomic
def unit_rename(
    *,
    unit: Unit,
    new_name: str,
    decision: str,
    effective_on: date,
    by: User | None,
    new_short_name: str | None = None,
) -> Unit:
    """Give a unit a new name; the old one stays in its history (and on the dossiers printed with it)."""
    unit = _locked(unit)
    _check_active(unit, field="unit")
    new_name = _required(new_name, field="new_name")
    short_name = unit.short_name if new_short_name is None else new_short_name.strip()
    if new_name == unit.name and short_name == unit.short_name:
        raise InvalidInput(_("The new name is the same as the current one."), field="new_name")
    _check_change_dates(decision=decision, effective_on=effective_on)
    UnitHistory.objects.create(
        unit=unit,
        change=UnitHistory.Change.RENAMED,
        old_name=unit.name,
        new_name=new_name,
        decision=decision.strip(),
        effective_on=effective_on,
        recorded_by=by,
    )
    unit.name, unit.short_name = new_name, short_name
    unit.name_folded = unit_search_key(new_name, short_name)
    unit.save(update_fields=["name", "short_name", "name_folded", "updated_at"])
    return unit


@transaction.atomic
def unit_recode(*, unit: Unit, new_code: str, decision: str, effective_on: date, by: User | None) -> Unit:
    """Give a unit a new identifier code. Its active descendants are renumbered under it (one history
    row each) so the tree stays consistent; inactive ones keep the code their dossiers carry."""
    unit = _locked(unit)
    _check_active(unit, field="unit")
    new_code = codes.normalize_unit_code(new_code)
    parsed = _parse_code(new_code)
    if new_code == unit.code:
        raise InvalidInput(_("The new code is the same as the current one."), field="new_code")
    if codes.is_under(new_code, unit.code):
        raise InvalidInput(_("A unit cannot be given a code below its own."), field="new_code")
    if unit.parent is not None:
        _check_code_under_parent(new_code, unit.parent)
    _check_change_dates(decision=decision, effective_on=effective_on)
    renumbering = [(unit, new_code), *_renumbered_descendants(unit, new_code)]
    for _unit, code in renumbering:
        _check_code_free(code)
    province = _province_of(parsed)
    for each, code in renumbering:
        UnitHistory.objects.create(
            unit=each,
            change=UnitHistory.Change.RECODED,
            old_code=each.code,
            new_code=code,
            decision=decision.strip(),
            effective_on=effective_on,
            recorded_by=by,
        )
        each.code, each.level, each.province = code, codes.parse_unit_code(code).level, province
        each.save(update_fields=["code", "level", "province", "updated_at"])
    return unit


def _renumbered_descendants(unit: Unit, new_code: str) -> list[tuple[Unit, str]]:
    ids = unit_subtree(unit) - {unit.pk}
    descendants = Unit.objects.select_for_update().filter(pk__in=ids, active_until__isnull=True).order_by("level")
    # A descendant whose code was never under its ancestor's (legacy data) is left as it is.
    return [
        (d, codes.rebase_code(d.code, unit.code, new_code)) for d in descendants if codes.is_under(d.code, unit.code)
    ]


@transaction.atomic
def unit_merge(
    *,
    units: Sequence[Unit],
    into: Unit,
    decision: str,
    effective_on: date,
    by: User | None,
    memberships: MembershipTransfer = MembershipTransfer.END,
) -> list[Unit]:
    """Merge `units` into `into` from `effective_on`.

    Each merged unit ends the day before (active_until), points at `into` (successor) and gets a MERGED
    history row. Its dossiers keep it as their unit; `unit_current()` and the scoping of `restrict()`
    lead from it to `into`. Its counters close. Its memberships end the day before, and with
    `memberships=MOVE` the same user gets the same role at `into` from `effective_on`.
    """
    merged = list(Unit.objects.select_for_update().filter(pk__in={u.pk for u in units}).order_by("code"))
    into = _locked(into)
    _check_merge(merged, into)
    _check_change_dates(decision=decision, effective_on=effective_on)
    last_day = effective_on - timedelta(days=1)
    for unit in merged:
        UnitHistory.objects.create(
            unit=unit,
            change=UnitHistory.Change.MERGED,
            old_name=unit.name,
            old_code=unit.code,
            successor=into,
            decision=decision.strip(),
            effective_on=effective_on,
            recorded_by=by,
        )
        unit.successor, unit.active_until = into, last_day
        unit.save(update_fields=["successor", "active_until", "updated_at"])
        Counter.objects.filter(unit=unit, is_active=True).update(is_active=False)
        _transfer_memberships(unit, into, last_day=last_day, mode=MembershipTransfer(memberships))
    return merged


def _check_merge(merged: list[Unit], into: Unit) -> None:
    if not merged:
        raise InvalidInput(_("Choose at least one unit to merge."), field="units")
    if any(unit.pk == into.pk for unit in merged):
        raise InvalidInput(_("A unit cannot be merged into itself."), field="into")
    _check_active(into, field="into")
    merged_ids = {unit.pk for unit in merged}
    for unit in merged:
        _check_active(unit, field="units")
        if into.pk in unit_subtree(unit):
            raise InvalidInput(_("%(unit)s cannot be merged into a unit below it.") % {"unit": unit.code}, field="into")
        if unit.children.filter(active_until__isnull=True).exclude(pk__in=merged_ids).exists():
            raise InvalidInput(
                _("%(unit)s still has active units below it: merge or move them first.") % {"unit": unit.code},
                field="units",
            )


def _transfer_memberships(unit: Unit, into: Unit, *, last_day: date, mode: MembershipTransfer) -> None:
    active = list(Membership.objects.select_for_update().filter(unit=unit, active_until__isnull=True))
    if mode is MembershipTransfer.MOVE:
        for old in active:
            if not _has_active_role(old.user_id, into, old.role):
                # Counter positions belonged to the closed counters: the moved officer starts as an officer.
                Membership.objects.create(
                    user_id=old.user_id,
                    unit=into,
                    role=old.role,
                    title=old.title,
                    field_of_work=old.field_of_work,
                    work_phone=old.work_phone,
                    active_from=last_day + timedelta(days=1),
                )
    Membership.objects.filter(pk__in=[m.pk for m in active]).update(active_until=last_day)


@transaction.atomic
def counter_create(*, unit: Unit, name: str, address: str = "", phone: str = "") -> Counter:
    """Open a one-stop desk at an active unit; its name must be unique among the unit's open counters."""
    _check_active(unit, field="unit")
    name = _required(name, field="name")
    if Counter.objects.filter(unit=unit, name=name, is_active=True).exists():
        raise InvalidInput(_("This unit already has an open counter with that name."), field="name")
    return Counter.objects.create(unit=unit, name=name, address=address, phone=phone)


@transaction.atomic
def membership_grant(
    *,
    user: User,
    unit: Unit,
    role: str,
    counter: Counter | None = None,
    position: str = Position.OFFICER,
    title: str = "",
    field_of_work: str = "",
    work_phone: str = "",
    active_from: date | None = None,
) -> Membership:
    """Give a staff member a role in a unit (and optionally a place at one of its counters)."""
    _check_grant(user=user, unit=unit, role=role, counter=counter, position=position)
    return Membership.objects.create(
        user=user,
        unit=unit,
        role=role,
        counter=counter,
        position=position,
        title=title.strip(),
        field_of_work=field_of_work.strip(),
        work_phone=work_phone.strip(),
        active_from=active_from,
    )


def _check_grant(*, user: User, unit: Unit, role: str, counter: Counter | None, position: str) -> None:
    if not user.is_staff_member:
        raise InvalidInput(_("Only staff accounts can hold a role in a unit."), field="user")
    if role not in Role.values:
        raise InvalidInput(_("Unknown role “%(role)s”.") % {"role": role}, field="role")
    if position not in Position.values:
        raise InvalidInput(_("Unknown position “%(position)s”.") % {"position": position}, field="position")
    _check_active(unit, field="unit")
    if counter is not None:
        if counter.unit_id != unit.pk:
            raise InvalidInput(_("The counter belongs to another unit."), field="counter")
        if not counter.is_active:
            raise InvalidInput(_("The counter is closed."), field="counter")
        if position == Position.HEAD and _counter_has_other_head(counter, user):
            raise InvalidInput(_("The counter already has a head: end that membership first."), field="position")
    if _has_active_role(user.pk, unit, role):
        raise InvalidInput(_("This person already holds this role in this unit."), field="role")


@transaction.atomic
def membership_end(*, membership: Membership, last_day: date | None = None) -> Membership:
    """End a membership now: access stops at once; `last_day` (default today) is recorded as its last day."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    today = clock.local_today()
    last_day = last_day or today
    if membership.active_until is not None:
        raise InvalidInput(_("This membership has already ended."), field="membership")
    if last_day > today:
        raise InvalidInput(_("The last day cannot be in the future."), field="last_day")
    if membership.active_from is not None and last_day < membership.active_from:
        raise InvalidInput(_("The last day is before the membership began."), field="last_day")
    membership.active_until = last_day
    membership.save(update_fields=["active_until", "updated_at"])
    return membership


# --- checks shared by the services above ------------------------------------------------------


def _parse_code(code: str) -> codes.UnitCode:
    try:
        return codes.parse_unit_code(code)
    except codes.UnitCodeError as error:
        raise InvalidInput(error.message, field="code") from None


def _check_code_free(code: str) -> None:
    if Unit.objects.filter(code=code).exists():
        raise InvalidInput(_("A unit with the code %(code)s already exists.") % {"code": code}, field="code")


def _check_code_under_parent(code: str, parent: Unit) -> None:
    try:
        codes.check_code_under(code, parent.code)
    except codes.UnitCodeError as error:
        raise InvalidInput(error.message, field="code") from None


def _province_of(parsed: codes.UnitCode) -> Province:
    province = Province.objects.filter(code=parsed.level1).first()
    if province is None:
        raise InvalidInput(
            _("Unknown level-1 code %(code)s: add the province to the province table first.") % {"code": parsed.level1},
            field="code",
        )
    return province


def _check_active(unit: Unit, *, field: str) -> None:
    if not unit.is_active:
        raise InvalidInput(_("%(unit)s is no longer active.") % {"unit": unit.code}, field=field)


def _check_change_dates(*, decision: str, effective_on: date) -> None:
    if not decision.strip():
        raise InvalidInput(_("Give the decision (number and date) that ordered this change."), field="decision")
    if effective_on > clock.local_today():
        raise InvalidInput(_("Record the change on or after the day it takes effect."), field="effective_on")


def _required(value: str, *, field: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise InvalidInput(_("This field is required."), field=field)
    return value


def _locked(unit: Unit) -> Unit:
    return Unit.objects.select_for_update().get(pk=unit.pk)


def _has_active_role(user_id: int, unit: Unit, role: str) -> bool:
    return Membership.objects.filter(user_id=user_id, unit=unit, role=role, active_until__isnull=True).exists()


def _counter_has_other_head(counter: Counter, user: User) -> bool:
    heads = Membership.objects.filter(counter=counter, position=Position.HEAD, active_until__isnull=True)
    return heads.exclude(user=user).exists()


# --- counters: edit and close (administration pages) ------------------------------------------


@transaction.atomic
def counter_update(*, counter: Counter, name: str, address: str = "", phone: str = "") -> Counter:
    """Change an open counter's name, address or phone; the name stays unique among the unit's open counters."""
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if not counter.is_active:
        raise InvalidInput(_("The counter is closed."), field="counter")
    name = _required(name, field="name")
    if Counter.objects.filter(unit_id=counter.unit_id, name=name, is_active=True).exclude(pk=counter.pk).exists():
        raise InvalidInput(_("This unit already has an open counter with that name."), field="name")
    counter.name, counter.address, counter.phone = name, address.strip(), phone.strip()
    counter.save(update_fields=["name", "address", "phone", "updated_at"])
    return counter


@transaction.atomic
def counter_close(*, counter: Counter) -> Counter:
    """Close a counter: it leaves the public directory; its staff keep their roles in the unit.

    Memberships placed at the counter keep pointing at it (history); the positions there end with it.
    """
    counter = Counter.objects.select_for_update().get(pk=counter.pk)
    if not counter.is_active:
        raise InvalidInput(_("The counter is closed."), field="counter")
    counter.is_active = False
    counter.save(update_fields=["is_active", "updated_at"])
    return counter

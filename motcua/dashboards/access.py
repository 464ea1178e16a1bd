"""Who sees which dashboard: controllers and leaders, over the units they belong to and below (SPEC §3.11)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from motcua.accounts.roles import Role
from motcua.metrics.periods import Period, PeriodError, PeriodKind, parse_period
from motcua.organizations.models import Unit
from motcua.organizations.selectors import active_memberships, unit_by_code, unit_ids_for_user

DASHBOARD_ROLES: Final = (Role.CONTROLLER, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.ADMINISTRATOR)
MAX_CODE: Final = 40


def dashboard_scope(user: Any) -> set[int] | None:
    """Unit ids the user's dashboard roles reach (None: every unit); 403 if none."""
    ids = unit_ids_for_user(user, DASHBOARD_ROLES)
    if ids is not None and not ids:
        raise PermissionDenied
    return ids


def scope_units(scope: set[int] | None) -> Any:
    units = Unit.objects.all() if scope is None else Unit.objects.filter(pk__in=sorted(scope))
    return units.order_by("level", "code").only("pk", "code", "name", "level")


def default_unit(user: Any, scope: set[int] | None) -> Unit:
    membership = (
        active_memberships(user, DASHBOARD_ROLES).select_related("unit").order_by("unit__level", "unit__code").first()
    )
    if membership is not None:
        return membership.unit
    unit = scope_units(scope).first()
    if unit is None:
        raise Http404(_("No unit is open to you."))
    return unit


def unit_in_scope(code: str, scope: set[int] | None) -> Unit:
    """The unit the code names if the user's scope reaches it; 404 otherwise (unknown or another's)."""
    unit = unit_by_code(code[:MAX_CODE]) if code.strip() else None
    if unit is None or (scope is not None and unit.pk not in scope):
        raise Http404(_("No unit with this code is open to you."))
    return unit


def chosen_unit(request: HttpRequest, scope: set[int] | None) -> Unit:
    code = request.GET.get("unit", "")
    return unit_in_scope(code, scope) if code else default_unit(request.user, scope)


def chosen_period(request: HttpRequest, *, default: str, name: str = "period") -> Period:
    """The period asked for (PeriodError, a 400, if malformed or not begun)."""
    return parse_period((request.GET.get(name) or default)[:20])


def month_only(period: Period) -> Period:
    if period.kind is not PeriodKind.MONTH:
        raise PeriodError(_("Choose a month here: YYYY-MM."))
    return period


@dataclass(frozen=True)
class Choice:
    """What an internal dashboard page shows: the units open to the user, the unit and the period chosen."""

    scope: set[int] | None
    unit: Unit
    period: Period


def dashboard_choice(request: HttpRequest, *, default: str, month: bool = False) -> Choice:
    """The preamble of every internal page: 403 without a dashboard role, 404 for a unit outside
    the user's scope, 400 (PeriodError) for a malformed period or, with `month`, one that is not a month."""
    scope = dashboard_scope(request.user)
    unit = chosen_unit(request, scope)
    period = chosen_period(request, default=default)
    return Choice(scope, unit, month_only(period) if month else period)

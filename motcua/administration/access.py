"""Who may use the administration pages (SPEC §3.11): staff past the second factor holding the
administrator role, over the units of their memberships and everything below them.

Province-wide tables (the procedure catalog, the calendar, templates per unit kind) belong to an
administrator of a top-level unit (or a superuser): a department's administrator cannot change them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from motcua.accounts.decorators import staff_verified_required
from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.organizations.models import Unit
from motcua.organizations.selectors import active_memberships, unit_ids_for_user, units_for_user

View = Callable[..., HttpResponse]


def is_administrator(user: Any) -> bool:
    return bool(user.is_superuser or active_memberships(user, Role.ADMINISTRATOR).exists())


def is_province_administrator(user: Any) -> bool:
    if user.is_superuser:
        return True
    return active_memberships(user, Role.ADMINISTRATOR).filter(unit__parent__isnull=True).exists()


def admin_required(view: View) -> View:
    """Staff past the second factor with the administrator role; everyone else gets 403."""

    @staff_verified_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def province_admin_required(view: View) -> View:
    """Like `admin_required`, for the province-wide tables."""

    @admin_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_province_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def admin_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def admin_units(user: User) -> QuerySet[Unit]:
    """The units this administrator manages (all of them for a superuser)."""
    return units_for_user(user, Role.ADMINISTRATOR)


def admin_unit_ids(user: User) -> set[int] | None:
    return unit_ids_for_user(user, Role.ADMINISTRATOR)


def unit_or_404(user: User, pk: int) -> Unit:
    """A unit this administrator manages; another unit is a 404 like a missing one."""
    unit = admin_units(user).filter(pk=pk).select_related("parent", "successor").first()
    if unit is None:
        raise Http404
    return unit

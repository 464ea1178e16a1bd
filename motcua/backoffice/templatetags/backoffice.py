"""Template helpers of the back-office pages: Vietnamese times, labels, accessible form fields."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from motcua.accounts.roles import Role
from motcua.backoffice.labels import PAYMENT_METHODS, URGENCY_LABELS
from motcua.core.clock import VIETNAM
from motcua.dossiers.lifecycle import Status, status_label
from motcua.dossiers.services.due import Urgency
from motcua.organizations.selectors import active_memberships

register = template.Library()


@register.filter
def when(value: datetime | None) -> str:
    """'09:30 10/09/2025' in Vietnam time, as the forms and notices write times; '—' when unset."""
    if not value:
        return "—"
    return value.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


@register.filter
def vnd(amount: Decimal | int | None) -> str:
    """'50.000': whole đồng with a dot between thousands, as Vietnamese amounts are written."""
    if amount is None:
        return "—"
    return f"{int(amount):,}".replace(",", ".")


@register.filter
def payment_method(value: str) -> str:
    return str(PAYMENT_METHODS.get(value, value))


@register.filter
def urgency_label(value: str) -> str:
    try:
        return str(URGENCY_LABELS[Urgency(value)])
    except ValueError:
        return ""


@register.filter
def status_text(value: str) -> str:
    return status_label(value) if value in Status.__members__.values() else value


@register.simple_tag
def field_widget(field: BoundField) -> SafeString:
    """The field's widget, described by its hint and error and marked invalid when it has errors."""
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, Any] = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


# Roles that open each staff area; a link shows only to those who may use it (the pages check again).
_AREA_ROLES: dict[str, tuple[str, ...]] = {
    "queue": (Role.COUNTER_OFFICER, Role.UNIT_LEADER, Role.ADMINISTRATOR),
    "feedback": (Role.COUNTER_OFFICER, Role.SPECIALIST, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.CONTROLLER),
    "dashboards": (Role.CONTROLLER, Role.UNIT_LEADER, Role.AGENCY_LEADER, Role.ADMINISTRATOR),
    "administration": (Role.ADMINISTRATOR,),
}


@register.simple_tag
def staff_areas(user: Any) -> set[str]:
    """The staff areas this user has a role for: `{% staff_areas request.user as areas %}`."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_staff_member", False):
        return set()
    if user.is_superuser:
        return set(_AREA_ROLES)
    roles = set(active_memberships(user).values_list("role", flat=True))
    return {area for area, allowed in _AREA_ROLES.items() if roles & set(allowed)}

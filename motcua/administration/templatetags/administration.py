"""`{% if request.user|is_administrator %}` (after `{% load administration %}`): show the link only to those
it opens for."""

from __future__ import annotations

from typing import Any

from django import template

from motcua.administration.access import is_administrator as _is_administrator

register = template.Library()


@register.filter
def is_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff_member and _is_administrator(user))

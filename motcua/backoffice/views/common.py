"""Small helpers shared by the back-office views."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpRequest

from motcua.accounts.models import User
from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import dossier_get_for


def staff_user(request: HttpRequest) -> User:
    """The officer behind a request that passed `staff_verified_required`."""
    return cast(User, request.user)


def page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def dossier_or_404(user: User, code: str) -> Dossier:
    """The dossier if the user may see it; another unit's dossier is a 404 like a missing one."""
    try:
        return dossier_get_for(user=user, code=code)
    except NotFound:
        raise Http404(code) from None

"""`@staff_verified_required`: the gate in front of every staff page (SPEC §3.11)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

View = Callable[..., HttpResponse]


def with_next(url: str, next_url: str) -> str:
    """`url` with `?next=` so the user comes back where he was going."""
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def staff_verified_required(view: View) -> View:
    """Let through staff who passed the second factor; send others to log in or to the code page.

    Not logged in → the login page. Logged in but not staff (a citizen) → 403. Staff who has not
    entered a code in this session → the verify page (which sends him on to enrol if needed).
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user: Any = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user.is_staff_member:
            raise PermissionDenied
        if not user.is_verified():
            return redirect(with_next(reverse("accounts:otp-verify"), request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper

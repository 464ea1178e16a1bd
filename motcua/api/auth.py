"""API authentication: a bearer token, or the browser session (staff only with a verified second factor)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from motcua.accounts.tokens import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(raw=token)
        if user is not None:
            request.user = user
        return user


class VerifiedSession(SessionAuth):
    """The browser session; staff sessions count only once the TOTP step is done (SPEC §3.11)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if getattr(user, "is_staff_member", False) and not user.is_verified():  # type: ignore[union-attr]
            return None
        return user


# Use as `auth=AUTHENTICATED` on endpoints that need a caller.
AUTHENTICATED = [BearerToken(), VerifiedSession()]

"""API tokens: issue, authenticate, revoke."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import ApiToken, User

TOKEN_PREFIX = "mc_"  # noqa: S105 - a public marker, not a secret


@transaction.atomic
def api_token_create(*, user: User, name: str = "") -> str:
    """Create a token for `user` and return its clear value (never stored)."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, prefix=raw[:10], digest=ApiToken.digest_of(raw))
    return raw


def api_token_user(*, raw: str) -> User | None:
    """The active user behind a clear token, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    # Updating on every call would be a write per request; once a minute is enough for audits.
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user

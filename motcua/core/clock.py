"""The one place that reads the clock, so tests can freeze it and deadlines stay timezone-aware."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    return timezone.now()


def local_now() -> datetime:
    """The current instant in Vietnam time, the zone every deadline is counted in."""
    return timezone.now().astimezone(VIETNAM)


def local_today() -> date:
    return local_now().date()

"""GET /api/v1/metrics/766 (SPEC §8, §6.1): a unit's 766 index for a month, quarter or year.

Staff whose scope contains the unit (the controller of the province, the unit's own staff) get
the live figures from the maintained aggregates; anyone else gets the figures as published
(`PublishedIndex`), or nothing: 401 without credentials, 404 with credentials that do not
reach the unit. Unknown unit: 404. Malformed or not yet begun period: 400.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from motcua.accounts.models import User
from motcua.api.auth import BearerToken, VerifiedSession
from motcua.core.errors import DomainError, NotFound
from motcua.metrics.periods import parse_period
from motcua.metrics.selectors import published_index
from motcua.metrics.services import index_766_maintained, index_answer
from motcua.organizations.models import Unit
from motcua.organizations.selectors import unit_by_code, unit_ids_for_user


def anonymous(request: HttpRequest) -> str | None:
    """Let a caller without credentials through (published figures only); a bad token stays refused."""
    return None if "HTTP_AUTHORIZATION" in request.META else "anonymous"


router = Router(auth=[BearerToken(), VerifiedSession(), anonymous])


class Unauthenticated(DomainError):
    status = 401
    code = "unauthenticated"


class IndexQuery(Schema):
    unit: str = Query(..., description="Unit identifier code, e.g. 000.00.21.H99 (its subtree is included)")
    period: str = Query(..., description="YYYY, YYYY-Qn or YYYY-MM")


class MetricOut(Schema):
    code: str
    name: str
    numerator: int
    denominator: int
    ratio: float | None
    score: float | None
    max: int | float


class GroupOut(Schema):
    code: str
    name: str
    score: float | None
    max: int | float
    metrics: list[MetricOut]


class IndexOut(Schema):
    unit: str
    period: str
    score: float | None
    max: int | float
    band: str | None
    groups: list[GroupOut]


def caller(request: HttpRequest) -> User | None:
    return request.auth if isinstance(request.auth, User) else None  # type: ignore[attr-defined]


def unit_or_404(code: str) -> Unit:
    unit = unit_by_code(code)
    if unit is None:
        raise NotFound(_("Unknown unit “%(code)s”.") % {"code": code[:40]}, field="unit")
    return unit


def in_scope(user: User | None, unit: Unit) -> bool:
    """Staff whose memberships reach the unit (the province's controller reaches every unit of it)."""
    if user is None:
        return False
    ids = unit_ids_for_user(user)
    return ids is None or unit.pk in ids


@router.get("/766", response=IndexOut, summary="The 766 index of a unit for a period")
def index(request: HttpRequest, query: Query[IndexQuery]) -> dict[str, Any]:
    unit = unit_or_404(query.unit)
    period = parse_period(query.period)
    user = caller(request)
    if in_scope(user, unit):
        return index_answer(unit=unit, period=period, result=index_766_maintained(unit=unit, period=period))
    published = published_index(unit=unit, period=period.label)
    if published is not None:
        return published.figures  # type: ignore[no-any-return]
    if user is None:
        raise Unauthenticated(_("This index has not been published: sign in to see it."))
    raise NotFound(_("No index of this unit is open to you for this period."), field="unit")

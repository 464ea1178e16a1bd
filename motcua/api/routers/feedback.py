"""/api/v1/ratings/{code} and /api/v1/feedback (SPEC §3.8): rate a returned dossier, send feedback,
read the published answers (no personal data). HTTP only: the selectors scope, the services decide.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from motcua.accounts.models import User
from motcua.api.auth import AUTHENTICATED
from motcua.core.clock import VIETNAM
from motcua.feedback import selectors
from motcua.feedback.models import FeedbackChannel, Rating, RatingChannel
from motcua.feedback.services.feedback import FeedbackInput, feedback_submit
from motcua.feedback.services.ratings import rater_key, rating_create

ratings_router = Router(tags=["ratings"])
router = Router(tags=["feedback"])


def _local(instant: datetime | None) -> datetime | None:
    return instant.astimezone(VIETNAM) if instant else None


class RatingIn(Schema):
    answers: dict[str, str]  # criterion → very_satisfied | satisfied | not_satisfied
    comment: str = ""


class RatingOut(Schema):
    dossier: str
    channel: str
    answers: dict[str, str]
    comment: str
    negative: bool
    created_at: datetime


class RatingListOut(Schema):
    items: list[RatingOut]
    count: int


def _rating_out(code: str, rating: Rating) -> RatingOut:
    return RatingOut(
        dossier=code,
        channel=rating.channel,
        answers=rating.answers,
        comment=rating.comment,
        negative=rating.negative,
        created_at=rating.created_at.astimezone(VIETNAM),
    )


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


@ratings_router.post("/{code}", auth=AUTHENTICATED, response={201: RatingOut}, summary="Rate a returned dossier")
def rate(request: HttpRequest, code: str, body: RatingIn) -> Status:
    """The dossier's owner rates it once its result is returned (criteria: Decree 61/2018 Art. 31)."""
    dossier = selectors.rating_dossier_for_owner(user=request.user, code=code)
    rating = rating_create(
        dossier=dossier, answers=body.answers, comment=body.comment, channel=RatingChannel.PORTAL, rater=_user(request)
    )
    return Status(201, _rating_out(dossier.code or "", rating))


@ratings_router.get("/{code}", auth=AUTHENTICATED, response=RatingListOut, summary="Ratings of one's dossier")
def ratings(request: HttpRequest, code: str) -> RatingListOut:
    """The owner reads the ratings of his dossier (his own, and the one given at the counter tablet)."""
    dossier = selectors.rating_dossier_for_owner(user=request.user, code=code)
    keys = {rater_key(dossier=dossier, rater=_user(request)), "applicant"}
    items = [
        _rating_out(dossier.code or "", r) for r in selectors.dossier_ratings(dossier=dossier) if r.rater_key in keys
    ]
    return RatingListOut(items=items, count=len(items))


class FeedbackIn(Schema):
    category: str  # regulation | officer_unit | dossier
    target_unit: str  # unit code
    title: str
    content: str
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    dossier_code: str = ""
    follows_code: str = ""
    channel: str = "portal"  # staff and integrations may record other channels


class FeedbackCreatedOut(Schema):
    code: str
    status: str
    received_at: datetime
    answer_due_at: datetime


class PublishedOut(Schema):
    code: str
    category: str
    unit: str
    unit_name: str
    title: str
    content: str
    answer: str
    received_at: datetime
    answered_at: datetime | None
    published_at: datetime | None
    likes: int
    dislikes: int


class PublishedListOut(Schema):
    items: list[PublishedOut]
    count: int


@router.post("", response={201: FeedbackCreatedOut}, summary="Send a feedback (PAKN)")
def send_feedback(request: HttpRequest, body: FeedbackIn) -> Status:
    """Anyone may send a feedback; only a verified staff session may record a channel other than the portal."""
    user = _user(request)
    # Staff (past the second factor) record letters, calls and counter visits; visitors use the portal.
    staff = user is not None and user.is_staff_member and user.is_verified()  # type: ignore[attr-defined]
    channel = body.channel if staff else FeedbackChannel.PORTAL
    data = FeedbackInput(**body.dict(exclude={"channel"}))
    item = feedback_submit(data=data, channel=channel, submitter=user, recorded_by=user if staff else None)
    out = FeedbackCreatedOut(
        code=item.code,
        status=item.status,
        received_at=_local(item.received_at),  # type: ignore[arg-type]
        answer_due_at=_local(item.answer_due_at),  # type: ignore[arg-type]
    )
    return Status(201, out)


@router.get("/published", response=PublishedListOut, summary="Published answers (no personal data)")
def published(request: HttpRequest, q: str = "", limit: int = 50, offset: int = 0) -> PublishedListOut:
    items = selectors.feedback_published(q=q[:100])
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    rows = [
        PublishedOut(
            code=f.code,
            category=f.category,
            unit=f.target_unit.code,
            unit_name=f.target_unit.name,
            title=f.title,
            content=f.content,
            answer=f.answer,
            received_at=_local(f.received_at),  # type: ignore[arg-type]
            answered_at=_local(f.answered_at),
            published_at=_local(f.published_at),
            likes=f.likes,  # type: ignore[attr-defined]
            dislikes=f.dislikes,  # type: ignore[attr-defined]
        )
        for f in items[offset : offset + limit]
    ]
    return PublishedListOut(items=rows, count=items.count())

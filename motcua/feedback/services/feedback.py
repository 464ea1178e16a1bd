"""Feedback (PAKN): receive, triage, forward, answer, publish, and the readers' satisfaction (SPEC §3.8, §4.6).

Statuses and the moves between them, as a table (`MOVES`):

    received ──reject (out of scope, ≤ 2 wd)──────────────▶ rejected
    received ──request info (≤ 5 wd)──▶ info_requested ──info received──▶ received
    received / info_requested ──answer (≤ 15 wd)──▶ answered ──publish (≤ 2 wd)──▶ published
    received / info_requested ──forward to another unit──▶ (same status, same clock)

Due times come from the working calendar (SPEC §4.2) and are counted from the receipt; a forward
does not restart them (the province received the feedback once). Every move appends a
`FeedbackEvent` in the same transaction.

Feedback that arrives by phone, hotline, letter or at the counter is recorded by an official
(`feedback_record`) through the same `feedback_submit`, with the time it actually arrived: its
due times count from then, so entering it a day late does not give the unit a day more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final
from uuid import uuid4

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers.models import Dossier
from motcua.feedback.hooks import dossier_inputs_changed
from motcua.feedback.models import (
    OFFLINE_CHANNELS,
    Category,
    Feedback,
    FeedbackChannel,
    FeedbackEvent,
    FeedbackStatus,
    FeedbackVote,
)
from motcua.feedback.services.attachments import Upload, attachments_store, attachments_validate
from motcua.organizations.models import Unit
from motcua.organizations.selectors import unit_ids_for_user
from motcua.workcalendar.services import compute_due

# Working days (SPEC §4.6; practice.md §3.3 5.2).
ANSWER_DAYS: Final = 15
REJECT_DAYS: Final = 2
INFO_DAYS: Final = 5
PUBLISH_DAYS: Final = 2
TEXT_MAX: Final = 5000
# How far back an official may date a feedback he records: letters arrive late, notes get typed up
# after a busy week, but an older date would mostly serve to game the deadlines.
RECORD_MAX_AGE: Final = timedelta(days=30)

S = FeedbackStatus
MOVES: Final[dict[str, tuple[frozenset[str], str | None]]] = {
    # action: (from statuses, to status; None = unchanged)
    "reject": (frozenset({S.RECEIVED}), S.REJECTED),
    "request_info": (frozenset({S.RECEIVED}), S.INFO_REQUESTED),
    "info_received": (frozenset({S.INFO_REQUESTED}), S.RECEIVED),
    "forward": (frozenset({S.RECEIVED, S.INFO_REQUESTED}), None),
    "answer": (frozenset({S.RECEIVED, S.INFO_REQUESTED}), S.ANSWERED),
    "publish": (frozenset({S.ANSWERED}), S.PUBLISHED),
}


@dataclass(frozen=True)
class FeedbackInput:
    """What a feedback says and who to contact (validated by `feedback_submit`)."""

    category: str
    target_unit: str  # unit code
    title: str
    content: str
    contact_name: str
    contact_phone: str = ""
    contact_email: str = ""
    contact_address: str = ""
    dossier_code: str = ""
    follows_code: str = ""  # a previous feedback this one complains about again


def due_after(start: datetime, days: int) -> datetime:
    return compute_due(start=start, amount=days, unit="working_days").due_at


def _required(value: str, field: str, label: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(_("Please fill in: %(field)s.") % {"field": label}, code="required", field=field)
    if len(value) > TEXT_MAX:
        raise InvalidInput(_("%(field)s is too long.") % {"field": label}, code="too_long", field=field)
    return value


def _clean(data: FeedbackInput) -> dict[str, Any]:
    if data.category not in Category.values:
        raise InvalidInput(_("Unknown feedback category."), code="unknown_category", field="category")
    unit = Unit.objects.filter(code=(data.target_unit or "").strip().upper()).first()
    if unit is None:
        raise InvalidInput(_("No unit with this code."), code="unknown_unit", field="target_unit")
    values: dict[str, Any] = {
        "category": data.category,
        "target_unit": unit,
        "title": _required(data.title, "title", _("title"))[:200],
        "content": _required(data.content, "content", _("content")),
        "contact_name": _required(data.contact_name, "contact_name", _("full name"))[:200],
        "contact_phone": (data.contact_phone or "").strip()[:30],
        "contact_email": (data.contact_email or "").strip()[:254],
        "contact_address": (data.contact_address or "").strip()[:500],
    }
    if not (values["contact_phone"] or values["contact_email"] or values["contact_address"]):
        raise InvalidInput(
            _("Give a phone number, an e-mail or an address so that we can answer."),
            code="no_contact",
            field="contact_phone",
        )
    values["dossier"] = _dossier(data)
    values["follows"] = _follows(data.follows_code)
    return values


def _dossier(data: FeedbackInput) -> Dossier | None:
    """The dossier the feedback concerns: required for a feedback about a dossier, checked whenever given."""
    code = (data.dossier_code or "").strip().upper()
    if not code and data.category != Category.DOSSIER:
        return None
    if not code:
        raise InvalidInput(_("Give the code of the dossier."), code="required", field="dossier_code")
    dossier = Dossier.objects.filter(code=code).exclude(status="draft").first()
    if dossier is None:
        raise InvalidInput(_("No dossier with this code."), code="unknown_dossier", field="dossier_code")
    return dossier


def _follows(code: str) -> Feedback | None:
    code = (code or "").strip().upper()
    if not code:
        return None
    previous = Feedback.objects.filter(code=code).first()
    if previous is None:
        raise InvalidInput(_("No feedback with this code."), code="unknown_feedback", field="follows_code")
    return previous


def _code(feedback: Feedback) -> str:
    return f"PAKN-{feedback.received_at.astimezone(VIETNAM):%y%m%d}-{feedback.pk:05d}"


@transaction.atomic
def feedback_submit(
    *,
    data: FeedbackInput,
    channel: str = FeedbackChannel.PORTAL,
    submitter: User | None = None,
    recorded_by: User | None = None,
    received_at: datetime | None = None,
    attachments: Sequence[Upload] = (),
) -> Feedback:
    """Receive a feedback: validated, coded, its due times set from the working calendar, its files stored."""
    if channel not in FeedbackChannel.values:
        raise InvalidInput(_("Unknown feedback channel."), code="unknown_channel", field="channel")
    values = _clean(data)
    attachments_validate(attachments)
    at = received_at or clock.now()
    feedback = Feedback.objects.create(
        code=f"tmp-{uuid4().hex[:24]}",  # replaced below, once the row has its id
        channel=channel,
        submitter=submitter if submitter is not None and submitter.is_authenticated else None,
        recorded_by=recorded_by,
        status=FeedbackStatus.RECEIVED,
        received_at=at,
        answer_due_at=due_after(at, ANSWER_DAYS),
        reject_due_at=due_after(at, REJECT_DAYS),
        info_due_at=due_after(at, INFO_DAYS),
        **values,
    )
    feedback.code = _code(feedback)
    feedback.save(update_fields=["code"])
    stored = attachments_store(feedback=feedback, uploads=attachments, uploaded_by=recorded_by or feedback.submitter)
    event: dict[str, Any] = {"channel": channel}
    if recorded_by is not None:
        event["recorded_at"] = clock.now().isoformat()  # when it was typed in, as against received
    if stored:
        event["attachments"] = [attachment.original_name for attachment in stored]
    FeedbackEvent.objects.create(feedback=feedback, action="receive", actor=recorded_by, at=at, data=event)
    dossier_inputs_changed([feedback.dossier_id])
    return feedback


def _check_record(*, data: FeedbackInput, channel: str, officer: User, received_at: datetime) -> None:
    if channel not in OFFLINE_CHANNELS:
        raise InvalidInput(_("Choose how the feedback arrived."), code="unknown_channel", field="channel")
    now = clock.now()
    if received_at > now:
        raise InvalidInput(_("The time received cannot be in the future."), code="in_future", field="received_at")
    if received_at < now - RECORD_MAX_AGE:
        raise InvalidInput(
            _("The time received cannot be more than %(days)d days ago.") % {"days": RECORD_MAX_AGE.days},
            code="too_old",
            field="received_at",
        )
    scope = unit_ids_for_user(officer)
    unit = Unit.objects.filter(code=(data.target_unit or "").strip().upper()).first()
    if scope is not None and (unit is None or unit.pk not in scope):
        raise InvalidInput(
            _("You can record feedback only for your own units; forward it afterwards if needed."),
            code="unit_out_of_scope",
            field="target_unit",
        )


@transaction.atomic
def feedback_record(
    *,
    data: FeedbackInput,
    channel: str,
    officer: User,
    received_at: datetime,
    attachments: Sequence[Upload] = (),
) -> Feedback:
    """An official records a feedback that arrived by phone, hotline, letter or at the counter.

    Its due times count from `received_at` (the past 30 days, never the future); the receipt
    event names the official. It is then handled, and counted in 5.2 and 5.3, like any other.
    """
    _check_record(data=data, channel=channel, officer=officer, received_at=received_at)
    return feedback_submit(
        data=data, channel=channel, recorded_by=officer, received_at=received_at, attachments=attachments
    )


def _move(
    feedback: Feedback, action: str, actor: User, at: datetime | None, data: dict[str, Any]
) -> tuple[Feedback, datetime]:
    """Lock, check the move against `MOVES`, set the status, append the event."""
    feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
    allowed, to = MOVES[action]
    if feedback.status not in allowed:
        raise Conflict(
            _("This cannot be done to a feedback with status “%(status)s”.")
            % {"status": FeedbackStatus(feedback.status).label},
            code="transition_not_allowed",
        )
    at = at or clock.now()
    if at < feedback.received_at:
        raise InvalidInput(_("A feedback cannot be handled before it is received."))
    if to is not None:
        feedback.status = to
    FeedbackEvent.objects.create(feedback=feedback, action=action, actor=actor, at=at, data=data)
    return feedback, at


@transaction.atomic
def feedback_reject(*, feedback: Feedback, officer: User, reason: str, at: datetime | None = None) -> Feedback:
    """Refuse a feedback as outside the scope of PAKN handling (e.g. a complaint under the Law on Complaints)."""
    reason = _required(reason, "reason", _("reason"))
    feedback, moved = _move(feedback, "reject", officer, at, {"reason": reason})
    feedback.rejected_at, feedback.reason = moved, reason
    feedback.save(update_fields=["status", "rejected_at", "reason"])
    dossier_inputs_changed([feedback.dossier_id])
    return feedback


@transaction.atomic
def feedback_request_info(*, feedback: Feedback, officer: User, reason: str, at: datetime | None = None) -> Feedback:
    reason = _required(reason, "reason", _("what is missing"))
    feedback, moved = _move(feedback, "request_info", officer, at, {"reason": reason})
    feedback.info_requested_at, feedback.reason = moved, reason
    feedback.save(update_fields=["status", "info_requested_at", "reason"])
    return feedback


@transaction.atomic
def feedback_info_received(
    *, feedback: Feedback, officer: User, note: str = "", at: datetime | None = None
) -> Feedback:
    feedback, _at = _move(feedback, "info_received", officer, at, {"note": (note or "").strip()[:TEXT_MAX]})
    feedback.save(update_fields=["status"])
    return feedback


@transaction.atomic
def feedback_forward(*, feedback: Feedback, officer: User, unit: Unit, at: datetime | None = None) -> Feedback:
    """Send the feedback to the unit competent to answer it; its due times stay (counted from receipt)."""
    if unit.pk == feedback.target_unit_id:
        raise InvalidInput(_("The feedback is already with this unit."), code="same_unit", field="unit")
    old = feedback.target_unit.code
    feedback, _at = _move(feedback, "forward", officer, at, {"from": old, "to": unit.code})
    feedback.target_unit = unit
    feedback.save(update_fields=["target_unit"])
    return feedback


@transaction.atomic
def feedback_answer(*, feedback: Feedback, officer: User, answer: str, at: datetime | None = None) -> Feedback:
    answer = _required(answer, "answer", _("answer"))
    feedback, moved = _move(feedback, "answer", officer, at, {})
    feedback.answered_at = moved
    feedback.answer, feedback.answered_by = answer, officer
    feedback.publish_due_at = due_after(feedback.answered_at, PUBLISH_DAYS)
    feedback.save(update_fields=["status", "answered_at", "answer", "answered_by", "publish_due_at"])
    return feedback


@transaction.atomic
def feedback_publish(*, feedback: Feedback, officer: User, at: datetime | None = None) -> Feedback:
    feedback, moved = _move(feedback, "publish", officer, at, {})
    feedback.published_at = moved
    feedback.save(update_fields=["status", "published_at"])
    return feedback


@transaction.atomic
def feedback_vote(*, feedback: Feedback, voter: User, satisfied: bool) -> FeedbackVote:
    """A reader says whether the published answer satisfies him: once per reader (766 metric 5.3)."""
    if feedback.status != FeedbackStatus.PUBLISHED:
        raise NotFound(_("No published answer with this code."))
    if FeedbackVote.objects.filter(feedback=feedback, voter=voter).exists():
        raise Conflict(_("You have already given your opinion on this answer."), code="already_voted")
    try:
        with transaction.atomic():
            return FeedbackVote.objects.create(feedback=feedback, voter=voter, satisfied=satisfied, at=clock.now())
    except IntegrityError:
        raise Conflict(_("You have already given your opinion on this answer."), code="already_voted") from None

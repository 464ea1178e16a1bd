"""One entry point for every dossier action by name (the API's `/actions/{action}`, bulk actions).

Each action takes what it needs from `ActionParams`; the service behind it checks the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Final

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import pauses, processing, review


@dataclass(frozen=True)
class ActionParams:
    comment: str = ""
    reason: str = ""
    note: str = ""
    missing: list[str] = field(default_factory=list)
    files: dict[str, list[str]] = field(default_factory=dict)
    units: list[str] = field(default_factory=list)
    question: str = ""
    due_at: datetime | None = None
    answer: str = ""
    consultation: int | None = None
    new_due_at: datetime | None = None
    outcome: str = ""
    assignee: str | None = None  # username
    amount: Decimal | None = None
    method: str = ""
    reference: str = ""
    receiver_name: str = ""
    receiver_id_number: str = ""


def _needed(value: datetime | None, name: str) -> datetime:
    if value is None:
        raise InvalidInput(_("This field is required."), field=name)
    return value


def _assignee(username: str | None) -> User | None:
    if not username:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(_("Unknown assignee."), field="assignee")
    return user


Handler = Callable[[Dossier, User, ActionParams], object]

HANDLERS: Final[dict[Action, Handler]] = {
    Action.ACCEPT: lambda d, u, p: review.dossier_accept(dossier=d, officer=u, comment=p.comment),
    Action.REFUSE: lambda d, u, p: review.dossier_refuse(dossier=d, officer=u, reason=p.reason),
    Action.REQUEST_SUPPLEMENT: lambda d, u, p: review.dossier_request_supplement(
        dossier=d, officer=u, missing=p.missing, note=p.note or p.comment
    ),
    Action.SUBMIT_SUPPLEMENT: lambda d, u, p: review.dossier_submit_supplement(
        dossier=d, actor=u, note=p.note or p.comment, files=p.files
    ),
    Action.FORWARD: lambda d, u, p: processing.dossier_forward(
        dossier=d, officer=u, comment=p.comment, assignee=_assignee(p.assignee)
    ),
    Action.SEND_BACK: lambda d, u, p: processing.dossier_send_back(dossier=d, officer=u, comment=p.comment),
    Action.CONSULT: lambda d, u, p: processing.dossier_consult(
        dossier=d, officer=u, units=p.units, question=p.question or p.comment, due_at=_needed(p.due_at, "due_at")
    ),
    Action.ANSWER_CONSULT: lambda d, u, p: processing.dossier_answer_consult(
        dossier=d, officer=u, answer=p.answer or p.comment, consultation_id=p.consultation
    ),
    Action.REQUEST_PAYMENT: lambda d, u, p: pauses.dossier_request_payment(
        dossier=d, officer=u, amount=p.amount, note=p.note or p.comment
    ),
    Action.CONFIRM_PAYMENT: lambda d, u, p: pauses.dossier_confirm_payment(
        dossier=d, actor=u, method=p.method, reference=p.reference
    ),
    Action.APOLOGIZE: lambda d, u, p: pauses.dossier_apologize(
        dossier=d, officer=u, reason=p.reason, new_due_at=_needed(p.new_due_at, "new_due_at")
    ),
    Action.RESOLVE: lambda d, u, p: processing.dossier_resolve(
        dossier=d, officer=u, outcome=p.outcome, note=p.note or p.comment, reason=p.reason
    ),
    Action.RETURN_RESULT: lambda d, u, p: processing.dossier_return_result(
        dossier=d,
        officer=u,
        receiver_name=p.receiver_name,
        receiver_id_number=p.receiver_id_number,
        note=p.note or p.comment,
    ),
    Action.WITHDRAW: lambda d, u, p: processing.dossier_withdraw(dossier=d, actor=u, reason=p.reason or p.comment),
    Action.STOP: lambda d, u, p: processing.dossier_stop(dossier=d, officer=u, reason=p.reason),
}


def dossier_act(*, dossier: Dossier, actor: User, action: str, params: ActionParams) -> Dossier:
    """Run the action named `action`; an unknown name is invalid input (400)."""
    try:
        handler = HANDLERS[Action(action)]
    except (ValueError, KeyError):
        raise InvalidInput(_("Unknown action “%(action)s”.") % {"action": action}, code="unknown_action") from None
    handler(dossier, actor, params)
    return Dossier.objects.get(pk=dossier.pk)

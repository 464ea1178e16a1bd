"""Actions that move the promised date: pause for a financial obligation, resume, apologize (SPEC §4.2)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Final

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Apology, Dossier, FeeLine
from motcua.dossiers.services import permissions
from motcua.dossiers.services.due import compute_due, explanation_json, working_hours_between
from motcua.dossiers.services.effects import effects_enqueue
from motcua.dossiers.services.events import check_transition, dossier_lock, transition
from motcua.dossiers.services.fees import OBLIGATION, RECEIPT_NUMBER_MAX
from motcua.dossiers.services.forms import FormKind, form_issue_on_commit
from motcua.dossiers.services.steps import open_step, step_resume

# Decree 61/2018 Art. 19.9: the apology comes at the latest one working day before the due time.
APOLOGY_NOTICE_HOURS: Final = Decimal(8)


@transaction.atomic
def dossier_request_payment(
    *, dossier: Dossier, officer: User, amount: Decimal | None = None, note: str = ""
) -> Dossier:
    """Ask the applicant to pay a financial obligation; the clock pauses with what is left of it."""
    if amount is not None and amount <= 0:
        raise InvalidInput(_("The amount must be positive."), field="amount")
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.REQUEST_PAYMENT, dossier)
    check_transition(dossier, Action.REQUEST_PAYMENT)
    at = clock.now()
    due = dossier.due_at
    remaining = working_hours_between(start=at, end=due) if due and due > at else Decimal(0)
    dossier.clock_paused_at, dossier.remaining_working_hours = at, remaining
    if amount is not None:
        FeeLine.objects.create(dossier=dossier, name=note or "Nghĩa vụ tài chính", amount=amount, kind=OBLIGATION)
    data = {"remaining_working_hours": remaining, "due_at": due, "amount": amount, "note": note}
    event = transition(
        dossier,
        Action.REQUEST_PAYMENT,
        actor=officer,
        at=at,
        data=data,
        fields=("clock_paused_at", "remaining_working_hours"),
    )
    effects_enqueue(dossier, event, notify="payment_requested", context={"note": note})
    return dossier


@transaction.atomic
def dossier_confirm_payment(*, dossier: Dossier, actor: User, method: str = "", reference: str = "") -> Dossier:
    """The obligation is paid: the clock resumes with the working time that was left."""
    dossier = dossier_lock(dossier)
    permissions.require(actor, Action.CONFIRM_PAYMENT, dossier)
    check_transition(dossier, Action.CONFIRM_PAYMENT)
    at = clock.now()
    previous_due, remaining = dossier.due_at, dossier.remaining_working_hours
    # Already late when the pause began: the due time stays where it was.
    if remaining:
        due = compute_due(start=at, amount=remaining, unit="working_hours")
        dossier.due_at = due.due_at
        dossier.due_explanation = [{"kind": "resume", "hours": f"{remaining:f}"}, *explanation_json(due.explanation)]
    step = open_step(dossier)
    if step is not None and dossier.clock_paused_at is not None:
        step_resume(step, paused_at=dossier.clock_paused_at, at=at)
    # The lines it settles keep the receipt (or transaction) number; the event keeps it whole.
    dossier.fee_lines.filter(paid_at__isnull=True).update(
        paid_at=at, method=method, receipt_number=reference.strip()[:RECEIPT_NUMBER_MAX], paid_by=actor
    )
    dossier.clock_paused_at, dossier.remaining_working_hours = None, None
    data = {"previous_due_at": previous_due, "due_at": dossier.due_at, "method": method, "reference": reference}
    event = transition(
        dossier,
        Action.CONFIRM_PAYMENT,
        actor=actor,
        at=at,
        data=data,
        fields=("due_at", "due_explanation", "clock_paused_at", "remaining_working_hours"),
    )
    effects_enqueue(dossier, event)
    return dossier


@transaction.atomic
def dossier_apologize(*, dossier: Dossier, officer: User, reason: str, new_due_at: datetime) -> Dossier:
    """Apologize for an expected delay and promise a new time: once, a working day ahead (Art. 19.9)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_("This field is required."), field="reason")
    if new_due_at.tzinfo is None:
        raise InvalidInput(_("Give the new return time with its UTC offset."), field="new_due_at")
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.APOLOGIZE, dossier)
    check_transition(dossier, Action.APOLOGIZE)
    at = clock.now()
    old_due = _check_apology(dossier, new_due_at, at)
    Apology.objects.create(
        dossier=dossier, reason=reason, old_due_at=old_due, new_due_at=new_due_at, issued_by=officer, issued_at=at
    )
    dossier.due_at_before_apology, dossier.due_at = old_due, new_due_at
    data = {"reason": reason, "old_due_at": old_due, "new_due_at": new_due_at}
    event = transition(
        dossier, Action.APOLOGIZE, actor=officer, at=at, data=data, fields=("due_at", "due_at_before_apology")
    )
    effects_enqueue(dossier, event, notify="apologized", context={"reason": reason})
    form_issue_on_commit(dossier, FormKind.APOLOGY, event)
    return dossier


def _check_apology(dossier: Dossier, new_due_at: datetime, at: datetime) -> datetime:
    """The due time being rescheduled, or the reason the apology is refused."""
    if Apology.objects.filter(dossier=dossier).exists():
        raise Conflict(_("The return date can be rescheduled only once."), code="apology_already_issued")
    if dossier.due_at is None:
        raise Conflict(_("This dossier has no due time to reschedule."))
    if new_due_at <= dossier.due_at:
        raise InvalidInput(_("The new return time must be later than the current one."), field="new_due_at")
    if at >= dossier.due_at or working_hours_between(start=at, end=dossier.due_at) < APOLOGY_NOTICE_HOURS:
        raise Conflict(
            _("Too late: the apology must be issued at least one working day before the due time."),
            code="apology_too_late",
        )
    return dossier.due_at

"""Moves through the internal workflow and the end of a dossier's life (Decree 61/2018 Art. 19–20,
Decree 118/2025 Art. 21): forward, send back, consult, answer, resolve, return, withdraw, stop.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Consultation, Dossier, DossierStep, Outcome
from motcua.dossiers.notifications import local_text
from motcua.dossiers.services import permissions
from motcua.dossiers.services.documents import dossier_result_issue, result_needed
from motcua.dossiers.services.effects import effects_enqueue, notify_enqueue
from motcua.dossiers.services.events import check_transition, dossier_lock, transition
from motcua.dossiers.services.forms import FormKind, form_exists_for, form_issue_on_commit
from motcua.dossiers.services.steps import close_open_step, dossier_specs, open_step, step_close, step_open
from motcua.organizations.models import Membership, Unit
from motcua.organizations.selectors import unit_ids_for_user
from motcua.workflow import routing
from motcua.workflow.routing import StepKind, StepSpec
from motcua.workflow.services import step_unit


def _required(value: str, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(_("This field is required."), field=field)
    return text


def _check_assignee(dossier: Dossier, spec: StepSpec, assignee: User | None) -> None:
    if assignee is None:
        return
    unit = step_unit(spec=spec, receiving=dossier.receiving_unit, handling=dossier.handling_unit)
    if not permissions.has_role_at(assignee, {spec.role}, unit.pk):
        raise InvalidInput(_("The assignee does not hold the next step's role in its unit."), field="assignee")


@transaction.atomic
def dossier_forward(*, dossier: Dossier, officer: User, comment: str = "", assignee: User | None = None) -> Dossier:
    """Hand the dossier to the next step of its workflow, optionally to a named officer."""
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.FORWARD, dossier)
    check_transition(dossier, Action.FORWARD)
    step = open_step(dossier)
    target = routing.next_step(dossier_specs(dossier), step.order) if step else None
    if step is None or target is None or target.kind == StepKind.RETURN:
        raise Conflict(_("This is the last processing step: resolve the dossier instead."), code="no_next_step")
    _check_assignee(dossier, target, assignee)
    return _move(dossier, officer, Action.FORWARD, step, target, comment=comment, assignee=assignee)


@transaction.atomic
def dossier_send_back(*, dossier: Dossier, officer: User, comment: str = "") -> Dossier:
    """Return the dossier to the previous processing step (to redo or complete it)."""
    comment = _required(comment, "comment")
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.SEND_BACK, dossier)
    check_transition(dossier, Action.SEND_BACK)
    step = open_step(dossier)
    target = routing.previous_step(dossier_specs(dossier), step.order) if step else None
    if step is None or target is None:
        raise Conflict(_("There is no earlier processing step to send the dossier back to."), code="no_previous_step")
    return _move(dossier, officer, Action.SEND_BACK, step, target, comment=comment, assignee=None)


def _move(
    dossier: Dossier,
    officer: User,
    action: Action,
    step: DossierStep,
    target: StepSpec,
    *,
    comment: str,
    assignee: User | None,
) -> Dossier:
    at = clock.now()
    step_close(
        step, at=at, by=officer, outcome="forwarded" if action == Action.FORWARD else "sent_back", comment=comment
    )
    new = step_open(dossier=dossier, spec=target, at=at, assignee=assignee)
    data: dict[str, Any] = {"from_step": step.name, "to_step": new.name, "to_unit": new.unit.code, "comment": comment}
    if assignee is not None:
        data["assignee"] = assignee.pk
    event = transition(dossier, action, actor=officer, at=at, data=data)
    effects_enqueue(dossier, event)
    return dossier


@transaction.atomic
def dossier_consult(
    *, dossier: Dossier, officer: User, units: list[str], question: str, due_at: datetime
) -> list[Consultation]:
    """Ask other units for their opinion by a deadline (Decree 61/2018 Art. 19.5)."""
    question = _required(question, "question")
    if due_at.tzinfo is None or due_at <= clock.now():
        raise InvalidInput(_("The answer deadline must be a future date and time with its UTC offset."), field="due_at")
    targets = _consulted_units(units)
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.CONSULT, dossier)
    check_transition(dossier, Action.CONSULT)
    at = clock.now()
    asked = [
        Consultation.objects.create(
            dossier=dossier, unit=unit, question=question, asked_by=officer, asked_at=at, due_at=due_at
        )
        for unit in targets
    ]
    data = {"units": [u.code for u in targets], "question": question, "due_at": due_at}
    event = transition(dossier, Action.CONSULT, actor=officer, at=at, data=data)
    effects_enqueue(dossier, event)
    for consultation in asked:
        notify_enqueue(
            dossier,
            template="consultation_requested",
            recipients=_leader_emails(consultation.unit),
            key=f"consult:{consultation.pk}",
            context={"due": local_text(due_at)},
        )
    return asked


def _consulted_units(codes: list[str]) -> list[Unit]:
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    if not wanted:
        raise InvalidInput(_("Name at least one unit to consult."), field="units")
    found = list(Unit.objects.filter(code__in=wanted, active_until__isnull=True))
    unknown = sorted(set(wanted) - {u.code for u in found})
    if unknown:
        raise InvalidInput(_("Unknown units: %(codes)s.") % {"codes": ", ".join(unknown)}, field="units")
    return found


def _leader_emails(unit: Unit) -> list[str]:
    leaders = Membership.objects.filter(unit=unit, role__in=permissions.LEADERS, active_until__isnull=True)
    return [m.user.email for m in leaders.select_related("user") if m.user.email]


@transaction.atomic
def dossier_answer_consult(
    *, dossier: Dossier, officer: User, answer: str, consultation_id: int | None = None
) -> Consultation:
    """Record a consulted unit's answer."""
    answer = _required(answer, "answer")
    dossier = dossier_lock(dossier)
    check_transition(dossier, Action.ANSWER_CONSULT)
    mine = unit_ids_for_user(officer, sorted(permissions.HANDLERS))
    ours = dossier.consultations.all() if mine is None else dossier.consultations.filter(unit_id__in=sorted(mine))
    if not ours.exists():
        raise PermissionDenied(_("Your unit was not consulted on this dossier."))
    pending = ours.filter(answered_at__isnull=True)
    if consultation_id is not None:
        pending = pending.filter(pk=consultation_id)
    consultation = pending.order_by("asked_at", "pk").first()
    if consultation is None:
        raise Conflict(_("No open consultation of your unit on this dossier."), code="no_open_consultation")
    at = clock.now()
    consultation.answer, consultation.answered_at, consultation.answered_by = answer, at, officer
    consultation.save(update_fields=["answer", "answered_at", "answered_by"])
    data = {"consultation": consultation.pk, "unit": consultation.unit.code, "answer": answer}
    event = transition(dossier, Action.ANSWER_CONSULT, actor=officer, at=at, data=data)
    effects_enqueue(dossier, event)
    return consultation


@transaction.atomic
def dossier_resolve(
    *,
    dossier: Dossier,
    officer: User,
    outcome: str,
    note: str = "",
    reason: str = "",
    result_pdf: bytes | None = None,
) -> Dossier:
    """Decide: approved (with the result) or denied with the reason (Phiếu từ chối giải quyết).

    Approved: the electronic result is issued in the same transaction (`documents.dossier_result_issue`:
    generated from the dossier, or `result_pdf` if the officer uploads one; signed by the handling unit,
    result code + verification QR, into the applicant's vault) when the unit has a signing certificate,
    a PDF is given or the procedure requires an electronic result. Denied: no result, the reason only.
    """
    if outcome not in Outcome.values:
        raise InvalidInput(_("The outcome is “approved” or “denied”."), field="outcome")
    if outcome == Outcome.DENIED:
        reason = _required(reason, "reason")
        if result_pdf is not None:
            raise InvalidInput(_("A denied dossier gets no result document."), field="result_pdf")
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.RESOLVE, dossier)
    check_transition(dossier, Action.RESOLVE)
    at = clock.now()
    dossier.outcome, dossier.finished_at = outcome, at
    close_open_step(dossier, at=at, by=officer, outcome=outcome, comment=reason or note)
    returning = routing.return_step(dossier_specs(dossier))
    if returning is not None:
        step_open(dossier=dossier, spec=returning, at=at)
    data: dict[str, Any] = {"outcome": outcome, "note": note, "reason": reason}
    if outcome == Outcome.APPROVED and result_needed(dossier, uploaded_pdf=result_pdf):
        result = dossier_result_issue(dossier=dossier, officer=officer, note=note, uploaded_pdf=result_pdf)
        data["result_code"] = result.result_code
    event = transition(dossier, Action.RESOLVE, actor=officer, at=at, data=data, fields=("outcome", "finished_at"))
    effects_enqueue(dossier, event, notify="resolved")
    return dossier


@transaction.atomic
def dossier_return_result(
    *, dossier: Dossier, officer: User, receiver_name: str = "", receiver_id_number: str = "", note: str = ""
) -> Dossier:
    """Hand the result over (counter, post or electronically) and close the return step."""
    dossier = dossier_lock(dossier)
    permissions.require(officer, Action.RETURN_RESULT, dossier)
    check_transition(dossier, Action.RETURN_RESULT)
    at = clock.now()
    dossier.returned_at = at
    close_open_step(dossier, at=at, by=officer, outcome="returned", comment=note)
    data = {
        "receiver": {"name": receiver_name, "id_number": receiver_id_number},
        "method": dossier.return_method,
        "note": note,
    }
    event = transition(dossier, Action.RETURN_RESULT, actor=officer, at=at, data=data, fields=("returned_at",))
    effects_enqueue(dossier, event, notify="returned")
    return dossier


@transaction.atomic
def dossier_withdraw(*, dossier: Dossier, actor: User, reason: str = "") -> Dossier:
    """The applicant withdraws the dossier before it is resolved."""
    return _end(dossier, actor, Action.WITHDRAW, reason=reason, notify="withdrawn")


@transaction.atomic
def dossier_stop(*, dossier: Dossier, officer: User, reason: str) -> Dossier:
    """Stop processing (Decree 118/2025 Art. 21: on request before the decision, or a supplement never came)."""
    return _end(dossier, officer, Action.STOP, reason=_required(reason, "reason"), notify="stopped")


def _end(dossier: Dossier, actor: User, action: Action, *, reason: str, notify: str) -> Dossier:
    dossier = dossier_lock(dossier)
    permissions.require(actor, action, dossier)
    check_transition(dossier, action)
    at = clock.now()
    dossier.finished_at = at
    dossier.clock_paused_at = None
    close_open_step(dossier, at=at, by=actor, outcome=str(action), comment=reason)
    event = transition(
        dossier, action, actor=actor, at=at, data={"reason": reason}, fields=("finished_at", "clock_paused_at")
    )
    effects_enqueue(dossier, event, notify=notify, context={"reason": reason})
    if form_exists_for(dossier, FormKind.STOP_NOTICE):  # withdrawn or stopped: the 2025 stop notice
        form_issue_on_commit(dossier, FormKind.STOP_NOTICE, event)
    return dossier

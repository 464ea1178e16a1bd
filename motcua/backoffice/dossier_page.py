"""What the back-office dossier page shows: the dossier, its steps and timeline, and the action forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.backoffice import selectors
from motcua.backoffice.due_text import due_lines
from motcua.backoffice.forms import ACTION_FORMS, ActionForm
from motcua.backoffice.labels import PAYMENT_METHODS
from motcua.core import clock
from motcua.dossiers.lifecycle import ACTION_LABELS, FINISHED, Action, Status, status_label
from motcua.dossiers.models import Apology, Dossier, DossierEvent, DossierStep, Outcome
from motcua.dossiers.selectors import dossier_documents, dossier_events, dossier_steps
from motcua.dossiers.services.due import Urgency, urgency
from motcua.dossiers.services.fees import FEES_PAID

HASH_SHOWN = 12


@dataclass(frozen=True)
class StepRow:
    step: DossierStep
    late: bool  # finished after its due time, or still open past it
    open: bool


@dataclass(frozen=True)
class EventRow:
    event: DossierEvent
    action: str
    from_status: str
    to_status: str
    actor: str
    text: str  # the comment, note, reason, question or answer typed with the action
    details: list[str] = field(default_factory=list)

    @property
    def short_hash(self) -> str:
        return self.event.hash[:HASH_SHOWN]


def dossier_page_context(
    *, user: User, dossier: Dossier, bound: ActionForm | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """Everything the dossier page renders; `bound` is a refused form to show again with its errors."""
    now = now or clock.now()
    return {
        "dossier": dossier,
        "status_label": status_label(dossier.status),
        "finished": Status(dossier.status) in FINISHED,
        "urgency": _dossier_urgency(dossier, now),
        "due_lines": due_lines(dossier.due_explanation or []),
        "apology": Apology.objects.filter(dossier=dossier).select_related("issued_by").first(),
        "components": dossier.components.select_related("component").order_by("component__order", "pk"),
        "documents": list(dossier_documents(dossier=dossier)),
        "fees": dossier.fee_lines.all(),
        "steps": [_step_row(step, now) for step in dossier_steps(dossier=dossier)],
        "consultations": dossier.consultations.select_related("unit", "asked_by", "answered_by"),
        "events": [_event_row(event) for event in dossier_events(dossier=dossier)],
        "action_forms": action_forms(user=user, dossier=dossier, bound=bound),
        "bound": bound,
    }


def action_forms(*, user: User, dossier: Dossier, bound: ActionForm | None = None) -> list[ActionForm]:
    """A form per action the user may take now; a refused form first if its action is no longer offered."""
    allowed = selectors.dossier_actions_for(user=user, dossier=dossier)
    forms = [
        bound if bound is not None and bound.action == action else ACTION_FORMS[action](dossier=dossier, user=user)
        for action in allowed
    ]
    if bound is not None and bound.action not in allowed:
        forms.insert(0, bound)
    return forms


def _dossier_urgency(dossier: Dossier, now: datetime) -> Urgency | None:
    if Status(dossier.status) in FINISHED or dossier.due_at is None or dossier.clock_paused_at is not None:
        return None
    return urgency(dossier.due_at, now)


def _step_row(step: DossierStep, now: datetime) -> StepRow:
    if step.due_at is None:
        late = False
    elif step.finished_at is not None:
        late = step.finished_at > step.due_at
    else:
        late = now > step.due_at
    return StepRow(step=step, late=late, open=step.finished_at is None)


def _status_text(status: str) -> str:
    return status_label(status) if status in Status.__members__.values() else status


def _action_text(action: str) -> str:
    if action == FEES_PAID:
        return _("Fees collected")
    return str(ACTION_LABELS[Action(action)]) if action in Action.__members__.values() else action


def _event_row(event: DossierEvent) -> EventRow:
    data = event.data or {}
    texts = [str(data[key]) for key in ("comment", "note", "reason", "question", "answer") if data.get(key)]
    return EventRow(
        event=event,
        action=_action_text(event.action),
        from_status=_status_text(event.from_status),
        to_status=_status_text(event.to_status),
        actor=(event.actor.full_name or event.actor.username) if event.actor else _("System"),
        text=" — ".join(dict.fromkeys(texts)),
        details=_event_details(data),
    )


def _event_details(data: dict[str, Any]) -> list[str]:
    """The facts an action recorded besides its text, one short line each."""
    details = []
    if data.get("from_step") and data.get("to_step"):
        details.append(_("Step: %(from)s → %(to)s") % {"from": data["from_step"], "to": data["to_step"]})
    if data.get("missing"):
        details.append(_("Missing: %(items)s") % {"items": "; ".join(str(i) for i in data["missing"])})
    if data.get("units"):
        details.append(_("Units consulted: %(codes)s") % {"codes": ", ".join(str(c) for c in data["units"])})
    if data.get("outcome") in Outcome.values:
        details.append(_("Decision: %(outcome)s") % {"outcome": Outcome(data["outcome"]).label})
    if data.get("new_due_at"):
        details.append(_("New return time: %(at)s") % {"at": local_text(data["new_due_at"])})
    receiver = data.get("receiver") or {}
    if isinstance(receiver, dict) and receiver.get("name"):
        details.append(_("Received by: %(name)s") % {"name": receiver["name"]})
    if data.get("amount"):
        details.append(_("Amount: %(amount)s VND") % {"amount": data["amount"]})
    if data.get("method") in PAYMENT_METHODS:
        details.append(_("Paid by: %(method)s") % {"method": PAYMENT_METHODS[data["method"]]})
    if data.get("reference"):
        details.append(_("Receipt or transaction number: %(number)s") % {"number": data["reference"]})
    if data.get("receipt_number"):
        details.append(_("Receipt number: %(number)s") % {"number": data["receipt_number"]})
    return details


def local_text(value: Any) -> str:
    """An instant stored in an event (ISO 8601 text) in Vietnam time, as the pages show times."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return str(value)
    return moment.astimezone(clock.VIETNAM).strftime("%H:%M %d/%m/%Y")

"""The dossier lifecycle (SPEC §4.3): statuses, actions and the one table of allowed moves.

Pure: no database, no HTTP. Services ask `next_status` before they change anything, so a
refused move leaves the dossier untouched.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"  # transient: an accepted dossier is processing at once
    REFUSED = "refused"
    PROCESSING = "processing"
    AWAITING_SUPPLEMENT = "awaiting_supplement"
    AWAITING_PAYMENT = "awaiting_payment"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    RESOLVED = "resolved"
    RETURNED = "returned"


class Action(StrEnum):
    SUBMIT = "submit"
    ACCEPT = "accept"
    REFUSE = "refuse"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUBMIT_SUPPLEMENT = "submit_supplement"
    FORWARD = "forward"
    SEND_BACK = "send_back"
    CONSULT = "consult"
    ANSWER_CONSULT = "answer_consult"
    REQUEST_PAYMENT = "request_payment"
    CONFIRM_PAYMENT = "confirm_payment"
    APOLOGIZE = "apologize"
    RESOLVE = "resolve"
    RETURN_RESULT = "return_result"
    WITHDRAW = "withdraw"
    STOP = "stop"


# Vietnamese is the UI language; msgids are English so the English catalog is the identity.
STATUS_LABELS: Final = {
    Status.DRAFT: _("Draft"),
    Status.SUBMITTED: _("Registered, awaiting acceptance"),
    Status.ACCEPTED: _("Accepted"),
    Status.REFUSED: _("Not accepted"),
    Status.PROCESSING: _("Processing"),
    Status.AWAITING_SUPPLEMENT: _("Supplement requested"),
    Status.AWAITING_PAYMENT: _("Financial obligation requested"),
    Status.WITHDRAWN: _("Withdrawn at the applicant's request"),
    Status.STOPPED: _("Processing stopped"),
    Status.RESOLVED: _("Resolved"),
    Status.RETURNED: _("Result returned"),
}

ACTION_LABELS: Final = {
    Action.SUBMIT: _("Submit"),
    Action.ACCEPT: _("Accept"),
    Action.REFUSE: _("Refuse"),
    Action.REQUEST_SUPPLEMENT: _("Request a supplement"),
    Action.SUBMIT_SUPPLEMENT: _("Submit the supplement"),
    Action.FORWARD: _("Forward"),
    Action.SEND_BACK: _("Send back"),
    Action.CONSULT: _("Consult units"),
    Action.ANSWER_CONSULT: _("Answer a consultation"),
    Action.REQUEST_PAYMENT: _("Request payment"),
    Action.CONFIRM_PAYMENT: _("Confirm payment"),
    Action.APOLOGIZE: _("Apologize and reschedule"),
    Action.RESOLVE: _("Resolve"),
    Action.RETURN_RESULT: _("Return the result"),
    Action.WITHDRAW: _("Withdraw"),
    Action.STOP: _("Stop processing"),
}

# The national portal's TrangThaiHoSo codes (SPEC §4.3, §7.2); drafts are never synced.
NATIONAL_STATUS: Final[dict[Status, int | None]] = {
    Status.DRAFT: None,
    Status.SUBMITTED: 1,
    Status.ACCEPTED: 2,
    Status.REFUSED: 3,
    Status.PROCESSING: 4,
    Status.AWAITING_SUPPLEMENT: 5,
    Status.AWAITING_PAYMENT: 6,
    Status.WITHDRAWN: 7,
    Status.STOPPED: 8,
    Status.RESOLVED: 9,
    Status.RETURNED: 10,
}

_OPEN_AFTER_ACCEPTANCE: Final = (Status.PROCESSING, Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT)

TRANSITIONS: Final[dict[tuple[Status, Action], Status]] = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    # Reception of an online / postal dossier (Decree 118/2025 Art. 17.2).
    (Status.SUBMITTED, Action.ACCEPT): Status.PROCESSING,
    (Status.SUBMITTED, Action.REFUSE): Status.REFUSED,
    (Status.SUBMITTED, Action.REQUEST_SUPPLEMENT): Status.AWAITING_SUPPLEMENT,
    (Status.SUBMITTED, Action.WITHDRAW): Status.WITHDRAWN,
    # Appraisal (Decree 61/2018 Art. 19).
    (Status.PROCESSING, Action.FORWARD): Status.PROCESSING,
    (Status.PROCESSING, Action.SEND_BACK): Status.PROCESSING,
    (Status.PROCESSING, Action.CONSULT): Status.PROCESSING,
    (Status.PROCESSING, Action.ANSWER_CONSULT): Status.PROCESSING,
    (Status.PROCESSING, Action.APOLOGIZE): Status.PROCESSING,
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): Status.AWAITING_SUPPLEMENT,
    (Status.PROCESSING, Action.REQUEST_PAYMENT): Status.AWAITING_PAYMENT,
    (Status.PROCESSING, Action.RESOLVE): Status.RESOLVED,
    # The applicant owes documents or money; consulted units may still answer meanwhile.
    (Status.AWAITING_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT): Status.PROCESSING,
    (Status.AWAITING_SUPPLEMENT, Action.ANSWER_CONSULT): Status.AWAITING_SUPPLEMENT,
    (Status.AWAITING_PAYMENT, Action.CONFIRM_PAYMENT): Status.PROCESSING,
    (Status.AWAITING_PAYMENT, Action.ANSWER_CONSULT): Status.AWAITING_PAYMENT,
    # Return of the result (Art. 20).
    (Status.RESOLVED, Action.RETURN_RESULT): Status.RETURNED,
    # The applicant withdraws, or asks to stop before the decision (Decree 118/2025 Art. 21).
    **{(status, Action.WITHDRAW): Status.WITHDRAWN for status in _OPEN_AFTER_ACCEPTANCE},
    **{(status, Action.STOP): Status.STOPPED for status in _OPEN_AFTER_ACCEPTANCE},
}

# A supplement asked for at reception (before acceptance) sends the dossier back to the reception
# queue, not to processing: the clock has not started yet (Decree 118/2025 Art. 17.2.a).
BEFORE_ACCEPTANCE: Final[dict[tuple[Status, Action], Status]] = {
    (Status.AWAITING_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT): Status.SUBMITTED,
}

# The processing clock stops while the applicant owes us documents or money (Decree 61/2018 Art. 19.4).
CLOCK_STOPPED: Final = frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT})
# No further action changes these; `resolved` still waits for the return of the result.
FINAL: Final = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RETURNED})
# Statuses whose time counts as the finish time for the indices (SPEC §4.4).
FINISHED: Final = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED})


class TransitionNotAllowed(Exception):
    """The lifecycle table has no move for this action from this status."""

    def __init__(self, current: Status, action: Action) -> None:
        self.current = Status(current)
        self.action = Action(action)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return gettext("The action “%(action)s” is not allowed while the dossier is “%(status)s”.") % {
            "action": ACTION_LABELS[self.action],
            "status": STATUS_LABELS[self.current],
        }


def next_status(current: Status | str, action: Action | str, *, accepted: bool = True) -> Status:
    """The status after `action`, or TransitionNotAllowed. `accepted`: the clock has started."""
    key = (Status(current), Action(action))
    if not accepted and key in BEFORE_ACCEPTANCE:
        return BEFORE_ACCEPTANCE[key]
    try:
        return TRANSITIONS[key]
    except KeyError:
        raise TransitionNotAllowed(*key) from None


def allowed_actions(current: Status | str) -> list[Action]:
    """Actions the table allows from `current`, in declaration order (for buttons and docs)."""
    status = Status(current)
    return [action for (source, action) in TRANSITIONS if source == status]


def status_label(status: Status | str) -> str:
    return str(STATUS_LABELS[Status(status)])


def national_status(status: Status | str) -> int | None:
    return NATIONAL_STATUS[Status(status)]

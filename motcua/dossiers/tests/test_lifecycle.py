"""The lifecycle table, checked over every (status, action) pair."""

from itertools import product

import pytest

from motcua.dossiers import lifecycle
from motcua.dossiers.lifecycle import (
    BEFORE_ACCEPTANCE,
    CLOCK_STOPPED,
    FINAL,
    TRANSITIONS,
    Action,
    Status,
    TransitionNotAllowed,
    next_status,
)

EXPECTED = {
    (Status.DRAFT, Action.SUBMIT): Status.SUBMITTED,
    (Status.SUBMITTED, Action.ACCEPT): Status.PROCESSING,
    (Status.SUBMITTED, Action.REFUSE): Status.REFUSED,
    (Status.SUBMITTED, Action.REQUEST_SUPPLEMENT): Status.AWAITING_SUPPLEMENT,
    (Status.SUBMITTED, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PROCESSING, Action.FORWARD): Status.PROCESSING,
    (Status.PROCESSING, Action.SEND_BACK): Status.PROCESSING,
    (Status.PROCESSING, Action.CONSULT): Status.PROCESSING,
    (Status.PROCESSING, Action.ANSWER_CONSULT): Status.PROCESSING,
    (Status.PROCESSING, Action.APOLOGIZE): Status.PROCESSING,
    (Status.PROCESSING, Action.REQUEST_SUPPLEMENT): Status.AWAITING_SUPPLEMENT,
    (Status.PROCESSING, Action.REQUEST_PAYMENT): Status.AWAITING_PAYMENT,
    (Status.PROCESSING, Action.RESOLVE): Status.RESOLVED,
    (Status.PROCESSING, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.PROCESSING, Action.STOP): Status.STOPPED,
    (Status.AWAITING_SUPPLEMENT, Action.SUBMIT_SUPPLEMENT): Status.PROCESSING,
    (Status.AWAITING_SUPPLEMENT, Action.ANSWER_CONSULT): Status.AWAITING_SUPPLEMENT,
    (Status.AWAITING_SUPPLEMENT, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.AWAITING_SUPPLEMENT, Action.STOP): Status.STOPPED,
    (Status.AWAITING_PAYMENT, Action.CONFIRM_PAYMENT): Status.PROCESSING,
    (Status.AWAITING_PAYMENT, Action.ANSWER_CONSULT): Status.AWAITING_PAYMENT,
    (Status.AWAITING_PAYMENT, Action.WITHDRAW): Status.WITHDRAWN,
    (Status.AWAITING_PAYMENT, Action.STOP): Status.STOPPED,
    (Status.RESOLVED, Action.RETURN_RESULT): Status.RETURNED,
}


@pytest.mark.parametrize(("status", "action"), list(product(Status, Action)))
def test_every_pair_is_either_the_expected_move_or_refused(status, action):
    if (status, action) in EXPECTED:
        assert next_status(status, action) == EXPECTED[(status, action)]
    else:
        with pytest.raises(TransitionNotAllowed):
            next_status(status, action)


def test_the_table_is_exactly_the_expected_one():
    assert TRANSITIONS == EXPECTED


@pytest.mark.parametrize(("status", "action"), list(product(Status, Action)))
def test_before_acceptance_only_the_supplement_goes_elsewhere(status, action):
    try:
        accepted = next_status(status, action, accepted=True)
    except TransitionNotAllowed:
        accepted = None
    try:
        unaccepted = next_status(status, action, accepted=False)
    except TransitionNotAllowed:
        unaccepted = None
    if (status, action) in BEFORE_ACCEPTANCE:
        assert unaccepted == Status.SUBMITTED
    else:
        assert accepted == unaccepted


def test_a_refused_move_names_the_action_and_the_status():
    with pytest.raises(TransitionNotAllowed) as caught:
        next_status(Status.RETURNED, Action.RESOLVE)

    assert str(lifecycle.ACTION_LABELS[Action.RESOLVE]) in caught.value.message
    assert str(lifecycle.STATUS_LABELS[Status.RETURNED]) in caught.value.message


def test_final_statuses_allow_nothing():
    for status in FINAL:
        assert lifecycle.allowed_actions(status) == []


def test_the_clock_stops_while_the_applicant_owes_something():
    assert frozenset({Status.AWAITING_SUPPLEMENT, Status.AWAITING_PAYMENT}) == CLOCK_STOPPED


def test_every_status_has_a_label_and_a_national_code_except_draft():
    for status in Status:
        assert lifecycle.status_label(status)
        code = lifecycle.national_status(status)
        assert (code is None) == (status == Status.DRAFT)
    assert sorted(c for c in lifecycle.NATIONAL_STATUS.values() if c) == list(range(1, 11))


def test_unknown_names_are_rejected_early():
    with pytest.raises(ValueError, match="fly"):
        next_status("processing", "fly")

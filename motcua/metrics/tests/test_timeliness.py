"""Early / on time / late, in time / overdue (SPEC §4.4) on hand-made histories in April 2026.

The window ends at 01/05/2026 00:00. Working time is `wall_hours` (8 clock hours = one working day)
except in the last tests, which use the real calendar.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from motcua.dossiers.lifecycle import Status
from motcua.metrics.facts import DossierFacts, FactsError
from motcua.metrics.tests import APRIL, dossier, payment, supplement, vn, wall_hours
from motcua.metrics.timeliness import (
    Timeliness,
    carried_over,
    classify,
    classify_finish,
    finished_in,
    in_scope,
    received_in,
)
from motcua.workcalendar.tests.helpers import package_calendar

E, ON, L, IN, OV = Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE, Timeliness.IN_TIME, Timeliness.OVERDUE
DUE = vn(2026, 4, 10, 17)


def judge(facts: DossierFacts, *, rule_766: bool = False, at: datetime = APRIL.end) -> Timeliness:
    return classify(facts, at=at, working_hours_between=wall_hours, repeat_supplement_overdue=rule_766)


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        (vn(2026, 4, 9, 8), E),  # 33 h before the due time ≥ 8 h
        (vn(2026, 4, 10, 9), E),  # exactly 8 h (one working day) before: still early
        (vn(2026, 4, 10, 10), ON),  # 7 h before: on time, not early
        (DUE, ON),  # at the due time itself: on time (finish ≤ due)
        (vn(2026, 4, 10, 17, 1), L),  # one minute after
    ],
)
def test_a_finished_dossier_is_judged_by_its_finish_against_the_due_time(finished, expected):
    assert judge(dossier(accepted=vn(2026, 4, 2, 8), due=DUE, finished=finished)) is expected


def test_an_apology_does_not_rescue_a_late_dossier():
    # Due 10/04 17:00; the apology moved it to 15/04 17:00; finished 13/04 10:00. Against the new
    # time it would be early (55 h before); against the time before the apology it is late.
    facts = dossier(
        accepted=vn(2026, 4, 2, 8), due=vn(2026, 4, 15, 17), due_at_before_apology=DUE, finished=vn(2026, 4, 13, 10)
    )
    assert judge(facts) is L
    assert judge(facts, rule_766=True) is L


def test_two_supplement_requests_make_the_dossier_overdue_for_the_766_index_only():
    # Two supplements, each completed; the last restarted the clock (due 14/04 17:00); finished
    # 08/04 10:00, 151 h early. The 766 index counts it late (SPEC §6.1 2.1); 06a does not.
    pauses = (supplement(vn(2026, 4, 2, 8), vn(2026, 4, 3, 8)), supplement(vn(2026, 4, 6, 8), vn(2026, 4, 7, 8)))
    facts = dossier(accepted=vn(2026, 4, 1, 8), due=vn(2026, 4, 14, 17), finished=vn(2026, 4, 8, 10), pauses=pauses)
    assert facts.supplement_count == 2
    assert judge(facts) is E
    assert judge(facts, rule_766=True) is L
    # Still open at the period end, in time by the clock: overdue for the 766 index all the same.
    open_facts = dossier(accepted=vn(2026, 4, 1, 8), due=vn(2026, 5, 14, 17), pauses=pauses)
    assert judge(open_facts) is IN
    assert judge(open_facts, rule_766=True) is OV


def test_one_supplement_request_restarts_the_clock_without_penalty():
    # Supplement 02/04 08:00 → 03/04 08:00; full time again from there, due 07/04 17:00; finished 07/04 15:00.
    facts = dossier(
        accepted=vn(2026, 4, 1, 8),
        due=vn(2026, 4, 7, 17),
        finished=vn(2026, 4, 7, 15),
        pauses=(supplement(vn(2026, 4, 2, 8), vn(2026, 4, 3, 8)),),
    )
    assert judge(facts, rule_766=True) is ON  # 2 h before the due time


def test_a_payment_pause_moves_the_due_time_and_the_finish_is_judged_against_it():
    # Due 08/04 17:00 at acceptance; the clock stood 07/04 10:00 → 09/04 10:00 (48 h), so the
    # lifecycle moved the due time to 10/04 17:00. Finished 10/04 12:00: 5 h before → on time.
    facts = dossier(
        accepted=vn(2026, 4, 6, 8),
        due=vn(2026, 4, 10, 17),
        finished=vn(2026, 4, 10, 12),
        pauses=(payment(vn(2026, 4, 7, 10), vn(2026, 4, 9, 10)),),
    )
    assert judge(facts, rule_766=True) is ON


def test_a_dossier_awaiting_payment_at_the_period_end_is_judged_when_its_clock_stopped():
    # Due 29/04 17:00; payment requested 29/04 10:00 and still unpaid on 01/05 00:00. The clock
    # stands at 29/04 10:00, before the due time: in time. Without the pause it would be overdue.
    pause = payment(vn(2026, 4, 29, 10))
    facts = dossier(accepted=vn(2026, 4, 27, 8), due=vn(2026, 4, 29, 17), pauses=(pause,))
    assert judge(facts) is IN
    assert judge(dossier(accepted=vn(2026, 4, 27, 8), due=vn(2026, 4, 29, 17))) is OV


def test_a_pause_uses_the_due_time_it_had_when_the_clock_stopped():
    # A later snapshot: the supplement asked 23/04 09:00 came on 04/05 and restarted the clock
    # (due 10/05). At 01/05 the clock stood at 23/04 09:00, already past the due time then (22/04 17:00).
    pause = supplement(vn(2026, 4, 23, 9), vn(2026, 5, 4, 8), due_before=vn(2026, 4, 22, 17))
    facts = dossier(accepted=vn(2026, 4, 20, 8), due=vn(2026, 5, 10, 17), pauses=(pause,))
    assert judge(facts) is OV


def test_refused_after_acceptance_is_finished_at_the_refusal():
    facts = dossier(
        accepted=vn(2026, 4, 6, 8), due=vn(2026, 4, 17, 17), finished=vn(2026, 4, 7, 9), status=Status.REFUSED
    )
    assert judge(facts, rule_766=True) is E  # 248 h before the due time
    assert finished_in(facts, APRIL)


def test_withdrawn_while_waiting_for_a_supplement_is_judged_when_the_clock_stopped():
    # Due 03/04 17:00; supplement asked 02/04 09:00, never supplied; withdrawn 20/04 10:00. Time
    # stood still from 02/04 09:00, 32 h before the due time: early, not 17 days late.
    facts = dossier(
        accepted=vn(2026, 4, 1, 8),
        due=vn(2026, 4, 3, 17),
        finished=vn(2026, 4, 20, 10),
        status=Status.WITHDRAWN,
        pauses=(supplement(vn(2026, 4, 2, 9)),),
    )
    assert judge(facts, rule_766=True) is E


def test_a_dossier_carried_over_from_march_counts_in_april():
    facts = dossier(accepted=vn(2026, 3, 25, 8), due=vn(2026, 4, 3, 17), finished=vn(2026, 4, 2, 10))
    assert (received_in(facts, APRIL), carried_over(facts, APRIL), in_scope(facts, APRIL)) == (False, True, True)
    assert judge(facts) is E  # 31 h before


def test_a_dossier_finished_in_march_is_not_in_april():
    facts = dossier(accepted=vn(2026, 3, 20, 8), due=vn(2026, 4, 3, 17), finished=vn(2026, 3, 30, 10))
    assert not in_scope(facts, APRIL)
    assert not carried_over(facts, APRIL)


@pytest.mark.parametrize(
    ("due", "finished", "expected"),
    [
        (vn(2026, 5, 5, 17), None, IN),  # open, due after the period end
        (vn(2026, 4, 30, 17), None, OV),  # open, due passed before 01/05 00:00
        (vn(2026, 5, 5, 17), vn(2026, 5, 2, 10), IN),  # finished after the period: still open at its end
        (vn(2026, 4, 30, 17), vn(2026, 5, 2, 10), OV),
    ],
)
def test_a_dossier_open_at_the_period_end_is_in_time_or_overdue(due, finished, expected):
    facts = dossier(accepted=vn(2026, 4, 24, 8), due=due, finished=finished)
    assert judge(facts) is expected
    assert not finished_in(facts, APRIL)


def test_a_dossier_never_accepted_is_in_no_index():
    facts = dossier(accepted=None, finished=vn(2026, 4, 2, 9), status=Status.REFUSED)
    assert not in_scope(facts, APRIL)
    assert not finished_in(facts, APRIL)
    with pytest.raises(FactsError):
        judge(facts)


def test_timeliness_properties():
    assert [t.finished for t in Timeliness] == [True, True, True, False, False]
    assert [t.good for t in Timeliness] == [True, True, False, True, False]


# --- on the real calendar (07:00–11:30, 13:30–17:00; March 2026 has no holiday) ---------------

CALENDAR = package_calendar()


@pytest.mark.parametrize(
    ("finished", "expected"),
    [
        # Fri 06/03 16:00 → Mon 09/03 16:00: 1 h on Friday + 4.5 h + 2.5 h on Monday = 8 working hours.
        (vn(2026, 3, 6, 16), E),
        # From 16:30 it is 7.5 working hours, although 71.5 clock hours.
        (vn(2026, 3, 6, 16, 30), ON),
        # Mon 09/03 11:00 → 16:00: 0.5 h + 2.5 h = 3 h.
        (vn(2026, 3, 9, 11), ON),
    ],
)
def test_early_means_one_working_day_on_the_real_calendar(finished, expected):
    assert (
        classify_finish(finished, vn(2026, 3, 9, 16), working_hours_between=CALENDAR.working_hours_between) is expected
    )


def test_the_early_margin_is_a_parameter():
    # 33 h before is early with the default 8 h margin, on time with a 40 h one.
    args = {"working_hours_between": wall_hours}
    assert classify_finish(vn(2026, 4, 9, 8), DUE, **args) is E
    assert classify_finish(vn(2026, 4, 9, 8), DUE, early_margin_hours=Decimal(40), **args) is ON

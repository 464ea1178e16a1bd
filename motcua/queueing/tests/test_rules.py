"""The queue's pure rules with hand-computed values: numbers, calling order, hourly advice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from motcua.core.clock import VIETNAM
from motcua.queueing import rules
from motcua.queueing.rules import Interval, TicketTimes, Waiting

DAY1 = datetime(2025, 9, 8, tzinfo=VIETNAM)  # a Monday
DAY2 = datetime(2025, 9, 15, tzinfo=VIETNAM)  # the next Monday


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.mark.parametrize(("letter", "number", "code"), [("A", 1, "A001"), ("A", 12, "A012"), ("D", 1000, "D1000")])
def test_ticket_numbers_pad_to_three_digits(letter, number, code):
    assert rules.format_ticket(letter, number) == code


@pytest.mark.parametrize(("letter", "number"), [("a", 1), ("AB", 1), ("1", 1), ("A", 0)])
def test_bad_letters_and_numbers_are_refused(letter, number):
    with pytest.raises(ValueError, match=r"ticket|letter"):
        rules.format_ticket(letter, number)


def test_priority_tickets_are_called_first_then_first_come_first_served():
    nine = at(DAY1, 9)
    ordinary_early = Waiting(1, False, nine)
    ordinary_late = Waiting(2, False, nine + timedelta(minutes=5))
    priority_late = Waiting(3, True, nine + timedelta(minutes=10))
    priority_later = Waiting(4, True, nine + timedelta(minutes=11))
    queue = [ordinary_late, priority_later, ordinary_early, priority_late]

    order = sorted(queue, key=rules.call_order_key)

    assert [w.id for w in order] == [3, 4, 1, 2]
    assert rules.next_to_call(queue) == priority_late
    assert rules.people_ahead(ordinary_late, queue) == 3
    assert rules.people_ahead(priority_late, queue) == 0
    assert rules.next_to_call([]) is None


def test_same_second_tickets_keep_their_issue_order():
    nine = at(DAY1, 9)
    assert rules.next_to_call([Waiting(8, False, nine), Waiting(7, False, nine)]).id == 7


def test_wait_and_service_minutes_come_from_the_time_stamps():
    t = TicketTimes(at(DAY1, 8), at(DAY1, 8, 12), at(DAY1, 8, 13), at(DAY1, 8, 23))
    assert (t.wait, t.service) == (12.0, 10.0)
    assert TicketTimes(at(DAY1, 8)).wait is None


def _hour_eight_tickets() -> list[TicketTimes]:
    # 12 tickets issued between 08:00 and 08:59 over two Mondays; each served 10 minutes;
    # half waited 4 minutes, half 20: mean wait 12.
    tickets = []
    for day in (DAY1, DAY2):
        for n in range(6):
            issued = at(day, 8, n * 9)
            wait = 4 if n % 2 else 20
            called = issued + timedelta(minutes=wait)
            tickets.append(TicketTimes(issued, called, called, called + timedelta(minutes=10)))
    return tickets


def test_advice_per_hour_from_observed_rates():
    # λ = 12 / 2 days = 6 per hour; s = 10 min; a = 1 erlang.
    # c = 2: B(2,1) = 0.2, C = 2·0.2 / (2 − 0.8) = 1/3, Wq = (1/3)·10 / (2 − 1) = 3.3 min ≤ 15 → 2.
    sessions = [
        Interval(at(DAY1, 7, 30), at(DAY1, 12)),  # the whole of 08:00–09:00 on day 1: 1 h
        Interval(at(DAY1, 8, 30), at(DAY1, 9)),  # half of it: 0.5 h
        Interval(at(DAY2, 8, 30), at(DAY2, 10)),  # half of it on day 2: 0.5 h
    ]

    rows = rules.advise_hours(_hour_eight_tickets(), sessions, [DAY1, DAY2], now=at(DAY2, 18), hours=[8, 9])

    eight, nine = rows
    assert eight.arrival_rate == 6.0
    assert eight.mean_service == 10.0
    assert eight.observed_wait == 12.0
    assert eight.counters_open == 1.0  # (1.5 + 0.5) counter-hours / 2 days
    assert eight.recommended == 2
    assert eight.meets_target is True
    assert (nine.arrival_rate, nine.recommended, nine.observed_wait, nine.meets_target) == (0.0, 0, None, None)
    assert nine.counters_open == 1.0  # day 1: 1 h, day 2: 1 h


def test_a_busy_hour_with_long_service_asks_for_more_counters_and_misses_the_target():
    # λ = 30 per hour on one day, s = 10 min: a = 5 erlangs; c = 6 gives Wq ≈ 5.9 min.
    issued = [at(DAY1, 9, 2 * n) for n in range(30)]
    tickets = [
        TicketTimes(i, i + timedelta(minutes=40), i + timedelta(minutes=40), i + timedelta(minutes=50)) for i in issued
    ]

    (row,) = rules.advise_hours(tickets, [], [DAY1], now=at(DAY1, 18), hours=[9])

    assert (row.arrival_rate, row.mean_service, row.observed_wait) == (30.0, 10.0, 40.0)
    assert row.recommended == 6
    assert row.meets_target is False
    assert row.counters_open == 0.0


def test_without_service_times_there_is_no_advice():
    (row,) = rules.advise_hours([TicketTimes(at(DAY1, 10))], [], [DAY1], now=at(DAY1, 18), hours=[10])
    assert row.arrival_rate == 1.0
    assert row.recommended is None


def test_an_open_session_counts_until_now():
    open_session = [Interval(at(DAY1, 10), None)]
    assert rules.open_hours(open_session, DAY1, 10, now=at(DAY1, 10, 30)) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("value", "largest", "width"), [(None, 10, 0), (0, 10, 0), (5, 10, 100), (0.01, 100, 1), (10, 10, 200)]
)
def test_bar_widths_are_proportional(value, largest, width):
    assert rules.bar_width(value, largest, full=200) == width

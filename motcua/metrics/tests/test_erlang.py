"""Erlang C against hand-computed and textbook values, a brute-force birth–death chain, and large c."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.metrics.erlang import (
    QueueError,
    counters_needed,
    erlang_b,
    erlang_c,
    mean_wait_minutes,
    offered_load,
    staffing_advice,
    wait_probability,
)


def test_ten_people_an_hour_five_minutes_each_by_hand():
    # a = 10 × 5 / 60 = 5/6 erlang.
    a = Fraction(5, 6)
    assert offered_load(10, 5) == pytest.approx(float(a))
    # One counter (M/M/1): P(wait) = ρ = 5/6; Wq = ρ·s / (1 − ρ) = (5/6)·5 / (1/6) = 25 minutes.
    assert wait_probability(10, 5, 1) == pytest.approx(5 / 6)
    assert mean_wait_minutes(10, 5, 1) == pytest.approx(25)
    # Two counters: B(1) = a / (1 + a) = 5/11; B(2) = a·B(1) / (2 + a·B(1)) = (25/66) / (157/66) = 25/157.
    b2 = a * Fraction(5, 11) / (2 + a * Fraction(5, 11))
    assert b2 == Fraction(25, 157)
    assert erlang_b(2, float(a)) == pytest.approx(float(b2))
    # C = 2·B / (2 − a·(1 − B)) = (50/157) / (204/157) = 25/102 ≈ 0.2451.
    c2 = 2 * b2 / (2 - a * (1 - b2))
    assert c2 == Fraction(25, 102)
    assert wait_probability(10, 5, 2) == pytest.approx(float(c2))
    # Wq = C·s / (c − a) = (25/102)·5 / (7/6) = 125/119 ≈ 1.05 minutes.
    assert mean_wait_minutes(10, 5, 2) == pytest.approx(float(Fraction(125, 119)))
    # So two counters meet the 15-minute target and one does not.
    assert counters_needed(10, 5) == 2


@pytest.mark.parametrize(
    ("servers", "load", "expected"),
    [
        (1, 0.5, 0.5),  # M/M/1: C = ρ
        (2, 1.0, 1 / 3),  # classic M/M/2 at ρ = 0.5
        (3, 2.0, 4 / 9),  # B(3, 2) = 4/19; C = (12/19) / (27/19)
        (10, 8.0, 0.409),  # Erlang C tables: 40.9 %
    ],
)
def test_textbook_values(servers, load, expected):
    assert erlang_c(servers, load) == pytest.approx(expected, abs=5e-4)


def brute_force(arrival_rate: float, service_minutes: float, servers: int, states: int = 4000) -> tuple[float, float]:
    """P(wait) and Wq (minutes) of the M/M/c birth–death chain, truncated at `states`, by detailed balance."""
    lam, mu = arrival_rate / 60, 1 / service_minutes
    weights = [1.0]
    for n in range(1, states):
        weights.append(weights[-1] * lam / (min(n, servers) * mu))
    total = sum(weights)
    p = [w / total for w in weights]
    p_wait = sum(p[servers:])
    queue_length = sum((n - servers) * pn for n, pn in enumerate(p) if n > servers)
    return p_wait, queue_length / lam  # Little: Wq = Lq / λ


@pytest.mark.parametrize(
    ("arrival_rate", "service_minutes", "servers"),
    [(10, 5, 1), (10, 5, 2), (30, 12, 7), (60, 8, 9), (100, 20, 36), (45, 3, 3)],
)
def test_agrees_with_the_birth_death_chain(arrival_rate, service_minutes, servers):
    p_wait, wq = brute_force(arrival_rate, service_minutes, servers)
    assert wait_probability(arrival_rate, service_minutes, servers) == pytest.approx(p_wait, rel=1e-9)
    assert mean_wait_minutes(arrival_rate, service_minutes, servers) == pytest.approx(wq, rel=1e-9)


def log_space_erlang_c(servers: int, load: float) -> float:
    """C(c, a) from its closed form with every term in logarithms (no overflow at large c)."""
    terms = [k * math.log(load) - math.lgamma(k + 1) for k in range(servers)]
    last = servers * math.log(load) - math.lgamma(servers + 1) + math.log(servers / (servers - load))
    biggest = max([*terms, last])
    denominator = sum(math.exp(t - biggest) for t in terms) + math.exp(last - biggest)
    return math.exp(last - biggest) / denominator


@pytest.mark.parametrize(("servers", "load"), [(200, 190.0), (1000, 950.0), (5000, 4990.0)])
def test_stable_for_many_servers(servers, load):
    # A naive a^c / c! overflows a float from c ≈ 170; the recursion never does.
    value = erlang_c(servers, load)
    assert 0 < value < 1
    assert value == pytest.approx(log_space_erlang_c(servers, load), rel=1e-9)


def test_overloaded_and_empty_queues():
    assert erlang_c(2, 2.0) == 1.0  # c ≤ a: everyone waits
    assert mean_wait_minutes(24, 5, 2) == math.inf  # a = 2 erlangs on 2 counters
    assert mean_wait_minutes(0, 5, 1) == 0.0
    assert counters_needed(0, 5) == 0


def test_counters_needed_is_the_fewest_meeting_the_target():
    # 120 people an hour, 10 minutes each: a = 20 erlangs; at least 21 counters to keep up.
    needed = counters_needed(120, 10)
    assert mean_wait_minutes(120, 10, needed) <= 15 < mean_wait_minutes(120, 10, needed - 1)
    assert counters_needed(120, 10, target_wait_minutes=1) > needed


def test_staffing_advice_reports_what_the_counters_give():
    advice = staffing_advice(10, 5)
    assert advice.counters == 2
    assert advice.wait_probability == pytest.approx(25 / 102)
    assert advice.mean_wait_minutes == pytest.approx(125 / 119)
    assert advice.utilisation == pytest.approx((5 / 6) / 2)
    assert staffing_advice(0, 5).utilisation == 0.0


@pytest.mark.parametrize(
    ("arrival_rate", "service_minutes", "target"),
    [(-1, 5, 15), (10, 0, 15), (10, -2, 15), (math.nan, 5, 15), (10, math.inf, 15), (10, 5, 0), (10, 5, -1)],
)
def test_impossible_parameters_are_refused(arrival_rate, service_minutes, target):
    with pytest.raises(QueueError):
        counters_needed(arrival_rate, service_minutes, target)


rates = st.floats(min_value=0, max_value=500, allow_nan=False)
services = st.floats(min_value=0.5, max_value=60, allow_nan=False)
targets = st.floats(min_value=0.5, max_value=60, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(rates, rates, services, targets)
def test_more_arrivals_never_need_fewer_counters(rate1, rate2, service, target):
    low, high = sorted((rate1, rate2))
    assert counters_needed(low, service, target) <= counters_needed(high, service, target)


@settings(max_examples=200, deadline=None)
@given(rates, services, services, targets)
def test_longer_service_never_needs_fewer_counters(rate, service1, service2, target):
    short, long = sorted((service1, service2))
    assert counters_needed(rate, short, target) <= counters_needed(rate, long, target)


@settings(max_examples=200, deadline=None)
@given(rates, services, targets, targets)
def test_a_stricter_target_never_needs_fewer_counters(rate, service, target1, target2):
    strict, loose = sorted((target1, target2))
    assert counters_needed(rate, service, loose) <= counters_needed(rate, service, strict)

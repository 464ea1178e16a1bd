"""Erlang C (the M/M/c queue) for the counter staffing advisor (SPEC §3.9; seed 001 §3.4, seed 004 III.7).

Citizens arrive at λ per hour (Poisson), a counter serves one in a mean of s minutes (exponential),
c counters share one queue. With the offered load a = λ·s/60 erlangs and c > a:

    P(wait) = C(c, a) = c·B(c, a) / (c − a·(1 − B(c, a)))      (B: Erlang B)
    Wq      = C(c, a) · s / (c − a)                              (mean wait in minutes)

B comes from the recursion B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)): every term lies in (0, 1],
so nothing overflows however many counters (no factorials, no powers). With c ≤ a the queue
grows without bound: everyone waits, and the mean wait is infinite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.metrics.facts import MetricsError

DEFAULT_TARGET_WAIT_MINUTES: Final = 15.0  # seed 001 §3.4: average wait ≤ 15 minutes
MAX_COUNTERS: Final = 100_000


class QueueError(MetricsError):
    """Queue parameters the model cannot take (negative, zero service time, no finite answer)."""

    code = "invalid_queue"


def _check(arrival_rate: float, mean_service_minutes: float) -> None:
    if not (math.isfinite(arrival_rate) and arrival_rate >= 0):
        raise QueueError(_("The arrival rate must be a finite number of people per hour, at least 0."))
    if not (math.isfinite(mean_service_minutes) and mean_service_minutes > 0):
        raise QueueError(_("The mean service time must be a finite number of minutes, above 0."))


def offered_load(arrival_rate: float, mean_service_minutes: float) -> float:
    """The load in erlangs: λ per hour × s minutes / 60."""
    _check(arrival_rate, mean_service_minutes)
    return arrival_rate * mean_service_minutes / 60


def erlang_b(servers: int, load: float) -> float:
    """Blocking probability B(c, a) by the stable recursion."""
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def _c_from_b(servers: int, load: float, b: float) -> float:
    return servers * b / (servers - load * (1 - b))


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits, C(c, a); 1 when c ≤ a (the queue never empties)."""
    if servers <= load:
        return 1.0
    return _c_from_b(servers, load, erlang_b(servers, load))


def wait_probability(arrival_rate: float, mean_service_minutes: float, servers: int) -> float:
    """P(wait) with `servers` counters open."""
    return erlang_c(servers, offered_load(arrival_rate, mean_service_minutes))


def mean_wait_minutes(arrival_rate: float, mean_service_minutes: float, servers: int) -> float:
    """Mean wait in the queue Wq, in minutes (inf when the counters cannot keep up)."""
    load = offered_load(arrival_rate, mean_service_minutes)
    if load == 0:
        return 0.0
    if servers <= load:
        return math.inf
    return erlang_c(servers, load) * mean_service_minutes / (servers - load)


def counters_needed(
    arrival_rate: float, mean_service_minutes: float, target_wait_minutes: float = DEFAULT_TARGET_WAIT_MINUTES
) -> int:
    """The fewest counters that keep the mean wait ≤ the target (0 when nobody comes)."""
    load = offered_load(arrival_rate, mean_service_minutes)
    if not (math.isfinite(target_wait_minutes) and target_wait_minutes > 0):
        raise QueueError(_("The target wait must be a finite number of minutes, above 0."))
    if load == 0:
        return 0
    servers = math.floor(load) + 1  # the fewest that keep up (c > a)
    b = erlang_b(servers, load)
    while _c_from_b(servers, load, b) * mean_service_minutes / (servers - load) > target_wait_minutes:
        servers += 1
        b = load * b / (servers + load * b)  # Erlang B one counter up, continuing the recursion
        if servers > MAX_COUNTERS:
            raise QueueError(_("More than %(count)s counters would be needed."), count=MAX_COUNTERS)
    return servers


@dataclass(frozen=True)
class StaffingAdvice:
    """The advisor's answer for one hour: counters to open and what to expect with them."""

    arrival_rate: float
    mean_service_minutes: float
    target_wait_minutes: float
    counters: int
    offered_load: float
    wait_probability: float
    mean_wait_minutes: float

    @property
    def utilisation(self) -> float:
        """Share of the open counters' time spent serving (0 with no counter open)."""
        return self.offered_load / self.counters if self.counters else 0.0


def staffing_advice(
    arrival_rate: float, mean_service_minutes: float, target_wait_minutes: float = DEFAULT_TARGET_WAIT_MINUTES
) -> StaffingAdvice:
    """Counters needed for the target, with the wait probability and mean wait they give."""
    counters = counters_needed(arrival_rate, mean_service_minutes, target_wait_minutes)
    load = offered_load(arrival_rate, mean_service_minutes)
    return StaffingAdvice(
        arrival_rate=arrival_rate,
        mean_service_minutes=mean_service_minutes,
        target_wait_minutes=target_wait_minutes,
        counters=counters,
        offered_load=load,
        wait_probability=erlang_c(counters, load) if counters else 0.0,
        mean_wait_minutes=mean_wait_minutes(arrival_rate, mean_service_minutes, counters) if counters else 0.0,
    )

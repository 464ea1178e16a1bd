"""The generated workload's dossiers, drawn (issue 6, `workload.py`): who files what, when, and what happens to it.

`DossierDraw` draws in two parts. The *skeleton* (procedure, channel, handling unit, submission
time) comes from the run's master stream, in order, so the dossier codes can be numbered by the
per-day counters in one place. The *life* (acceptance, supplements, payment pauses, apologies,
finish, return) and the extras (components, fees, documents, sync) come from the stream of the
dossier's chunk (`chunk_rng`), so chunks can be lived in parallel processes and still come out the
same whatever the number of processes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from itertools import accumulate
from typing import Any, Final, NamedTuple

from motcua.core.clock import VIETNAM
from motcua.demo.history import FALLBACK_WORKING_DAYS, _channel_table, _Offer, _offers
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import (
    Channel,
)
from motcua.dossiers.services.codes import configured_profiles
from motcua.dossiers.services.due import processing_time
from motcua.organizations.models import Unit
from motcua.workcalendar.arithmetic import WorkCalendar
from motcua.workcalendar.services import get_calendar

# Online filings by hour of day (as demo.history): a working-hours plateau and an evening peak.
ONLINE_HOURS: Final = (1, 0.5, 0.3, 0.3, 0.3, 1, 2, 4, 6, 7, 7, 6, 4, 5, 6, 6, 5, 4, 4, 5, 6, 6, 4, 2)
ONLINE_HOURS_CUMULATIVE: Final = tuple(accumulate(ONLINE_HOURS))
HOURS: Final = range(24)


# --- one dossier's life ------------------------------------------------------------------------


class Skeleton(NamedTuple):
    """What the master stream draws of a dossier (indices into `DossierDraw.offers` and the offer's units)."""

    offer: int
    channel: int
    handling: int
    submitted: datetime


@dataclass
class Planned:
    """One dossier as it stood at the end of the year, with every row that goes with it."""

    offer: _Offer
    channel: int
    handling: Unit
    receiving: Unit
    submitted: datetime
    code: str = ""
    status: str = Status.SUBMITTED
    accepted: datetime | None = None
    due: datetime | None = None
    due_before_apology: datetime | None = None
    finished: datetime | None = None
    returned: datetime | None = None
    outcome: str | None = None
    paused_at: datetime | None = None
    remaining: Decimal | None = None
    events: list[tuple[str, str, str, datetime, dict[str, Any]]] = field(default_factory=list)
    supplements: list[dict[str, Any]] = field(default_factory=list)
    apology: dict[str, Any] | None = None
    payment: dict[str, Any] | None = None  # a payment pause: fee paid through it


def due_of(story: Planned) -> datetime:
    """The due time of an accepted dossier (every generated acceptance sets one)."""
    if story.due is None:
        raise ValueError(f"dossier submitted at {story.submitted} has no due time")
    return story.due


class DossierDraw:
    """Draws dossiers (module docstring): skeletons from `master`, lives from `rng`, each in a fixed order."""

    def __init__(self, year: int, seed: int = 0) -> None:
        self.seed = seed
        self.master = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.rng = self.chunk_rng(0)
        self.calendar: WorkCalendar = get_calendar()
        self.end = datetime(year + 1, 1, 1, tzinfo=VIETNAM)
        self.offers = _offers()
        if not self.offers:
            raise ValueError("no demo procedures: run seed_demo --no-history first")
        # Cumulative weights, computed once: `choices` gives the same draws as with plain weights.
        self.offer_weights = list(accumulate(o.weight for o in self.offers))
        self.offer_range = range(len(self.offers))
        self.handling_weights = [list(accumulate(o.handling_weights)) for o in self.offers]
        self.channel_given = _channel_table(self.offers)
        days = [date(year, 1, 1) + timedelta(days=n) for n in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)]
        self.days = days
        self.day_weights = list(accumulate(0.45 if d.weekday() >= 5 else 1.0 for d in days))
        self.working_days = [d for d in days if self.calendar.is_working_day(d)]
        self.profiles = configured_profiles()

    # working time ----------------------------------------------------------------------------

    def after(self, start: datetime, hours: float) -> datetime:
        """`hours` working hours after `start`, to the second (as the national format keeps them)."""
        due = self.calendar.compute(start=start, amount=Decimal(str(round(hours, 4))), unit="working_hours").due_at
        return due.replace(microsecond=0)

    def due(self, offer: _Offer, channel: int, start: datetime) -> datetime:
        amount, unit = processing_time(offer.version, channel)
        if amount is None or not unit:
            amount, unit = Decimal(FALLBACK_WORKING_DAYS), "working_days"
        return self.calendar.compute(start=start, amount=amount, unit=unit).due_at.replace(microsecond=0)

    def hours(self, start: datetime, end: datetime) -> float:
        return float(self.calendar.working_hours_between(start, end)) if end > start else 0.0

    # the story -------------------------------------------------------------------------------

    def chunk_rng(self, chunk: int) -> random.Random:
        """The stream the lives of chunk `chunk` are drawn from (`rng` while that chunk is lived)."""
        return random.Random(f"workload-{self.seed}-{chunk}")  # noqa: S311 - reproducible test data

    def skeleton(self) -> Skeleton:
        """The next dossier's procedure (offer index), channel, handling unit (index) and submission time."""
        rng = self.master
        index = rng.choices(self.offer_range, cum_weights=self.offer_weights)[0]
        offer, shares = self.offers[index], self.channel_given[index]
        channel = int(rng.choices(list(shares), weights=list(shares.values()))[0])
        handling = rng.choices(range(len(offer.handling)), cum_weights=self.handling_weights[index])[0]
        if channel == Channel.ONLINE:
            day = rng.choices(self.days, cum_weights=self.day_weights)[0]
            hour = rng.choices(HOURS, cum_weights=ONLINE_HOURS_CUMULATIVE)[0]
            moment = clock_time(hour, rng.randrange(60), rng.randrange(60))
        else:
            day = rng.choice(self.working_days)
            seconds = rng.randrange(16200) if rng.random() < 0.62 else 23400 + rng.randrange(12600)
            moment = (datetime.combine(day, clock_time(7, 0)) + timedelta(seconds=seconds)).time()
        return Skeleton(index, channel, handling, datetime.combine(day, moment, tzinfo=VIETNAM))

    def planned(self, skeleton: Skeleton, code: str) -> Planned:
        """The dossier of `skeleton`, submitted: its life is still to be drawn (`live`)."""
        offer = self.offers[skeleton.offer]
        handling = offer.handling[skeleton.handling]
        submitted = skeleton.submitted
        story = Planned(offer, skeleton.channel, handling, offer.receiving_for[handling.pk], submitted, code=code)
        story.events.append(("submit", "draft", "submitted", submitted, {"channel": skeleton.channel}))
        return story

    def live(self, story: Planned) -> dict[str, Any]:
        """Draw the dossier's life, then its extras (`extras`), from `rng`."""
        self._live(story)
        return self.extras(story)

    def _live(self, story: Planned) -> None:
        rng, offer, channel = self.rng, story.offer, story.channel
        if channel != Channel.DIRECT and rng.random() < 0.03:
            at = self.after(story.submitted, rng.uniform(0.5, 7.5))
            if at < self.end:
                story.events.append(("refuse", "submitted", "refused", at, {"reason": "Hồ sơ không đúng thẩm quyền"}))
                story.status, story.finished = Status.REFUSED, at
            return
        delay = {1: 0.0, 2: rng.uniform(0.2, 6.0), 3: rng.uniform(2.0, 14.0)}[channel]
        accepted = self.after(story.submitted, delay) if delay else story.submitted
        if accepted >= self.end:
            return
        due = self.due(offer, channel, accepted)
        story.accepted, story.due, story.status = accepted, due, Status.PROCESSING
        story.events.append(("accept", "submitted", "processing", accepted, {"due_at": due}))
        roll, clock_start = rng.random(), accepted
        twice, once = roll < 0.012, roll < 0.075
        if not offer.version.immediate_result:
            for _ in range(2 if twice else 1 if once else 0):
                restarted = self._supplement(story, clock_start)
                if restarted is None:
                    return
                clock_start = restarted
        if 0.075 <= roll < 0.115 and any(fee[1] > 0 for fee in offer.fees):
            resumed = self._payment(story, clock_start)
            if resumed is None:
                return
            clock_start = resumed
        if roll > 0.993:
            self._stop(story, clock_start)
            return
        total = max(self.hours(clock_start, due_of(story)), 0.5)
        if roll > 0.983:
            self._close(story, "withdraw", self.after(clock_start, total * rng.uniform(0.1, 0.6)))
            return
        late = rng.random()
        if late < 0.04 and total > 9 and story.payment is None:
            self._apologize(story, clock_start, total)
        self._finish(story, clock_start, total, late)

    def _supplement(self, story: Planned, clock_start: datetime) -> datetime | None:
        """Asked within the first working days, back some days later: the full time restarts then."""
        rng = self.rng
        total = self.hours(clock_start, due_of(story))
        asked = self.after(clock_start, rng.uniform(0.5, max(1.0, min(24.0, total * 0.5))))
        if asked >= self.end:
            return None
        story.events.append(("request_supplement", "processing", "awaiting_supplement", asked, {"due_at": story.due}))
        request = {"requested_at": asked, "due_before": story.due, "supplied_at": None}
        story.supplements.append(request)
        back = self.after(asked + timedelta(days=rng.randint(1, 8)), rng.uniform(0.05, 4.0))
        if back >= self.end:
            story.status = Status.AWAITING_SUPPLEMENT
            return None
        new_due = self.due(story.offer, story.channel, back)
        story.events.append(
            (
                "submit_supplement",
                "awaiting_supplement",
                "processing",
                back,
                {"previous_due_at": story.due, "due_at": new_due},
            )
        )
        request["supplied_at"] = back
        story.due = new_due
        return back

    def _payment(self, story: Planned, clock_start: datetime) -> datetime | None:
        """A financial obligation asked during appraisal: the clock stops with what is left of it."""
        rng = self.rng
        due = due_of(story)
        asked = self.after(clock_start, rng.uniform(1, max(1.0, self.hours(clock_start, due) * 0.5)))
        if asked >= self.end:
            return None
        remaining = self.calendar.working_hours_between(asked, due) if due > asked else Decimal(0)
        story.events.append(
            (
                "request_payment",
                "processing",
                "awaiting_payment",
                asked,
                {"remaining_working_hours": remaining, "due_at": due, "amount": None, "note": ""},
            )
        )
        method = rng.choice(("dvcqg", "online", "cash"))
        story.payment = {"method": method, "paid_at": None}
        paid = asked + timedelta(days=rng.uniform(0.5, 6))
        if paid >= self.end:
            story.status, story.paused_at, story.remaining = Status.AWAITING_PAYMENT, asked, remaining
            return None
        paid = paid.replace(microsecond=0)
        new_due = self.calendar.compute(start=paid, amount=remaining, unit="working_hours").due_at if remaining else due
        story.events.append(
            (
                "confirm_payment",
                "awaiting_payment",
                "processing",
                paid,
                {"previous_due_at": due, "due_at": new_due, "method": method, "reference": ""},
            )
        )
        story.payment["paid_at"] = paid
        story.due = new_due
        return paid

    def _apologize(self, story: Planned, clock_start: datetime, total: float) -> None:
        """A working day or more ahead of the due time, a new promise (Decree 61/2018 Art. 19.9)."""
        rng, old = self.rng, due_of(story)
        at = self.after(clock_start, (total - 8.5) * rng.uniform(0.3, 0.9))
        if at >= self.end or self.hours(at, old) < 8:
            return
        new = self.after(old, rng.uniform(8, 40))
        data = {"reason": "Cần xác minh thêm thông tin", "old_due_at": old, "new_due_at": new}
        story.events.append(("apologize", "processing", "processing", at, data))
        story.apology = {"reason": data["reason"], "old_due_at": old, "new_due_at": new, "issued_at": at}
        story.due_before_apology, story.due = old, new

    def _stop(self, story: Planned, clock_start: datetime) -> None:
        """The supplement never came: closed 15 days after the notice."""
        rng = self.rng
        asked = self.after(clock_start, rng.uniform(1, 12))
        if asked >= self.end:
            return
        story.events.append(("request_supplement", "processing", "awaiting_supplement", asked, {"due_at": story.due}))
        story.supplements.append({"requested_at": asked, "due_before": story.due, "supplied_at": None})
        story.status = Status.AWAITING_SUPPLEMENT
        self._close(story, "stop", self.after(asked + timedelta(days=15), rng.uniform(0, 8)))

    def _close(self, story: Planned, action: str, at: datetime) -> None:
        if at >= self.end:
            return
        target = Status.WITHDRAWN if action == "withdraw" else Status.STOPPED
        story.events.append((action, str(story.status), target, at, {"reason": "Theo đề nghị của người nộp"}))
        story.status, story.finished = target, at

    def _finish(self, story: Planned, clock_start: datetime, total: float, roll: float) -> None:
        """About 91 % on time (a quarter of those well ahead); the late ones mostly by a little."""
        rng, due = self.rng, story.due_before_apology or due_of(story)
        if story.apology is not None:  # late against the promise it replaced, mostly kept the new one
            finished = self.after(due, rng.uniform(0.5, 30))
        elif roll < 0.09:
            extra = rng.uniform(0.5, max(2.0, total * 0.35)) if roll < 0.06 else rng.uniform(16.0, 200.0)
            finished = self.after(due, extra)
        elif story.offer.version.immediate_result:
            finished = self.after(clock_start, min(total, rng.uniform(0.1, 1.5)))
        else:
            share = rng.uniform(0.15, 0.5) if roll < 0.32 else rng.uniform(0.5, 0.98)
            finished = min(self.after(clock_start, total * share), due)
        finished = max(finished, clock_start)
        if finished >= self.end:
            return
        outcome = "denied" if rng.random() < 0.03 else "approved"
        story.events.append(("resolve", "processing", "resolved", finished, {"outcome": outcome}))
        story.status, story.finished, story.outcome = Status.RESOLVED, finished, outcome
        returned = self._returned(story, finished)
        if returned < self.end:
            story.events.append(("return_result", "resolved", "returned", returned, {}))
            story.status, story.returned = Status.RETURNED, returned

    def _returned(self, story: Planned, finished: datetime) -> datetime:
        rng = self.rng
        if story.channel == Channel.ONLINE and rng.random() < 0.55:
            return finished + timedelta(seconds=rng.randrange(60, 900))
        if story.offer.version.immediate_result and rng.random() < 0.8:
            return finished + timedelta(seconds=rng.randrange(30, 600))
        roll = rng.random()
        hours = rng.uniform(0.5, 16) if roll < 0.5 else rng.uniform(16, 80) if roll < 0.8 else rng.uniform(80, 320)
        return self.after(finished, hours)

    # extras ----------------------------------------------------------------------------------

    def extras(self, story: Planned) -> dict[str, Any]:
        """Components, fees, documents and sync of a dossier (drawn after its life, in a fixed order)."""
        rng, offer, online = self.rng, story.offer, story.channel == Channel.ONLINE
        chosen = [c for c in offer.components if c[2] or rng.random() < 0.2] or list(offer.components[:1])
        components = []
        for code, _name, _required in chosen:
            digitized = online or rng.random() < 0.7
            reused = rng.random() < (0.25 if online else 0.08)
            components.append((code, digitized, reused))
        paid_online = online and rng.random() < 0.75
        portal = rng.random() < 0.6
        decided = story.status in (Status.RESOLVED, Status.RETURNED) and story.outcome == "approved"
        result = decided and offer.result is not None and rng.random() < 0.9
        signed = result and (online or rng.random() < 0.55)
        certified = decided and rng.random() < 0.5
        synced = story.accepted is not None and rng.random() < 0.93
        return {
            "components": components,
            "paid_online": paid_online,
            "portal": portal,
            "result": result,
            "signed": signed,
            "certified": certified,
            "synced": synced,
        }

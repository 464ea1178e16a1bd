"""A generated workload of dossiers for load tests and benchmarks (issue 6): `generate_workload`.

`workload_generate(dossiers=N, seed=S)` writes N dossiers of one year of the demo province (its
procedures, offerings, units and working calendar; created with `seed_structure`, `seed_catalog`
and `seed_offerings` when absent, so `seed_demo --no-history` first is optional) with the rows
the system itself writes for them, in bulk:

- the dossier row as the services leave it (status, times, due time in force, the due time
  before an apology, supplement count, clock pause for payments);
- its events, hash-chained exactly as `events.event_append` chains them (`verify_audit` passes),
  with the data the services put in them (`due_at`, `previous_due_at`, `old_due_at`/`new_due_at`);
- components (digitized, taken from the vault), fee lines (paid online through the national
  portal or the province's gateway, or in cash), supplement requests, apologies, result and
  certified-copy documents (signed: electronic results), delivered national-portal sync messages.

The mix follows `demo.history` (procedure weights, channel shares by procedure, units, office
hours): about 45 % online, 50 % direct, 5 % post; 3 % of online and postal filings refused at
reception; supplements once (6 %) or twice (1.2 %); payment pauses; apologies; withdrawals and
stops; about 91 % finished on time; late tails; 3 % of decisions refusals; whatever had not
happened by the end of the year left open. Deterministic: the same seed, count and year on the
same catalog give the same dossiers (codes continue the per-day counters, so a second run adds
new dossiers rather than colliding).

On PostgreSQL rows go in with `COPY`, as text put together here (ids reserved from the sequences
first, because each event's hash covers its dossier id and each fact row names its last event); on
SQLite with `bulk_create`. The metrics facts and aggregates are computed from the written records as
the batches go (`workload_metrics`, by the same functions that compute them from the database), so
`recompute_metrics --check` agrees; `metrics="rebuild"` runs `metrics_rebuild` afterwards instead.
Optional parts: ratings of returned dossiers (about a third rated, "not yet satisfied" mostly
after a late finish) when `motcua.feedback` is installed and migrated, drawn from their own random
stream so the dossiers are the same with or without them; queue tickets (`motcua.queueing`) are not
generated yet. Open dossiers get no workflow step (no inbox entry).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from functools import cache
from itertools import accumulate
from typing import Any, Final

from django.db import connection, models, transaction

from motcua.accounts.models import User
from motcua.accounts.services import system_account
from motcua.catalog.models import Component
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.text import fold
from motcua.demo.history import FALLBACK_WORKING_DAYS, _channel_table, _Offer, _offers
from motcua.documents.models import Document, DocumentKind, StoredFile
from motcua.dossiers import audit, codes
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import (
    Apology,
    Channel,
    DailySequence,
    Dossier,
    DossierComponent,
    DossierEvent,
    FeeLine,
    ReturnMethod,
    SupplementRequest,
)
from motcua.dossiers.services.codes import configured_profiles
from motcua.dossiers.services.due import processing_time
from motcua.integrations.models import OutboxKind, OutboxMessage
from motcua.metrics.dossier_timeline import EventRow
from motcua.organizations.models import Unit
from motcua.workcalendar.arithmetic import WorkCalendar
from motcua.workcalendar.services import get_calendar

Say = Callable[[str], None]

WORKLOAD_USERNAME: Final = "workload"
BATCH: Final = 5000
CERTIFICATION_FIELD: Final = "chung thuc"
RETURN_METHODS: Final[dict[int, str]] = {Channel.DIRECT: ReturnMethod.COUNTER, Channel.ONLINE: ReturnMethod.ELECTRONIC}
# Online filings by hour of day (as demo.history): a working-hours plateau and an evening peak.
ONLINE_HOURS: Final = (1, 0.5, 0.3, 0.3, 0.3, 1, 2, 4, 6, 7, 7, 6, 4, 5, 6, 6, 5, 4, 4, 5, 6, 6, 4, 2)
ONLINE_HOURS_CUMULATIVE: Final = tuple(accumulate(ONLINE_HOURS))
HOURS: Final = range(24)


@dataclass(frozen=True)
class WorkloadSummary:
    """What one run wrote."""

    dossiers: int
    accepted: int
    events: int
    year: int
    seconds: float
    by_status: dict[str, int] = field(default_factory=dict)
    rebuild_seconds: float | None = None
    metrics: str = "inline"
    metrics_seconds: float | None = None  # of `seconds`, computing the facts and aggregates inline
    left_out: tuple[str, ...] = ()

    def __str__(self) -> str:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items()))
        text = (
            f"{self.dossiers} dossiers of {self.year} ({self.accepted} accepted), {self.events} events "
            f"in {self.seconds:.1f} s ({self.dossiers / max(self.seconds, 1e-9):.0f}/s)\nby status: {statuses}"
        )
        if self.rebuild_seconds is not None:
            text += f"\nmetrics rebuilt in {self.rebuild_seconds:.1f} s"
        if self.metrics_seconds is not None:
            text += f"\nmetrics facts and aggregates computed inline: {self.metrics_seconds:.1f} s of it"
        if self.metrics == "none":
            text += "\nmetrics not updated: run metrics_rebuild"
        if self.left_out:
            text += "\nnot generated (their apps are not installed): " + ", ".join(self.left_out)
        return text


# --- one dossier's life ------------------------------------------------------------------------


@dataclass
class _Planned:
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


def _due(story: _Planned) -> datetime:
    """The due time of an accepted dossier (every generated acceptance sets one)."""
    if story.due is None:
        raise ValueError(f"dossier submitted at {story.submitted} has no due time")
    return story.due


class _Story:
    """Draws dossiers (module docstring). Every random choice comes from `rng`, in a fixed order."""

    def __init__(self, rng: random.Random, year: int, seed: int = 0) -> None:
        self.rng = rng
        self.seed = seed
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

    def draw(self) -> _Planned:
        rng = self.rng
        index = rng.choices(self.offer_range, cum_weights=self.offer_weights)[0]
        offer, shares = self.offers[index], self.channel_given[index]
        channel = int(rng.choices(list(shares), weights=list(shares.values()))[0])
        handling = rng.choices(offer.handling, cum_weights=self.handling_weights[index])[0]
        if channel == Channel.ONLINE:
            day = rng.choices(self.days, cum_weights=self.day_weights)[0]
            hour = rng.choices(HOURS, cum_weights=ONLINE_HOURS_CUMULATIVE)[0]
            moment = clock_time(hour, rng.randrange(60), rng.randrange(60))
        else:
            day = rng.choice(self.working_days)
            seconds = rng.randrange(16200) if rng.random() < 0.62 else 23400 + rng.randrange(12600)
            moment = (datetime.combine(day, clock_time(7, 0)) + timedelta(seconds=seconds)).time()
        submitted = datetime.combine(day, moment, tzinfo=VIETNAM)
        story = _Planned(offer, channel, handling, offer.receiving_for[handling.pk], submitted)
        story.events.append(("submit", "draft", "submitted", submitted, {"channel": channel}))
        self._live(story)
        return story

    def _live(self, story: _Planned) -> None:
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
        total = max(self.hours(clock_start, _due(story)), 0.5)
        if roll > 0.983:
            self._close(story, "withdraw", self.after(clock_start, total * rng.uniform(0.1, 0.6)))
            return
        late = rng.random()
        if late < 0.04 and total > 9 and story.payment is None:
            self._apologize(story, clock_start, total)
        self._finish(story, clock_start, total, late)

    def _supplement(self, story: _Planned, clock_start: datetime) -> datetime | None:
        """Asked within the first working days, back some days later: the full time restarts then."""
        rng = self.rng
        total = self.hours(clock_start, _due(story))
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

    def _payment(self, story: _Planned, clock_start: datetime) -> datetime | None:
        """A financial obligation asked during appraisal: the clock stops with what is left of it."""
        rng = self.rng
        due = _due(story)
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

    def _apologize(self, story: _Planned, clock_start: datetime, total: float) -> None:
        """A working day or more ahead of the due time, a new promise (Decree 61/2018 Art. 19.9)."""
        rng, old = self.rng, _due(story)
        at = self.after(clock_start, (total - 8.5) * rng.uniform(0.3, 0.9))
        if at >= self.end or self.hours(at, old) < 8:
            return
        new = self.after(old, rng.uniform(8, 40))
        data = {"reason": "Cần xác minh thêm thông tin", "old_due_at": old, "new_due_at": new}
        story.events.append(("apologize", "processing", "processing", at, data))
        story.apology = {"reason": data["reason"], "old_due_at": old, "new_due_at": new, "issued_at": at}
        story.due_before_apology, story.due = old, new

    def _stop(self, story: _Planned, clock_start: datetime) -> None:
        """The supplement never came: closed 15 days after the notice."""
        rng = self.rng
        asked = self.after(clock_start, rng.uniform(1, 12))
        if asked >= self.end:
            return
        story.events.append(("request_supplement", "processing", "awaiting_supplement", asked, {"due_at": story.due}))
        story.supplements.append({"requested_at": asked, "due_before": story.due, "supplied_at": None})
        story.status = Status.AWAITING_SUPPLEMENT
        self._close(story, "stop", self.after(asked + timedelta(days=15), rng.uniform(0, 8)))

    def _close(self, story: _Planned, action: str, at: datetime) -> None:
        if at >= self.end:
            return
        target = Status.WITHDRAWN if action == "withdraw" else Status.STOPPED
        story.events.append((action, str(story.status), target, at, {"reason": "Theo đề nghị của người nộp"}))
        story.status, story.finished = target, at

    def _finish(self, story: _Planned, clock_start: datetime, total: float, roll: float) -> None:
        """About 91 % on time (a quarter of those well ahead); the late ones mostly by a little."""
        rng, due = self.rng, story.due_before_apology or _due(story)
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

    def _returned(self, story: _Planned, finished: datetime) -> datetime:
        rng = self.rng
        if story.channel == Channel.ONLINE and rng.random() < 0.55:
            return finished + timedelta(seconds=rng.randrange(60, 900))
        if story.offer.version.immediate_result and rng.random() < 0.8:
            return finished + timedelta(seconds=rng.randrange(30, 600))
        roll = rng.random()
        hours = rng.uniform(0.5, 16) if roll < 0.5 else rng.uniform(16, 80) if roll < 0.8 else rng.uniform(80, 320)
        return self.after(finished, hours)

    # extras ----------------------------------------------------------------------------------

    def extras(self, story: _Planned) -> dict[str, Any]:
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


# --- the rows ----------------------------------------------------------------------------------


_ACTIONS: Final = {str(action.value): str(action) for action in Action}


@cache
def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _plain(value: Any) -> Any:
    """A value of event data as `audit.normalize` stores it (times in UTC ISO, decimals as strings)."""
    if isinstance(value, datetime):
        return audit.iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Written:
    """What was written of one dossier, as `collect.records_for` would read it back (its metric flags)."""

    pk: int
    story: _Planned
    events: list[EventRow] = field(default_factory=list)
    components: tuple[bool, bool] | None = None  # every component filed, one reused
    fees: tuple[bool, bool] | None = None  # a fee above zero, one paid online
    documents: set[str] = field(default_factory=set)  # "result", "e_result", "e_certified_copy"
    synced: bool = False
    negative_rating: bool = False


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class _Table:
    """A model's columns for COPY / bulk_create: values by attname, the rest from field defaults.

    On PostgreSQL each row becomes one line of COPY text right away (`add`), encoded column by
    column without the per-value adapter lookups of `write_row`; on SQLite the rows go to `bulk_create`.
    """

    def __init__(self, model: type[models.Model], *, with_pk: bool) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.has_default():
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, models.CharField | models.TextField) and f.blank:
                self.defaults[f.attname] = ""
        self.copy = connection.vendor == "postgresql"
        # (attname, encoder, the default already encoded: None when the column has no default)
        self.plan: list[tuple[str, Callable[[Any], str], str | None]] = []
        for name in self.attnames:
            encode = _json_text if name in self.json else _copy_text
            self.plan.append((name, encode, encode(self.defaults[name]) if name in self.defaults else None))
        self.rows: list[dict[str, Any]] = []
        self.lines: list[str] = []

    def add(self, **values: Any) -> None:
        if not self.copy:
            self.rows.append(values)
            return
        self.lines.append(
            "\t".join(
                [
                    encode(values[name]) if name in values else fallback  # type: ignore[misc]
                    for name, encode, fallback in self.plan
                ]
            )
        )

    def __len__(self) -> int:
        return len(self.lines) + len(self.rows)

    def write(self) -> None:
        if self.lines:
            table = connection.ops.quote_name(self.model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write("\n".join(self.lines) + "\n")
            self.lines = []
        if self.rows:
            defaults = self.defaults
            self.model.objects.bulk_create(  # type: ignore[attr-defined]
                [self.model(**{**defaults, **values}) for values in self.rows], batch_size=1000
            )
            self.rows = []


_COPY_ESCAPES: Final = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_COPY_SPECIAL: Final = re.compile(r"[\\\t\n\r]")


def _copy_text(value: Any) -> str:
    """One value in COPY text format (NULL as \\N, booleans t/f, aware times with their offset)."""
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(value) else value
    if kind is int:
        return str(value)
    if value is None:
        return "\\N"
    if kind is bool:
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return _copy_text(str(value))
    return str(value)


def _json_text(value: Any) -> str:
    text = value.text if isinstance(value, _Raw) else _json(value)
    return text.translate(_COPY_ESCAPES) if _COPY_SPECIAL.search(text) else text


@dataclass(frozen=True)
class _Raw:
    """A JSON value already serialized (an event's data, dumped once for its hash and its row)."""

    text: str
    value: Any


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids for `count` new rows, taken before writing (each event's hash covers its dossier id)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = int(cursor.fetchone()[0]) + 1
    return list(range(start, start + count))


class _Writer:
    """Turns planned dossiers into rows and writes them a batch at a time."""

    def __init__(self, story: _Story) -> None:
        self.story = story
        self.account = _account()
        self.stored_file = _placeholder_file(self.account)
        self.components = {
            (c.version_id, c.code): c.pk
            for c in Component.objects.filter(version_id__in={o.version.pk for o in story.offers})
        }
        self.certification = {
            o.version.pk
            for o in story.offers
            if o.version.field is not None and CERTIFICATION_FIELD in fold(o.version.field.name)
        }
        # The per-day counters of the year so far: generated codes continue them.
        self.sequences: dict[tuple[str, date], int] = {
            (prefix, day): number
            for prefix, day, number in DailySequence.objects.filter(day__year=story.end.year - 1).values_list(
                "prefix", "day", "last_number"
            )
        }
        self.tables = {
            name: _Table(model, with_pk=name in ("dossiers", "events"))  # ids reserved: hashes, facts
            for name, model in (
                ("dossiers", Dossier),
                ("events", DossierEvent),
                ("components", DossierComponent),
                ("fees", FeeLine),
                ("requests", SupplementRequest),
                ("apologies", Apology),
                ("documents", Document),
                ("outbox", OutboxMessage),
            )
        }
        self.events = 0
        rating = _rating_model()
        self.ratings: _Ratings | None = None
        if rating is not None:
            self.tables["ratings"] = _Table(rating, with_pk=False)
            self.ratings = _Ratings(story.seed, self.tables["ratings"])

    def code(self, story: _Planned) -> str:
        day = codes.local_day(story.submitted)
        inputs = codes.PrefixInputs(
            receiving=story.receiving.code,
            handling=story.handling.code,
            inter_agency=story.offer.version.inter_agency,
            online=story.channel == Channel.ONLINE,
        )
        profile = codes.profile_for(day, self.story.profiles)
        prefix = codes.prefix_for(profile, inputs)
        key = (prefix, day)
        number = self.sequences[key] = self.sequences.get(key, 0) + 1
        return codes.format_code(prefix, day, number, min_digits=profile.min_digits)

    def write(self, stories: Sequence[_Planned], extras: Sequence[dict[str, Any]]) -> list[Written]:
        """Write a batch; what was written of each dossier comes back for the metrics (`workload_metrics`)."""
        ids = _reserve_ids(Dossier, len(stories))
        event_ids = iter(_reserve_ids(DossierEvent, sum(len(story.events) for story in stories)))
        now = clock.now()
        written = []
        for pk, story, extra in zip(ids, stories, extras, strict=True):
            story.code = self.code(story)
            self._dossier(pk, story, now)
            events = self._events(pk, story, event_ids)
            done = self._details(pk, story, extra)
            done.events = events
            if self.ratings is not None:
                done.negative_rating = self.ratings.add(pk, story, self.story.end)
            written.append(done)
        for table in self.tables.values():
            table.write()
        return written

    def _dossier(self, pk: int, story: _Planned, now: datetime) -> None:
        offer = story.offer
        self.tables["dossiers"].add(
            id=pk,
            created_at=story.submitted,
            updated_at=now,
            code=story.code,
            procedure_id=offer.version.procedure_id,
            procedure_version_id=offer.version.pk,
            applicant_name="Nguyễn Văn An",
            submitted_by_id=self.account.pk,
            channel=story.channel,
            receiving_unit_id=story.receiving.pk,
            handling_unit_id=story.handling.pk,
            return_method=RETURN_METHODS.get(story.channel, ReturnMethod.POST),
            status=str(story.status),
            outcome=story.outcome,
            submitted_at=story.submitted,
            accepted_at=story.accepted,
            due_at=story.due,
            due_at_before_apology=story.due_before_apology,
            due_explanation=[{"kind": "generated"}] if story.due else [],
            finished_at=story.finished,
            returned_at=story.returned,
            clock_paused_at=story.paused_at,
            remaining_working_hours=story.remaining,
            supplement_count=len(story.supplements),
        )

    def _events(self, pk: int, story: _Planned, ids: Iterator[int]) -> list[EventRow]:
        """The dossier's events, hash-chained as `audit.chain_hash` does: the canonical text is put
        together here around the data dumped once (sorted keys), the same text `audit.canonical` gives."""
        table, prev, copy = self.tables["events"], audit.GENESIS, self.tables["events"].copy
        rows = []
        for sequence, (action, source, target, at, data) in enumerate(story.events, start=1):
            stored = {key: _plain(value) for key, value in data.items()}
            text = json.dumps(stored, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            name = _ACTIONS[action]
            canonical = (
                f'{{"action":{_quoted(name)},"actor":null,"at":"{audit.iso_utc(at)}","data":{text},'
                f'"dossier":{pk},"from":{_quoted(source)},"sequence":{sequence},"to":{_quoted(target)}}}'
            )
            digest = hashlib.sha256((prev + canonical).encode()).hexdigest()
            event_id = next(ids)
            table.add(
                id=event_id,
                dossier_id=pk,
                sequence=sequence,
                action=name,
                from_status=source,
                to_status=target,
                actor_id=None,
                at=at,
                data=_Raw(text, stored) if copy else stored,
                prev_hash=prev,
                hash=digest,
            )
            rows.append(EventRow(event_id, name, at, stored))
            prev = digest
        self.events += len(story.events)
        return rows

    def _details(self, pk: int, story: _Planned, extra: dict[str, Any]) -> Written:
        offer, tables = story.offer, self.tables
        done = Written(pk, story)
        for code, digitized, reused in extra["components"]:
            component = self.components.get((offer.version.pk, code))
            if component is None:
                continue
            filed, was_reused = done.components or (True, False)
            done.components = (filed and digitized, was_reused or reused)
            tables["components"].add(
                dossier_id=pk,
                component_id=component,
                copies=1,
                files=[f"workload/{story.code}/{code}.pdf"] if digitized else [],
                digitized=digitized,
                reused=reused,
                vault_document=None,
            )
        for name, amount, kind, channel in offer.fees:
            if channel not in (None, story.channel):
                continue
            paid_at, method = None, ""
            if story.payment is not None:
                paid_at, method = story.payment["paid_at"], story.payment["method"] if story.payment["paid_at"] else ""
            elif story.accepted is not None and amount > 0:
                online = extra["paid_online"]
                paid_at = story.submitted if online else story.accepted
                method = ("dvcqg" if extra["portal"] else "online") if online else "cash"
            tables["fees"].add(
                dossier_id=pk, code="", name=str(name)[:255], amount=amount, kind=kind, paid_at=paid_at, method=method
            )
            due, paid = done.fees or (False, False)
            owed = amount is not None and amount > 0
            done.fees = (due or owed, paid or (owed and paid_at is not None and method in ("dvcqg", "online")))
        for request in story.supplements:
            tables["requests"].add(
                dossier_id=pk, missing=["Giấy tờ còn thiếu"], requested_by_id=self.account.pk, **request
            )
        if story.apology is not None:
            tables["apologies"].add(dossier_id=pk, issued_by_id=self.account.pk, **story.apology)
        finished = story.finished
        if extra["result"] and finished is not None and offer.result is not None:
            self._document(story, DocumentKind.RESULT, offer.result[1], extra["signed"], finished)
            done.documents |= {"result", "e_result"} if extra["signed"] else {"result"}
        if extra["certified"] and finished is not None and offer.version.pk in self.certification:
            self._document(story, DocumentKind.CERTIFIED_COPY, "Bản sao chứng thực", True, finished)
            done.documents.add("e_certified_copy")
        if extra["synced"]:
            sent = story.accepted or story.submitted
            tables["outbox"].add(
                kind=OutboxKind.DVCQG_SYNC,
                payload={},
                idempotency_key=f"dvcqg:{pk}:{len(story.events)}",
                reference=story.code,
                created_at=sent,
                attempts=1,
                next_attempt_at=sent,
                delivered_at=sent + timedelta(seconds=5),
            )
            done.synced = True
        return done

    def _document(self, story: _Planned, kind: str, name: str, signed: bool, at: datetime) -> None:
        self.tables["documents"].add(
            kind=kind,
            stored_file_id=self.stored_file.pk,
            dossier_code=story.code,
            name=name[:255],
            signed=signed,
            signed_at=at if signed else None,
            created_at=at,
            digitization_status="done",
        )

    def finish(self) -> None:
        """Raise each (prefix, day) counter to the highest generated number, so live codes never collide."""
        table = connection.ops.quote_name(DailySequence._meta.db_table)
        larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
        sql = (
            f"INSERT INTO {table} (prefix, day, last_number) VALUES (%s, %s, %s) "  # noqa: S608 - our table
            f"ON CONFLICT (prefix, day) DO UPDATE SET last_number = {larger}({table}.last_number, excluded.last_number)"
        )
        rows = [(p, connection.ops.adapt_datefield_value(d), n) for (p, d), n in sorted(self.sequences.items())]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def _account() -> User:
    return system_account(username=WORKLOAD_USERNAME, full_name="Dữ liệu sinh tự động")


def _placeholder_file(account: User) -> StoredFile:
    """One stored file every generated document points at (the workload has no real PDFs)."""
    found, _ = StoredFile.objects.get_or_create(
        storage_key="workload/placeholder.pdf",
        defaults={"sha256": "0" * 64, "size": 0, "mime": "application/pdf", "uploaded_by": account},
    )
    return found


def demo_province_ensure(say: Say) -> None:
    """The demo province's units, catalog and offerings, created when absent (as `seed_demo --no-history`)."""
    from motcua.demo import province
    from motcua.demo.seed import seed_catalog, seed_offerings, seed_structure

    if Unit.objects.filter(code=province.SERVICE_CENTER).exists() and _offers():
        return
    units = seed_structure(say)
    seed_catalog(say)
    seed_offerings(units, say)


def _rating_model() -> type[models.Model] | None:
    """The feedback app's Rating, when the app is installed and its table exists (an optional part)."""
    from django.apps import apps

    if not apps.is_installed("motcua.feedback"):
        return None
    model = apps.get_model("feedback", "Rating")
    return model if model._meta.db_table in connection.introspection.table_names() else None


class _Ratings:
    """Ratings of returned dossiers (SPEC §3.8), from their own random stream so the dossiers stay the same."""

    CRITERIA: Final = (
        "overall",
        "return_time",
        "units_contacted",
        "contacts",
        "information",
        "attitude",
        "lawful_result_cost",
    )

    def __init__(self, seed: int, table: _Table) -> None:
        self.rng = random.Random(f"workload-ratings-{seed}")  # noqa: S311 - reproducible test data
        self.table = table

    def add(self, pk: int, story: _Planned, end: datetime) -> bool:
        """Rate the dossier or not; True when the rating is negative."""
        rng = self.rng
        if story.status != Status.RETURNED or story.returned is None or rng.random() >= 0.35:
            return False
        late = story.finished is not None and story.finished > (story.due_before_apology or _due(story))
        unhappy = rng.random() < (0.25 if late else 0.03)
        answers = {
            c: "not_satisfied" if unhappy and rng.random() < 0.4 else rng.choice(("very_satisfied", "satisfied"))
            for c in self.CRITERIA
        }
        if unhappy and "not_satisfied" not in answers.values():
            answers["return_time" if late else "attitude"] = "not_satisfied"
        at = min(story.returned + timedelta(minutes=rng.randrange(1, 4000)), end - timedelta(seconds=1))
        online, negative = story.channel == Channel.ONLINE, "not_satisfied" in answers.values()
        self.table.add(
            dossier_id=pk,
            rater_id=None,
            rater_key="applicant",
            channel="portal" if online else "counter_tablet",
            officer_id=None,
            answers=answers,
            comment="",
            negative=negative,
            created_at=max(at, story.returned),
        )
        return negative


def _optional_parts() -> tuple[str, ...]:
    """Parts of the workload not generated: ratings when the feedback app is not there, queue tickets (not yet)."""
    left = [] if _rating_model() is not None else ["ratings (motcua.feedback)"]
    return (*left, "queue tickets (motcua.queueing)")


def _batches(total: int, size: int) -> Iterable[int]:
    done = 0
    while done < total:
        step = min(size, total - done)
        yield step
        done += step


METRICS_MODES: Final = ("inline", "rebuild", "none")


def workload_generate(
    *,
    dossiers: int,
    seed: int,
    year: int | None = None,
    batch: int = BATCH,
    rebuild: bool = True,
    metrics: str = "inline",
    workers: int = 0,
    say: Say | None = None,
) -> WorkloadSummary:
    """Write `dossiers` generated dossiers of `year` (default: last year) and bring the metrics up to date.

    `metrics`: "inline" computes the facts and aggregates from the generator's own records as it
    writes (`workload_metrics`, the fast way), "rebuild" runs `metrics_rebuild` afterwards (reads
    everything back), "none" leaves them to a later rebuild (as `rebuild=False`). `workers`: processes
    computing the inline facts while the next batch is drawn (0: in this process).
    """
    if dossiers < 0:
        raise ValueError("the number of dossiers cannot be negative")
    if metrics not in METRICS_MODES:
        raise ValueError(f"metrics must be one of {', '.join(METRICS_MODES)}")
    mode = metrics if rebuild else "none"
    year = year or clock.local_today().year - 1
    if date(year + 1, 1, 1) > clock.local_today():
        raise ValueError("the generated year must be over: choose an earlier year")
    talk = say or (lambda text: None)
    demo_province_ensure(talk)
    started = time.perf_counter()
    story = _Story(random.Random(seed), year, seed)  # noqa: S311 - reproducible test data, not secrets
    writer = _Writer(story)
    inline = None
    if mode == "inline":
        from motcua.demo.workload_metrics import InlineMetrics

        inline = InlineMetrics([offer.version for offer in story.offers], workers=workers)
    by_status: dict[str, int] = {}
    accepted = done = 0
    metrics_seconds = 0.0
    try:
        for size in _batches(dossiers, batch):
            planned, extras = [], []
            for _ in range(size):  # each dossier's extras right after its life: the same for any batch size
                planned.append(story.draw())
                extras.append(story.extras(planned[-1]))
            with transaction.atomic():
                written = writer.write(planned, extras)
                if inline is not None:
                    begun = time.perf_counter()
                    inline.add(written, clock.now())
                    metrics_seconds += time.perf_counter() - begun
            for p in planned:
                by_status[str(p.status)] = by_status.get(str(p.status), 0) + 1
                accepted += p.accepted is not None
            done += size
            if say and (done % (batch * 10) == 0 or done == dossiers):
                elapsed = time.perf_counter() - started
                say(f"  {done}/{dossiers} dossiers, {elapsed:.0f} s ({done / max(elapsed, 1e-9):.0f}/s)")
        writer.finish()
        if inline is not None:
            begun = time.perf_counter()
            inline.finish()
            metrics_seconds += time.perf_counter() - begun
    finally:
        if inline is not None:
            inline.close()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seconds = time.perf_counter() - started
    rebuild_seconds = None
    if mode == "rebuild":
        from motcua.metrics.aggregates import metrics_rebuild

        started = time.perf_counter()
        metrics_rebuild(say=say)
        rebuild_seconds = time.perf_counter() - started
    return WorkloadSummary(
        dossiers=dossiers,
        accepted=accepted,
        events=writer.events,
        year=year,
        seconds=seconds,
        by_status=by_status,
        rebuild_seconds=rebuild_seconds,
        metrics=mode,
        metrics_seconds=metrics_seconds if inline is not None else None,
        left_out=_optional_parts(),
    )


__all__ = ["METRICS_MODES", "WorkloadSummary", "Written", "demo_province_ensure", "workload_generate"]

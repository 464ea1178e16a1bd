"""The maintained aggregates (SPEC §5.2c, §5.5): kept current from dossier events, rebuilt and checked on demand.

**What a dossier contributes** (`contributions`), all on the rows of its series (handling unit ×
procedure × field):
- on the local day it was accepted: received by channel, and the intake metrics it meets (1.4,
  3.3, 3.6, 4.2b, 4.3, 4.4, 4.5b);
- on the day it finished: finished early / on time / late (06a), late under the 766 rule, and the
  result metrics (4.1, 4.2), complaint (5.4);
- the *open* deltas: for each local midnight D, whether it is in progress at D (accepted before,
  not finished before) and then overdue or not (06a and 766 rules), and complained about. Only
  the changes are stored, on the row of the day before the midnight where they take effect, so
  "in progress at the start of day D" is the sum of the deltas of the days before D. A dossier's
  standing only changes at its events and when a due time passes, so it is evaluated (with the
  pure `classify`, as of that midnight) only at the first midnights after those instants. For a
  dossier still open, the future is projected as "nothing happens" (it turns overdue the
  midnight after its due time); its next event replaces the projection.

Every period end the API asks about is a local midnight (periods, 06a dates), except "now" for
the running period: the dossiers in progress now are counted from `DossierFact` (open rows,
partial index on the unit) with the instant after which each one is overdue.

**Freshness** (watermark design, dossiers untouched):
- `metrics_refresh` reads the dossier events after a stored watermark (and the last
  `MOTCUA_METRICS_EVENT_RESCAN` ids before it again, for transactions that committed out of id
  order; a dossier is rebuilt only if it has an event newer than its fact row), the dossiers
  another app marked with `metrics_mark_dirty`, and — in the periodic run — dossiers whose first
  national-portal sync was delivered and dossiers that got a result or certified-copy document;
  it rebuilds those dossiers' facts and applies new − old contributions to the daily and monthly
  rows, in one transaction holding the state row's lock.
- It runs periodically (`manage.py metrics_refresh` from cron / a systemd timer, or the
  `refresh_metrics` task) and on read: every index or report request first refreshes if a newer
  event exists or a dossier is marked (`metrics_ensure_fresh`, one indexed query when nothing is
  pending).
- `metrics_rebuild` recomputes everything from raw dossiers; `recompute.metrics_check` refreshes,
  then recomputes in memory and lists every aggregate figure and dossier fact that differs.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Model, OuterRef

from motcua.core import clock
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.models import OutboxKind, OutboxMessage
from motcua.metrics.collect import BATCH, records_for
from motcua.metrics.dossier_timeline import (
    DossierRecord,
    Timeline,
    calendar_hours,
    ceil_day_start,
    facts_at,
    local_day,
    overdue_after,
    skipping,
    timeline,
)
from motcua.metrics.facts import DECIDED, Channel, Outcome
from motcua.metrics.models import (
    COLUMNS,
    OPEN_COLUMNS,
    DailyAggregate,
    DossierFact,
    MetricsDirty,
    MetricsState,
    MonthlyAggregate,
)
from motcua.metrics.timeliness import Timeliness, WorkingHoursBetween, classify
from motcua.workcalendar.services import get_calendar

Series = tuple[int, int, str]  # unit id, procedure id, field code
Contributions = dict[str, dict[str, int]]  # ISO day → column → count
Deltas = dict[tuple[Series, date], Counter[str]]
Say = Callable[[str], None]

CHANNEL_COLUMN: Final = {
    Channel.DIRECT: "received_direct",
    Channel.ONLINE: "received_online",
    Channel.POSTAL: "received_postal",
}
FINISH_COLUMN: Final = {
    Timeliness.EARLY: "finished_early",
    Timeliness.ON_TIME: "finished_on_time",
    Timeliness.LATE: "finished_late",
}
_CLOSED: Final = (0, 0, 0, 0)
_TICK: Final = timedelta(microseconds=1)
DOCUMENT_RESCAN: Final = 100  # documents before the watermark looked at again (commit order)
SETTLE: Final = timedelta(minutes=5)


def event_rescan() -> int:
    return int(getattr(settings, "MOTCUA_METRICS_EVENT_RESCAN", 1000))


# --- one dossier's contributions ---------------------------------------------------------------


def _open_vector(record: DossierRecord, line: Timeline, at: datetime, hours: WorkingHoursBetween) -> tuple[int, ...]:
    """(in progress, overdue 06a, overdue 766, complained) at instant `at`."""
    if not (record.accepted_at < at and (record.finished_at is None or record.finished_at >= at)):
        return _CLOSED
    facts = facts_at(record, line, at)
    plain = classify(facts, at=at, working_hours_between=hours)
    strict = classify(facts, at=at, working_hours_between=hours, repeat_supplement_overdue=True)
    return (
        1,
        int(plain is Timeliness.OVERDUE),
        int(strict is Timeliness.OVERDUE),
        int(record.flags.complained),
    )


def contributions(record: DossierRecord, line: Timeline, hours: WorkingHoursBetween) -> Contributions:
    """What `record` adds to the daily rows of its series (module docstring)."""
    rows: dict[date, Counter[str]] = defaultdict(Counter)
    flags, channel = record.flags, Channel(record.channel)
    accepted = rows[local_day(record.accepted_at)]
    accepted[CHANNEL_COLUMN[channel]] += 1
    accepted.update(
        column
        for column, met in (
            ("synced_dvcqg", flags.synced_to_dvcqg),
            ("full_online_eligible", flags.eligible_full_online),
            (
                "full_online",
                flags.eligible_full_online and channel == Channel.ONLINE and (flags.e_result or not flags.has_result),
            ),
            ("fee_due", flags.has_fee),
            ("paid_online", flags.has_fee and flags.paid_online),
            ("fee_synced", flags.has_fee and flags.synced_to_dvcqg),
            ("certification", flags.is_certification),
            ("e_certified_copy", flags.is_certification and flags.e_certified_copy),
            ("reused", flags.reused),
            ("personal_store", flags.synced_to_personal_store),
            ("population_data", flags.used_population_data),
        )
        if met
    )
    if record.finished_at is not None:
        _finished(rows[local_day(record.finished_at)], record, line, hours)
    _open_deltas(rows, record, line, hours)
    return {
        day.isoformat(): {c: n for c, n in counts.items() if n} for day, counts in rows.items() if any(counts.values())
    }


def _finished(row: Counter[str], record: DossierRecord, line: Timeline, hours: WorkingHoursBetween) -> None:
    facts = facts_at(record, line)
    after = (record.finished_at or record.accepted_at) + _TICK
    flags = record.flags
    row["finished"] += 1
    row[FINISH_COLUMN[classify(facts, at=after, working_hours_between=hours)]] += 1
    strict = classify(facts, at=after, working_hours_between=hours, repeat_supplement_overdue=True)
    row.update(
        column
        for column, met in (
            ("finished_late_766", strict is Timeliness.LATE),
            ("finished_complained", flags.complained),
        )
        if met
    )
    if facts.status in DECIDED:
        row["decided"] += 1
        row.update(
            column
            for column, met in (
                ("digitized", flags.components_digitized and flags.result_digitized),
                ("result_due", flags.has_result and facts.outcome != Outcome.DENIED),
                ("e_result", flags.has_result and facts.outcome != Outcome.DENIED and flags.e_result),
            )
            if met
        )


def _open_deltas(
    rows: dict[date, Counter[str]], record: DossierRecord, line: Timeline, hours: WorkingHoursBetween
) -> None:
    midnights = sorted(
        {ceil_day_start(t, strict=strict) for t in line.change_points(record) for strict in (False, True)}
    )
    previous: tuple[int, ...] = _CLOSED
    for midnight in midnights:
        vector = _open_vector(record, line, midnight, hours)
        if vector == previous:
            continue
        row = rows[local_day(midnight) - timedelta(days=1)]
        for column, new, old in zip(OPEN_COLUMNS, vector, previous, strict=True):
            if new != old:
                row[column] += new - old
        previous = vector


@dataclass(frozen=True)
class FactRow:
    """A dossier's new `DossierFact` values."""

    record: DossierRecord
    contributions: Contributions
    overdue_after: datetime | None
    overdue_after_766: datetime | None

    @property
    def series(self) -> Series:
        return (self.record.unit_id, self.record.procedure_id, self.record.field_code)

    def model(self, now: datetime) -> DossierFact:
        record = self.record
        return DossierFact(
            dossier_id=record.pk,
            unit_id=record.unit_id,
            procedure_id=record.procedure_id,
            field_code=record.field_code,
            accepted_at=record.accepted_at,
            finished_at=record.finished_at,
            overdue_after=self.overdue_after,
            overdue_after_766=self.overdue_after_766,
            complained=record.flags.complained,
            synced_dvcqg=record.flags.synced_to_dvcqg,
            last_event_id=record.last_event_id,
            contributions=self.contributions,
            refreshed_at=now,
        )


def fact_row(record: DossierRecord, hours: WorkingHoursBetween, calendar: Any = None) -> FactRow:
    line = timeline(record, calendar=calendar)
    after = after_766 = None
    if record.finished_at is None:
        facts = facts_at(record, line)
        after = overdue_after(facts, repeat_supplement_overdue=False)
        after_766 = overdue_after(facts, repeat_supplement_overdue=True)
    return FactRow(record, contributions(record, line, hours), after, after_766)


def fact_rows(ids: Sequence[int]) -> Iterator[FactRow]:
    """Fresh fact rows of the accepted dossiers among `ids`, loaded a batch at a time."""
    calendar = get_calendar()
    hours = calendar_hours(calendar)
    for start in range(0, len(ids), BATCH):
        for record in records_for(ids[start : start + BATCH]):
            row = None
            with skipping(record):
                row = fact_row(record, hours, calendar)
            if row is not None:
                yield row


# --- writing the rows --------------------------------------------------------------------------


def add_contributions(deltas: Deltas, series: Series, contributed: Contributions, sign: int) -> None:
    for day, counts in contributed.items():
        target = deltas[(series, date.fromisoformat(day))]
        for column, value in counts.items():
            target[column] += sign * value


def by_month(deltas: Deltas) -> Deltas:
    months: Deltas = defaultdict(Counter)
    for (series, day), counts in deltas.items():
        months[(series, day.replace(day=1))].update(counts)
    return months


def _upsert(model: type[Model], period: str, deltas: Deltas) -> None:
    """Add `deltas` to the rows (created when missing) in one statement per batch, on both databases."""
    table = connection.ops.quote_name(model._meta.db_table)
    key = ["unit_id", "procedure_id", "field_code", period]
    names = ", ".join(connection.ops.quote_name(c) for c in (*key, *COLUMNS))
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in COLUMNS)
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * (len(key) + len(COLUMNS)))}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}"
    )
    params = [
        (*series, connection.ops.adapt_datefield_value(day), *(counts.get(c, 0) for c in COLUMNS))
        for (series, day), counts in sorted(deltas.items())
        if any(counts.values())
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])


def _write(deltas: Deltas) -> None:
    _upsert(DailyAggregate, "day", deltas)
    _upsert(MonthlyAggregate, "month", by_month(deltas))


_FACT_FIELDS: Final = [
    "unit",
    "procedure",
    "field_code",
    "accepted_at",
    "finished_at",
    "overdue_after",
    "overdue_after_766",
    "complained",
    "synced_dvcqg",
    "last_event_id",
    "contributions",
    "refreshed_at",
]


def _facts_refresh(ids: Iterable[int]) -> int:
    """Rebuild the facts of `ids` and move the aggregates by new − old contributions."""
    wanted = sorted(set(ids))
    now = clock.now()
    deltas: Deltas = defaultdict(Counter)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        old = {f.dossier_id: f for f in DossierFact.objects.filter(dossier_id__in=chunk)}
        new = list(fact_rows(chunk))
        for row in new:
            add_contributions(deltas, row.series, row.contributions, +1)
        for fact in old.values():
            add_contributions(deltas, (fact.unit_id, fact.procedure_id, fact.field_code), fact.contributions, -1)
        gone = set(old) - {row.record.pk for row in new}
        DossierFact.objects.filter(dossier_id__in=gone).delete()
        DossierFact.objects.bulk_create(
            [row.model(now) for row in new],
            update_conflicts=True,
            unique_fields=["dossier"],
            update_fields=_FACT_FIELDS,
        )
    _write(deltas)
    return len(wanted)


# --- the state row: watermarks and lock --------------------------------------------------------


def _state_locked() -> MetricsState:
    """The single state row, locked until the transaction ends: one refresh or rebuild at a time."""
    MetricsState.objects.bulk_create([MetricsState(pk=1)], ignore_conflicts=True)
    return MetricsState.objects.select_for_update().get(pk=1)


def _newest_event_id() -> int:
    return DossierEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _newest_document_id() -> int:
    return Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# --- refresh -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshReport:
    dossiers: int
    event_id: int
    rebuilt: bool = False


def metrics_mark_dirty(*, dossier_ids: Iterable[int]) -> None:
    """Another app changed metric inputs of these dossiers without a dossier event (a rating, a
    feedback, a payment, a document revoked): the next refresh rebuilds their facts. Call it in the
    transaction of the change."""
    MetricsDirty.objects.bulk_create(
        [MetricsDirty(dossier_id=pk) for pk in sorted(set(dossier_ids))], ignore_conflicts=True
    )


def _stale_by_events(state: MetricsState) -> tuple[set[int], int]:
    """Accepted dossiers with an event newer than their facts, and the newest event id seen."""
    newest: dict[int, int] = {}
    recent = DossierEvent.objects.filter(
        pk__gt=max(0, state.event_id - event_rescan()), dossier__accepted_at__isnull=False
    ).values_list("dossier_id", "pk")
    for dossier_id, pk in recent.iterator(chunk_size=5000):
        newest[dossier_id] = max(pk, newest.get(dossier_id, 0))
    known = dict(DossierFact.objects.filter(dossier_id__in=list(newest)).values_list("dossier_id", "last_event_id"))
    stale = {pk for pk, event in newest.items() if event > known.get(pk, 0)}
    return stale, max([state.event_id, *newest.values()])


def _stale_by_flags(state: MetricsState) -> set[int]:
    """Dossiers whose first national-portal sync was delivered, or that got a result or copy document."""
    delivered = OutboxMessage.objects.filter(
        kind=OutboxKind.DVCQG_SYNC, reference=OuterRef("dossier__code"), delivered_at__isnull=False
    )
    synced = set(
        DossierFact.objects.filter(synced_dvcqg=False).filter(Exists(delivered)).values_list("dossier_id", flat=True)
    )
    created = dict(
        Document.objects.filter(
            pk__gt=max(0, state.document_id - DOCUMENT_RESCAN),
            dossier_code__isnull=False,
            kind__in=(DocumentKind.RESULT, DocumentKind.CERTIFIED_COPY),
        ).values_list("dossier_code", "created_at")
    )
    refreshed = dict(
        DossierFact.objects.filter(dossier__code__in=list(created)).values_list("dossier__code", "refreshed_at")
    )
    # A document committed after a refresh read the table may be older than that refresh: allow a margin.
    codes = [code for code, at in created.items() if code not in refreshed or refreshed[code] < at + SETTLE]
    documented = set(Dossier.objects.filter(code__in=codes, accepted_at__isnull=False).values_list("pk", flat=True))
    return synced | documented


def metrics_refresh(*, flags: bool = True) -> RefreshReport:
    """Bring the aggregates up to date with the dossiers (module docstring, "Freshness").

    `flags`: also look for national-portal deliveries and new documents (the periodic run does;
    the refresh on read leaves them to it).
    """
    with transaction.atomic():
        state = _state_locked()
        if state.rebuilt_at is None:
            return _rebuild_locked(state)
        stale, newest = _stale_by_events(state)
        dirty = set(MetricsDirty.objects.values_list("dossier_id", flat=True))
        stale |= dirty
        if flags:
            stale |= _stale_by_flags(state)
            state.document_id = _newest_document_id()
        count = _facts_refresh(stale)
        MetricsDirty.objects.filter(dossier_id__in=list(dirty)).delete()
        state.event_id, state.refreshed_at = newest, clock.now()
        state.save()
    return RefreshReport(dossiers=count, event_id=newest)


def metrics_ensure_fresh() -> None:
    """Refresh before a read when a newer event exists or a dossier is marked (one cheap query otherwise)."""
    if not getattr(settings, "MOTCUA_METRICS_REFRESH_ON_READ", True):
        return
    state = MetricsState.objects.filter(pk=1).values("event_id", "rebuilt_at").first()
    behind = state is None or state["rebuilt_at"] is None or _newest_event_id() > state["event_id"]
    if behind or MetricsDirty.objects.exists():
        metrics_refresh(flags=False)


# --- rebuild -------------------------------------------------------------------------------


def accepted_ids() -> list[int]:
    return list(Dossier.objects.filter(accepted_at__isnull=False).order_by("pk").values_list("pk", flat=True))


def _rebuild_locked(state: MetricsState, say: Say | None = None) -> RefreshReport:
    newest_event, newest_document = _newest_event_id(), _newest_document_id()
    DailyAggregate.objects.all().delete()
    MonthlyAggregate.objects.all().delete()
    DossierFact.objects.all().delete()
    now = clock.now()
    daily: Deltas = defaultdict(Counter)
    ids = accepted_ids()
    facts: list[DossierFact] = []
    for done, row in enumerate(fact_rows(ids), start=1):
        add_contributions(daily, row.series, row.contributions, +1)
        facts.append(row.model(now))
        if len(facts) >= BATCH:
            DossierFact.objects.bulk_create(facts)
            facts = []
        if say and done % 10000 == 0:
            say(f"{done}/{len(ids)} dossiers")
    DossierFact.objects.bulk_create(facts)
    _bulk_rows(DailyAggregate, "day", daily)
    _bulk_rows(MonthlyAggregate, "month", by_month(daily))
    MetricsDirty.objects.all().delete()
    state.event_id, state.document_id = newest_event, newest_document
    state.rebuilt_at = state.refreshed_at = now
    state.save()
    return RefreshReport(dossiers=len(ids), event_id=newest_event, rebuilt=True)


def _bulk_rows(model: type[DailyAggregate] | type[MonthlyAggregate], period: str, deltas: Deltas) -> None:
    rows = [
        model(unit_id=unit, procedure_id=procedure, field_code=field_code, **{period: day}, **counts)
        for ((unit, procedure, field_code), day), counts in sorted(deltas.items())
        if any(counts.values())
    ]
    model.objects.bulk_create(rows, batch_size=1000)  # type: ignore[arg-type]


def metrics_rebuild(*, say: Say | None = None) -> RefreshReport:
    """Recompute every fact and aggregate row from the raw dossiers (after a bulk import, or to repair)."""
    with transaction.atomic():
        return _rebuild_locked(_state_locked(), say)

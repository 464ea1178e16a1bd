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
happened by the end of the year left open.

The work goes in *chunks* of `batch` dossiers (`workload_story`): this process draws each chunk's
skeletons (procedure, channel, unit, submission time) from the master stream, numbers their codes
on the per-day counters (`DailyCodes`) and reserves their dossier ids; the chunk's lives and rows
are drawn from the chunk's own stream and written in one transaction, here or, with `workers` > 1
on PostgreSQL, in that many forked processes at once. Deterministic: the same seed, count, batch
and year on the same catalog give the same dossiers whatever the number of processes (only event
ids, which no hash covers, follow the order processes write in); codes continue the per-day
counters, so a second run adds new dossiers rather than colliding.

On PostgreSQL rows go in with `COPY`, as text put together in `workload_rows`; on SQLite with
`bulk_create`. The metrics facts are computed from the written records in each chunk
(`workload_metrics`, by the same functions that compute them from the database) and the daily and
monthly rows summed here and written at the end, so `recompute_metrics --check` agrees;
`metrics="rebuild"` runs `metrics_rebuild` afterwards instead. Optional parts: ratings of returned
dossiers (about a third rated, "not yet satisfied" mostly after a late finish) when
`motcua.feedback` is installed and migrated, drawn from their own random stream so the dossiers are
the same with or without them; the kiosk tickets of counter filings at units that run a queue
(`workload_queue`, when `motcua.queueing` is there), linked to their dossiers. Open dossiers get no
workflow step (no inbox entry).
"""

from __future__ import annotations

import multiprocessing
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.pool import AsyncResult
from typing import Any, Final

from django.db import connection, connections, transaction

from motcua.core import clock
from motcua.demo.history import _offers
from motcua.demo.workload_copy import reserve_ids
from motcua.demo.workload_queue import Planned as QueueTicket
from motcua.demo.workload_queue import TicketNumbers, queueing_ready
from motcua.demo.workload_rows import DailyCodes, RowWriter, Written, _rating_model
from motcua.demo.workload_story import DossierDraw, Skeleton
from motcua.dossiers.models import Dossier
from motcua.organizations.models import Unit

Say = Callable[[str], None]

BATCH: Final = 5000
METRICS_MODES: Final = ("inline", "rebuild", "none")


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
    metrics_seconds: float | None = None  # of `seconds`, computing the facts (all processes) and writing the rows
    left_out: tuple[str, ...] = ()
    processes: int = 1

    def __str__(self) -> str:
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(self.by_status.items()))
        text = (
            f"{self.dossiers} dossiers of {self.year} ({self.accepted} accepted), {self.events} events "
            f"in {self.seconds:.1f} s ({self.dossiers / max(self.seconds, 1e-9):.0f}/s, "
            f"{self.processes} process{'es' if self.processes > 1 else ''})\nby status: {statuses}"
        )
        if self.rebuild_seconds is not None:
            text += f"\nmetrics rebuilt in {self.rebuild_seconds:.1f} s"
        if self.metrics_seconds is not None:
            text += f"\nmetrics facts and aggregates computed inline: {self.metrics_seconds:.1f} s of process time"
        if self.metrics == "none":
            text += "\nmetrics not updated: run metrics_rebuild"
        if self.left_out:
            text += "\nnot generated (their apps are not installed): " + ", ".join(self.left_out)
        return text


def demo_province_ensure(say: Say) -> None:
    """The demo province's units, catalog and offerings, created when absent (as `seed_demo --no-history`)."""
    from motcua.demo import province
    from motcua.demo.seed import seed_catalog, seed_offerings, seed_structure

    if not (Unit.objects.filter(code=province.SERVICE_CENTER).exists() and _offers()):
        units = seed_structure(say)
        seed_catalog(say)
        seed_offerings(units, say)
    if queueing_ready():
        from motcua.queueing.demo import seed_demo_queue

        seed_demo_queue(days=0)  # the demo sites' service areas and counters (no tickets): filings queue there


def _optional_parts(tickets: TicketNumbers) -> tuple[str, ...]:
    """Parts of the workload not generated because their apps are not installed (or their tables not there)."""
    left = [] if _rating_model() is not None else ["ratings (motcua.feedback)"]
    return (*left, *([] if tickets.ready else ["queue tickets (motcua.queueing)"]))


def _batches(total: int, size: int) -> Iterable[int]:
    done = 0
    while done < total:
        step = min(size, total - done)
        yield step
        done += step


# --- chunks --------------------------------------------------------------------------------------

# (number, skeletons with their codes and queue tickets, dossier ids)
Chunk = tuple[int, list[tuple[Skeleton, str, QueueTicket | None]], list[int]]


@dataclass
class ChunkDone:
    """What a chunk wrote, as the generator sums it."""

    by_status: Counter[str]
    accepted: int
    events: int
    daily: Any  # metrics.aggregates.Deltas of the chunk (None: metrics not inline)
    metrics_seconds: float


class _Chunks:
    """Lives and writes chunks in one process (built in that process: it holds its own rows and connection)."""

    def __init__(self, draw: DossierDraw, inline: bool, queue_counters: dict[int, list[int]]) -> None:
        self.draw = draw
        self.writer = RowWriter(draw, queue_counters)
        self.inline = None
        if inline:
            from motcua.demo.workload_metrics import InlineMetrics

            self.inline = InlineMetrics([offer.version for offer in draw.offers])

    def run(self, chunk: Chunk) -> ChunkDone:
        number, skeletons, ids = chunk
        draw = self.draw
        draw.rng = draw.chunk_rng(number)
        if self.writer.ratings is not None:
            self.writer.ratings.for_chunk(draw.seed, number)
        self.writer.ticket_times.for_chunk(draw.seed, number)
        planned, extras = [], []
        for skeleton, code, _ticket in skeletons:  # each dossier's extras right after its life, as one stream
            story = draw.planned(skeleton, code)
            extras.append(draw.live(story))
            planned.append(story)
        events_before = self.writer.events
        metrics_seconds, daily = 0.0, None
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A generated chunk is not acknowledged to anyone until the run ends: no need to wait for
                # the disk at each commit (this transaction only; a crash loses chunks the run never reported).
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO off")
            tickets = [ticket for _skeleton, _code, ticket in skeletons]
            written: list[Written] = self.writer.write(planned, extras, ids, tickets)
            if self.inline is not None:
                begun = time.perf_counter()
                daily = self.inline.add(written, clock.now())
                metrics_seconds = time.perf_counter() - begun
        statuses = Counter(str(story.status) for story in planned)
        accepted = sum(story.accepted is not None for story in planned)
        return ChunkDone(statuses, accepted, self.writer.events - events_before, daily, metrics_seconds)


# The forked processes' state: set before the pool forks (`_FORKED`), built in each process on first use.
_FORKED: dict[str, Any] = {}


def _chunk_in_process(chunk: Chunk) -> ChunkDone:
    if "chunks" not in _FORKED:
        _FORKED["chunks"] = _Chunks(_FORKED["draw"], _FORKED["inline"], _FORKED["queue_counters"])
    done: ChunkDone = _FORKED["chunks"].run(chunk)
    return done


def _processes_for(workers: int) -> int:
    """Processes living chunks: forked ones on PostgreSQL only (SQLite has one writer at a time)."""
    return max(1, workers) if connection.vendor == "postgresql" else 1


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
    living and writing chunks at once on PostgreSQL (0 or 1: this process; module docstring).
    """
    if dossiers < 0:
        raise ValueError("the number of dossiers cannot be negative")
    if batch < 1:
        raise ValueError("the batch must hold at least one dossier")
    if metrics not in METRICS_MODES:
        raise ValueError(f"metrics must be one of {', '.join(METRICS_MODES)}")
    mode = metrics if rebuild else "none"
    year = year or clock.local_today().year - 1
    if date(year + 1, 1, 1) > clock.local_today():
        raise ValueError("the generated year must be over: choose an earlier year")
    talk = say or (lambda text: None)
    demo_province_ensure(talk)
    started = time.perf_counter()
    draw = DossierDraw(year, seed)
    daily_codes = DailyCodes(year)
    ticket_numbers = TicketNumbers(draw.offers)
    inline = mode == "inline"
    if inline:
        from motcua.demo.workload_metrics import inline_prepare

        inline_prepare()
    # Built here in any case: it creates the shared rows (system account, placeholder file) once.
    local = _Chunks(draw, inline, ticket_numbers.counters)
    processes = _processes_for(workers)
    pool = None
    if processes > 1:
        _FORKED.update(draw=draw, inline=inline, queue_counters=ticket_numbers.counters)
        connections.close_all()  # each forked process opens its own connection; this one reopens on use
        pool = multiprocessing.get_context("fork").Pool(processes)
    by_status: Counter[str] = Counter()
    daily: Any = defaultdict(Counter)
    totals = {"accepted": 0, "events": 0, "done": 0, "metrics": 0.0}
    pending: deque[tuple[int, AsyncResult[ChunkDone]]] = deque()

    def merge(size: int, done: ChunkDone) -> None:
        by_status.update(done.by_status)
        totals["accepted"] += done.accepted
        totals["events"] += done.events
        totals["metrics"] += done.metrics_seconds
        if done.daily is not None:
            for key, counts in done.daily.items():
                daily[key].update(counts)
        totals["done"] += size
        if say and (totals["done"] % (batch * 10) == 0 or totals["done"] == dossiers):
            elapsed = time.perf_counter() - started
            say(
                f"  {totals['done']}/{dossiers} dossiers, {elapsed:.0f} s ({totals['done'] / max(elapsed, 1e-9):.0f}/s)"
            )

    try:
        for number, size in enumerate(_batches(dossiers, batch)):
            skeletons = []
            for _ in range(size):
                skeleton = draw.skeleton()
                offer = draw.offers[skeleton.offer]
                handling = offer.handling[skeleton.handling]
                receiving = offer.receiving_for[handling.pk]
                code = daily_codes.code(offer, skeleton.channel, receiving, handling, skeleton.submitted)
                ticket = ticket_numbers.ticket(offer, skeleton.channel, receiving.pk, skeleton.submitted)
                skeletons.append((skeleton, code, ticket))
            chunk: Chunk = (number, skeletons, reserve_ids(Dossier, size))
            if pool is None:
                merge(size, local.run(chunk))
                continue
            pending.append((size, pool.apply_async(_chunk_in_process, (chunk,))))
            while len(pending) > processes:  # keep every process busy, and no more drawn than that ahead
                size_done, result = pending.popleft()
                merge(size_done, result.get())
        while pending:
            size_done, result = pending.popleft()
            merge(size_done, result.get())
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
            _FORKED.clear()
    daily_codes.finish()
    ticket_numbers.finish()
    if inline:
        from motcua.demo.workload_metrics import inline_finish

        begun = time.perf_counter()
        inline_finish(daily)
        totals["metrics"] += time.perf_counter() - begun
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
        accepted=int(totals["accepted"]),
        events=int(totals["events"]),
        year=year,
        seconds=seconds,
        by_status=dict(by_status),
        rebuild_seconds=rebuild_seconds,
        metrics=mode,
        metrics_seconds=float(totals["metrics"]) if inline else None,
        left_out=_optional_parts(ticket_numbers),
        processes=processes,
    )


__all__ = ["BATCH", "METRICS_MODES", "WorkloadSummary", "demo_province_ensure", "workload_generate"]

"""The maintained aggregates of a generated workload, computed inside the generator (issue 6, `workload.py`).

Instead of reading every generated row back (`metrics_rebuild`), each dossier's `DossierRecord` is
put together from what the generator has just written (`Written`), with the same function that
builds it from the database (`collect._record`), and its fact row from the same `aggregates.fact_row`.
So the facts and the daily and monthly rows are exactly what `metrics_rebuild` would write, and
`recompute_metrics --check` agrees.

The fact rows go in with each chunk (COPY on PostgreSQL), in the chunk's transaction, in whichever
process lives the chunk; each chunk's daily deltas come back to the generator, which sums them and
writes the daily and monthly rows once at the end (`inline_finish`), with the watermarks moved past
the generated events and documents, under the state row's lock. Before the first chunk,
`inline_prepare` brings what was already there up to date (a first rebuild on a new database), so
adding the new dossiers' rows keeps everything equal to a full recomputation. A run cut short
leaves fact rows without their aggregates: `metrics_rebuild` repairs that. Meant for a quiet system
(a load test, a benchmark): events written by others during the run are left to the usual refresh.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from motcua.catalog.models import ProcedureVersion, ResultType
from motcua.core import clock
from motcua.demo.workload_copy import CopyTable
from motcua.demo.workload_rows import Written
from motcua.documents.models import Document
from motcua.dossiers.models import DossierEvent
from motcua.metrics import aggregates
from motcua.metrics.aggregates import Deltas, FactRow, add_contributions, by_month, fact_row
from motcua.metrics.collect import _record
from motcua.metrics.dossier_timeline import DossierRecord, calendar_hours, skipping
from motcua.metrics.models import DailyAggregate, DossierFact, MonthlyAggregate
from motcua.workcalendar.services import get_calendar


class InlineMetrics:
    """Facts and aggregates of generated dossiers, from the generator's own records (module docstring)."""

    def __init__(self, versions: Sequence[ProcedureVersion]) -> None:
        self.calendar = get_calendar()
        self.hours = calendar_hours(self.calendar)
        pks = {v.pk for v in versions}
        self.versions: dict[int, dict[str, Any]] = {
            row["pk"]: dict(row)
            for row in ProcedureVersion.objects.filter(pk__in=pks).values(
                "pk", "online_level", "field__code", "field__name_folded"
            )
        }
        self.with_results = set(ResultType.objects.filter(version_id__in=pks).values_list("version_id", flat=True))
        self.facts = CopyTable(DossierFact, with_pk=True)
        self.count = 0

    def record(self, done: Written) -> DossierRecord | None:
        """The record of one written dossier as `collect.records_for` reads it back (None: never accepted)."""
        story = done.story
        if story.accepted is None:
            return None
        version = self.versions[story.offer.version.pk]
        row = {
            "pk": done.pk,
            "code": story.code,
            "handling_unit_id": story.handling.pk,
            "handling_unit__code": story.handling.code,
            "procedure_id": story.offer.version.procedure_id,
            "procedure_version_id": version["pk"],
            "procedure_version__field__code": version["field__code"],
            "procedure_version__field__name_folded": version["field__name_folded"],
            "procedure_version__online_level": version["online_level"],
            "channel": story.channel,
            "status": str(story.status),
            "outcome": story.outcome,
            "submitted_at": story.submitted,
            "accepted_at": story.accepted,
            "finished_at": story.finished,
            "due_at": story.due,
            "due_at_before_apology": story.due_before_apology,
        }
        code = story.code
        return _record(
            row,
            done.events,
            done.components,
            done.fees,
            {code} if done.synced else set(),
            {code: done.documents},
            self.with_results,
            ({done.pk} if done.negative_rating else set(), set()),
        )

    def add(self, written: Sequence[Written], now: datetime) -> Deltas:
        """Fact rows of a chunk, written in the current transaction; their contributions summed and returned."""
        daily: Deltas = defaultdict(Counter)
        records = [record for record in map(self.record, written) if record is not None]
        for record in records:
            row: FactRow | None = None
            with skipping(record):
                row = fact_row(record, self.hours, self.calendar)
            if row is None:
                continue
            add_contributions(daily, (record.unit_id, record.procedure_id, record.field_code), row.contributions, +1)
            self.facts.add(
                dossier_id=record.pk,
                unit_id=record.unit_id,
                procedure_id=record.procedure_id,
                field_code=record.field_code,
                accepted_at=record.accepted_at,
                finished_at=record.finished_at,
                overdue_after=row.overdue_after,
                overdue_after_766=row.overdue_after_766,
                complained=record.flags.complained,
                synced_dvcqg=record.flags.synced_to_dvcqg,
                last_event_id=record.last_event_id,
                contributions=row.contributions,
                refreshed_at=now,
            )
            self.count += 1
        self.facts.write()
        return daily


def inline_prepare() -> None:
    """Before the first chunk: what was there before brought up to date (a first rebuild when never built)."""
    aggregates.metrics_refresh()


def inline_finish(daily: Deltas) -> None:
    """Add the chunks' summed rows to the daily and monthly aggregates and move the watermarks, in one transaction."""
    with transaction.atomic():
        state = aggregates._state_locked()
        monthly = by_month(daily)
        empty = not DailyAggregate.objects.exists() and not MonthlyAggregate.objects.exists()
        if empty and connection.vendor == "postgresql":
            _copy_rows(DailyAggregate, "day", daily)
            _copy_rows(MonthlyAggregate, "month", monthly)
        else:
            aggregates._upsert(DailyAggregate, "day", daily)
            aggregates._upsert(MonthlyAggregate, "month", monthly)
        newest_event = DossierEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        newest_document = Document.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        state.event_id = max(state.event_id, newest_event)
        state.document_id = max(state.document_id, newest_document)
        state.refreshed_at = clock.now()
        state.save()


def _copy_rows(model: type[DailyAggregate] | type[MonthlyAggregate], period: str, deltas: Deltas) -> None:
    table = CopyTable(model, with_pk=False)
    for ((unit, procedure, field_code), day), counts in sorted(deltas.items()):
        if any(counts.values()):
            table.add(unit_id=unit, procedure_id=procedure, field_code=field_code, **{period: day}, **counts)
    table.write()


__all__ = ["InlineMetrics", "inline_finish", "inline_prepare"]

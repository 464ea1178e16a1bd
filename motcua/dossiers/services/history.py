"""Importing dossier history: JSON lines of national-portal `DongBoHoSoMC` records (SPEC §7.2), the
shape `motcua.dossiers.sync.dossier_record` emits, so a province can migrate the dossiers it already has.

All or nothing per file: every line is parsed, resolved and walked through the lifecycle first
(`history_check`), and a file with any problem is refused with each problem named by line and
field before anything is written. Then one transaction writes the dossiers, their components,
fee lines, supplement requests and a hash-chained event chain per dossier, in bulk.

Idempotent by MaHoSo: the first event of an imported dossier keeps the SHA-256 of the record it
came from. The same record again is `unchanged`; a different record under a known code is a
`conflict` and is skipped: history is not rewritten.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from django.db import connection, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.services import system_account
from motcua.dossiers import audit, lifecycle
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import (
    DailySequence,
    Dossier,
    DossierComponent,
    DossierEvent,
    FeeLine,
    SupplementRequest,
    usual_return_method,
)
from motcua.dossiers.services.history_records import (
    MAX_PROBLEMS,
    FeeEntry,
    HistoryImportError,
    HistoryRecord,
    Problem,
    ProgressCallback,
    history_check,
)
from motcua.dossiers.services.steps import close_open_step, dossier_specs, reception_open, step_open, steps_accept
from motcua.dossiers.services.steps import open_step as dossier_open_step
from motcua.workcalendar.services import working_hours_between
from motcua.workflow import routing

__all__ = ["HistoryImportError", "HistorySummary", "Problem", "history_check", "history_import", "history_import_file"]

IMPORT_USERNAME: Final = "history-import"
BATCH: Final = 500


@dataclass(frozen=True)
class HistorySummary:
    """What one import did. `by_status` counts the file's records by our status."""

    created: int = 0
    unchanged: int = 0
    conflicts: tuple[str, ...] = ()
    by_status: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        statuses = ", ".join(f"{status} {count}" for status, count in sorted(self.by_status.items()))
        text = _("created: %(created)d, unchanged: %(unchanged)d, conflicts (skipped): %(conflicts)d") % {
            "created": self.created,
            "unchanged": self.unchanged,
            "conflicts": len(self.conflicts),
        }
        if statuses:
            text += "\n" + _("by status: %(statuses)s") % {"statuses": statuses}
        if self.conflicts:
            shown = ", ".join(self.conflicts[:MAX_PROBLEMS])
            more = "…" if len(self.conflicts) > MAX_PROBLEMS else ""
            text += "\n" + _("already imported with different content: %(codes)s") % {"codes": shown + more}
        return text


def history_import_file(
    *, path: str | Path, source: str | None = None, progress: ProgressCallback | None = None
) -> HistorySummary:
    """Import a JSON-lines file; `source` (kept in each dossier's first event) defaults to the file's name."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.readlines()
    return history_import(lines=lines, source=Path(path).name if source is None else source, progress=progress)


def history_import(
    *, lines: Iterable[str], source: str = "", progress: ProgressCallback | None = None
) -> HistorySummary:
    """Check every line, then write the new dossiers in one transaction (HistoryImportError on any problem)."""
    records = history_check(lines=list(lines), progress=progress)
    return _history_write(records=records, source=source, progress=progress)


# Writing ------------------------------------------------------------------------------------


@transaction.atomic
def _history_write(*, records: list[HistoryRecord], source: str, progress: ProgressCallback | None) -> HistorySummary:
    by_status = dict(Tally(str(r.status) for r in records))
    known = _known_digests([r.code for r in records])
    new = [r for r in records if r.code not in known]
    unchanged = sum(1 for r in records if r.code in known and known[r.code] == r.digest)
    conflicts = tuple(r.code for r in records if r.code in known and known[r.code] != r.digest)
    account = _import_account()
    done = 0
    for start in range(0, len(new), BATCH):
        chunk = new[start : start + BATCH]
        _chunk_write(chunk, account=account, source=source)
        done += len(chunk)
        if progress:
            progress("write", done, len(new))
    _sequences_bump(new)
    # No outbox messages: imported history is not a new event to sync or notify; the national
    # portal (or the system it came from) already has it.
    return HistorySummary(created=len(new), unchanged=unchanged, conflicts=conflicts, by_status=by_status)


def _known_digests(all_codes: list[str]) -> dict[str, str | None]:
    """Codes already in the database → the digest of the record they were imported from (None: live)."""
    found: dict[str, str | None] = {}
    for start in range(0, len(all_codes), BATCH):
        chunk = all_codes[start : start + BATCH]
        for code in Dossier.objects.filter(code__in=chunk).values_list("code", flat=True):
            found[str(code)] = None
        first_events = DossierEvent.objects.filter(dossier__code__in=chunk, sequence=1)
        for code, data in first_events.values_list("dossier__code", "data"):
            imported = data.get("imported") if isinstance(data, dict) else None
            found[str(code)] = imported.get("sha256") if isinstance(imported, dict) else None
    return found


def _import_account() -> User:
    """The account imported dossiers are 'submitted by': inactive, it can never log in."""
    return system_account(username=IMPORT_USERNAME, full_name="Nhập dữ liệu lịch sử")


def _chunk_write(records: list[HistoryRecord], *, account: User, source: str) -> None:
    dossiers = Dossier.objects.bulk_create([_dossier_row(r, account) for r in records])
    events: list[DossierEvent] = []
    items: list[DossierComponent] = []
    fees: list[FeeLine] = []
    requests: list[SupplementRequest] = []
    for record, dossier in zip(records, dossiers, strict=True):
        events.extend(_event_rows(record, dossier, source))
        items.extend(_component_rows(record, dossier))
        fees.extend(FeeLine(dossier=dossier, **_fee_fields(fee)) for fee in record.fees)
        requests.extend(_request_rows(record, dossier, account))
    DossierEvent.objects.bulk_create(events)
    DossierComponent.objects.bulk_create(items)
    FeeLine.objects.bulk_create(fees)
    SupplementRequest.objects.bulk_create(requests)
    for record, dossier in zip(records, dossiers, strict=True):
        if record.status not in lifecycle.FINAL:
            _steps_open(record, dossier)


def _dossier_row(record: HistoryRecord, account: User) -> Dossier:
    paused = record.status in lifecycle.CLOCK_STOPPED and record.accepted_at is not None
    paused_at = record.events[-1].at if paused else None
    remaining = None
    if record.status == Status.AWAITING_PAYMENT and record.due_at and paused_at:
        remaining = (
            working_hours_between(start=paused_at, end=record.due_at) if record.due_at > paused_at else Decimal(0)
        )
    return Dossier(
        code=record.code,
        procedure=record.version.procedure,
        procedure_version=record.version,
        submitted_by=account,
        channel=record.channel,
        receiving_unit=record.receiving,
        receiving_counter=record.counter,
        handling_unit=record.handling,
        return_method=usual_return_method(record.channel),
        status=record.status,
        outcome=record.outcome,
        submitted_at=record.submitted_at,
        accepted_at=record.accepted_at,
        due_at=record.due_at,
        due_explanation=[{"kind": "imported"}] if record.due_at else [],
        finished_at=record.finished_at,
        returned_at=record.returned_at,
        clock_paused_at=paused_at,
        remaining_working_hours=remaining,
        supplement_count=len(record.supplements),
        **record.applicant,
    )


def _event_rows(record: HistoryRecord, dossier: Dossier, source: str) -> Iterator[DossierEvent]:
    """The planned moves as a hash chain, exactly as `events.event_append` would have written them."""
    prev_hash = audit.GENESIS
    for sequence, planned in enumerate(record.events, start=1):
        data = dict(planned.data)
        if sequence == 1:
            data["imported"] = {"sha256": record.digest, "source": source}
        stored = audit.normalize(data)
        content = audit.EventRecord(
            dossier_id=dossier.pk,
            sequence=sequence,
            action=str(planned.action),
            from_status=str(planned.from_status),
            to_status=str(planned.to_status),
            actor_id=None,
            at=planned.at,
            data=stored,
        )
        digest = audit.chain_hash(prev_hash, content)
        yield DossierEvent(
            dossier=dossier,
            sequence=sequence,
            action=content.action,
            from_status=content.from_status,
            to_status=content.to_status,
            actor=None,
            at=planned.at,
            data=stored,
            prev_hash=prev_hash,
            hash=digest,
        )
        prev_hash = digest


def _component_rows(record: HistoryRecord, dossier: Dossier) -> Iterator[DossierComponent]:
    for entry in record.components:
        yield DossierComponent(
            dossier=dossier,
            component=entry.component,
            files=list(entry.files),
            digitized=entry.digitized,
            reused=entry.reused,
        )


def _fee_fields(fee: FeeEntry) -> dict[str, Any]:
    return {
        "code": fee.code,
        "name": fee.name,
        "amount": fee.amount,
        "kind": fee.kind,
        "method": fee.method,
        "paid_at": fee.paid_at,
    }


def _request_rows(record: HistoryRecord, dossier: Dossier, account: User) -> Iterator[SupplementRequest]:
    for entry in record.supplements:
        yield SupplementRequest(
            dossier=dossier,
            missing=[entry.missing] if entry.missing else [],
            requested_by=account,
            requested_at=entry.requested_at,
            before_acceptance=entry.before_acceptance,
            due_before=entry.due_before,
            supplied_at=entry.supplied_at,
        )


def _steps_open(record: HistoryRecord, dossier: Dossier) -> None:
    """Open dossiers get the workflow step they are waiting in, so officers find them in their inbox."""
    if record.accepted_at is None:
        reception_open(dossier, at=record.submitted_at)
        return
    steps_accept(dossier, officer=None, at=record.accepted_at)  # type: ignore[arg-type]
    if record.status == Status.RESOLVED and record.finished_at is not None:
        close_open_step(dossier, at=record.finished_at, by=None, outcome=record.outcome or "resolved")
        returning = routing.return_step(dossier_specs(dossier))
        if returning is not None and dossier_open_step(dossier) is None:
            step_open(dossier=dossier, spec=returning, at=record.finished_at)


def _sequences_bump(records: list[HistoryRecord]) -> None:
    """Raise each (prefix, day) counter to the highest imported number, so live codes never collide."""
    highest: dict[tuple[str, date], int] = {}
    for record in records:
        prefix, day, number = record.prefix_day
        highest[(prefix, day)] = max(highest.get((prefix, day), 0), number)
    if not highest:
        return
    table = connection.ops.quote_name(DailySequence._meta.db_table)
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    sql = (
        f"INSERT INTO {table} (prefix, day, last_number) VALUES (%s, %s, %s) "  # noqa: S608 - table name is ours
        f"ON CONFLICT (prefix, day) DO UPDATE SET last_number = {larger}({table}.last_number, excluded.last_number)"
    )
    rows = [(prefix, connection.ops.adapt_datefield_value(day), number) for (prefix, day), number in highest.items()]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)

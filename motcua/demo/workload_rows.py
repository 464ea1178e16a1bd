"""The rows of generated dossiers (issue 6, `workload.py`): COPY text on PostgreSQL, `bulk_create` on SQLite.

`RowWriter.write` turns lived dossiers (`workload_story.Planned`) into the rows the services would
have written (dossier, hash-chained events, components, fee lines, supplement requests, apologies,
documents, national-portal sync messages, ratings) and reports what it wrote of each (`Written`)
for the inline metrics. `DailyCodes` numbers the codes on the per-day counters.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any, Final

from django.db import connection, models

from motcua.accounts.models import User
from motcua.accounts.services import system_account
from motcua.catalog.models import Component
from motcua.core import clock
from motcua.core.text import fold
from motcua.demo.history import _Offer
from motcua.demo.workload_copy import CopyTable, RawJson, reserve_ids
from motcua.demo.workload_queue import Planned as QueueTicket
from motcua.demo.workload_queue import TicketTimes
from motcua.demo.workload_story import DossierDraw, Planned, due_of
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
    SupplementRequest,
    usual_return_method,
)
from motcua.dossiers.services.codes import configured_profiles
from motcua.integrations.models import OutboxKind, OutboxMessage
from motcua.metrics.dossier_timeline import EventRow
from motcua.organizations.models import Unit

WORKLOAD_USERNAME: Final = "workload"
CERTIFICATION_FIELD: Final = "chung thuc"

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
    story: Planned
    events: list[EventRow] = field(default_factory=list)
    components: tuple[bool, bool] | None = None  # every component filed, one reused
    fees: tuple[bool, bool] | None = None  # a fee above zero, one paid online
    documents: set[str] = field(default_factory=set)  # "result", "e_result", "e_certified_copy"
    synced: bool = False
    negative_rating: bool = False


class RowWriter:
    """Turns planned dossiers into rows and writes them a batch at a time."""

    def __init__(self, story: DossierDraw, queue_counters: dict[int, list[int]] | None = None) -> None:
        self.story = story
        # Queue tickets (`workload_queue`): the counters of each receiving unit that runs a queue.
        self.queue_counters = queue_counters or {}
        self.ticket_times = TicketTimes()
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
        self.tables = {
            name: CopyTable(model, with_pk=name in ("dossiers", "events"))  # ids reserved: hashes, facts
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
        if self.queue_counters:
            from motcua.queueing.models import Ticket

            self.tables["tickets"] = CopyTable(Ticket, with_pk=False)
        rating = _rating_model()
        self.ratings: Ratings | None = None
        if rating is not None:
            self.tables["ratings"] = CopyTable(rating, with_pk=False)
            self.ratings = Ratings(self.tables["ratings"])

    def write(
        self,
        stories: Sequence[Planned],
        extras: Sequence[dict[str, Any]],
        ids: Sequence[int],
        tickets: Sequence[QueueTicket | None] = (),
    ) -> list[Written]:
        """Write a chunk under the dossier ids reserved for it (and the queue tickets numbered for it); what
        was written of each dossier comes back for the metrics (`workload_metrics`)."""
        for pk, story, ticket in zip(ids, stories, tickets, strict=False):
            if ticket is not None and "tickets" in self.tables:
                counters = self.queue_counters[story.receiving.pk]
                self.tables["tickets"].add(**self.ticket_times.row(ticket, counters, pk, story.submitted))
        event_ids = iter(reserve_ids(DossierEvent, sum(len(story.events) for story in stories)))
        now = clock.now()
        written = []
        for pk, story, extra in zip(ids, stories, extras, strict=True):
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

    def _dossier(self, pk: int, story: Planned, now: datetime) -> None:
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
            return_method=usual_return_method(story.channel),
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

    def _events(self, pk: int, story: Planned, ids: Iterator[int]) -> list[EventRow]:
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
                data=RawJson(text, stored) if copy else stored,
                prev_hash=prev,
                hash=digest,
            )
            rows.append(EventRow(event_id, name, at, stored))
            prev = digest
        self.events += len(story.events)
        return rows

    def _details(self, pk: int, story: Planned, extra: dict[str, Any]) -> Written:
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

    def _document(self, story: Planned, kind: str, name: str, signed: bool, at: datetime) -> None:
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


class DailyCodes:
    """Numbers the generated dossiers' codes on the per-day counters, continuing those of the year so far."""

    def __init__(self, year: int) -> None:
        self.profiles = configured_profiles()
        self.sequences: dict[tuple[str, date], int] = {
            (prefix, day): number
            for prefix, day, number in DailySequence.objects.filter(day__year=year).values_list(
                "prefix", "day", "last_number"
            )
        }

    def code(self, offer: _Offer, channel: int, receiving: Unit, handling: Unit, submitted: datetime) -> str:
        day = codes.local_day(submitted)
        inputs = codes.PrefixInputs(
            receiving=receiving.code,
            handling=handling.code,
            inter_agency=offer.version.inter_agency,
            online=channel == Channel.ONLINE,
        )
        profile = codes.profile_for(day, self.profiles)
        prefix = codes.prefix_for(profile, inputs)
        key = (prefix, day)
        number = self.sequences[key] = self.sequences.get(key, 0) + 1
        return codes.format_code(prefix, day, number, min_digits=profile.min_digits)

    def finish(self) -> None:
        """Raise each (prefix, day) counter to the highest generated number, so live codes never collide."""
        counters_raise(DailySequence._meta.db_table, "prefix", self.sequences)


def counters_raise(table_name: str, key: str, numbers: dict[tuple[Any, date], int]) -> None:
    """Raise the per-(key, day) `last_number` counters of `table_name` to at least `numbers` (insert when absent)."""
    table = connection.ops.quote_name(table_name)
    larger = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    sql = (
        f"INSERT INTO {table} ({key}, day, last_number) VALUES (%s, %s, %s) "  # noqa: S608 - our table
        f"ON CONFLICT ({key}, day) DO UPDATE SET last_number = {larger}({table}.last_number, excluded.last_number)"
    )
    rows = [(k, connection.ops.adapt_datefield_value(d), n) for (k, d), n in sorted(numbers.items())]
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


def _rating_model() -> type[models.Model] | None:
    """The feedback app's Rating, when the app is installed and its table exists (an optional part)."""
    from django.apps import apps

    if not apps.is_installed("motcua.feedback"):
        return None
    model = apps.get_model("feedback", "Rating")
    return model if model._meta.db_table in connection.introspection.table_names() else None


class Ratings:
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

    def __init__(self, table: CopyTable) -> None:
        self.rng = random.Random()  # noqa: S311 - replaced per chunk (`for_chunk`)
        self.table = table

    def for_chunk(self, seed: int, chunk: int) -> None:
        self.rng = random.Random(f"workload-ratings-{seed}-{chunk}")  # noqa: S311 - reproducible test data

    def add(self, pk: int, story: Planned, end: datetime) -> bool:
        """Rate the dossier or not; True when the rating is negative."""
        rng = self.rng
        if story.status != Status.RETURNED or story.returned is None or rng.random() >= 0.35:
            return False
        late = story.finished is not None and story.finished > (story.due_before_apology or due_of(story))
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

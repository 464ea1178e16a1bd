"""The generated workload (issue 6): deterministic, hash chains intact, aggregates equal to recompute, 06a adds up."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Max

from motcua.core.clock import VIETNAM
from motcua.demo.workload import workload_generate
from motcua.demo.workload_story import DossierDraw
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers.lifecycle import TRANSITIONS, Action, Status
from motcua.dossiers.models import (
    Apology,
    Channel,
    DailySequence,
    Dossier,
    DossierEvent,
    FeeLine,
    SupplementRequest,
)
from motcua.dossiers.services.verification import audit_verify
from motcua.feedback.models import Rating
from motcua.integrations.models import OutboxMessage
from motcua.metrics.aggregates import metrics_rebuild
from motcua.metrics.models import COLUMNS, DailyAggregate, DossierFact, MetricsState, MonthlyAggregate
from motcua.metrics.recompute import metrics_check
from motcua.metrics.report_06a import GroupBy, check_identities
from motcua.metrics.services import report_06a_from_dossiers, report_06a_maintained
from motcua.organizations.models import Unit
from motcua.queueing.models import ServiceArea, Ticket, TicketSequence

pytestmark = pytest.mark.django_db(transaction=False)

YEAR = 2025
SEED = 6
COUNT = 300
PROVINCE = "000.00.00.H99"
NOW = datetime(YEAR + 1, 1, 15, 10, tzinfo=VIETNAM)


def test_generated_workload_is_consistent_and_deterministic() -> None:
    summary = workload_generate(dossiers=COUNT, seed=SEED, year=YEAR, batch=120)

    dossiers = list(Dossier.objects.order_by("pk"))
    assert summary.dossiers == len(dossiers) == COUNT
    assert summary.events == DossierEvent.objects.count()

    # Deterministic: skeletons from the master stream in order, each chunk of 120 lived from its own stream.
    draw = DossierDraw(YEAR, SEED)
    again = []
    for number, start in enumerate(range(0, COUNT, 120)):
        skeletons = [draw.skeleton() for _ in range(min(120, COUNT - start))]
        draw.rng = draw.chunk_rng(number)
        for skeleton in skeletons:
            planned = draw.planned(skeleton, code="")
            draw.live(planned)
            again.append(planned)
    assert [(d.procedure_version_id, d.channel, d.handling_unit_id, d.status) for d in dossiers] == [
        (p.offer.version.pk, p.channel, p.handling.pk, str(p.status)) for p in again
    ]
    assert [(d.submitted_at, d.accepted_at, d.due_at, d.finished_at) for d in dossiers] == [
        (p.submitted, p.accepted, p.due, p.finished) for p in again
    ]

    # Every event chain is intact and every move is one the lifecycle allows.
    checked, broken = audit_verify(dossiers=Dossier.objects.order_by("pk").iterator())
    assert broken is None
    assert checked == COUNT
    for action, source, target in DossierEvent.objects.values_list("action", "from_status", "to_status"):
        assert TRANSITIONS[(Status(source), Action(action))] == Status(target)
    last = dict(DossierEvent.objects.order_by("dossier_id", "sequence").values_list("dossier_id", "to_status"))
    assert all(last[d.pk] == d.status for d in dossiers)

    # The maintained aggregates equal the recomputation from the raw rows.
    assert DossierFact.objects.count() == summary.accepted
    assert metrics_check() == []

    # Biểu II.06a of the province-year adds up, and both ways agree.
    province = Unit.objects.get(code=PROVINCE)
    maintained = report_06a_maintained(
        unit=province, first=date(YEAR, 1, 1), last=date(YEAR, 12, 31), group_by=GroupBy.FIELD, now=NOW
    )
    raw = report_06a_from_dossiers(
        unit=province, first=date(YEAR, 1, 1), last=date(YEAR, 12, 31), group_by=GroupBy.FIELD, now=NOW
    )
    assert maintained == raw
    for line in maintained.lines:
        check_identities(line.row)
    check_identities(maintained.total)
    assert maintained.total.received == summary.accepted


def test_generated_mix_is_realistic() -> None:
    workload_generate(dossiers=COUNT, seed=SEED, year=YEAR)
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    channels = Counter(Dossier.objects.values_list("channel", flat=True))
    assert statuses[Status.RETURNED] > COUNT * 0.8
    assert statuses[Status.REFUSED] > 0
    assert statuses[Status.WITHDRAWN] + statuses[Status.STOPPED] > 0
    assert 0.3 < channels[2] / COUNT < 0.6
    assert 0.35 < channels[1] / COUNT < 0.65
    supplements = Counter(Dossier.objects.values_list("supplement_count", flat=True))
    assert supplements[1] > 0
    assert SupplementRequest.objects.count() == sum(n * c for n, c in supplements.items())
    assert Apology.objects.count() == Dossier.objects.filter(due_at_before_apology__isnull=False).count() > 0
    assert DossierEvent.objects.filter(action="confirm_payment").exists()
    late = [d for d in Dossier.objects.filter(finished_at__isnull=False, accepted_at__isnull=False) if d.due_at]
    assert any(d.finished_at > (d.due_at_before_apology or d.due_at) for d in late)
    assert FeeLine.objects.filter(method__in=("dvcqg", "online"), paid_at__isnull=False).exists()
    assert Document.objects.filter(kind=DocumentKind.RESULT, signed=True).exists()
    assert OutboxMessage.objects.filter(delivered_at__isnull=False).count() > COUNT * 0.8
    assert Dossier.objects.filter(accepted_at__isnull=True).exists()  # refused at reception
    # Ratings (the feedback app is installed): only of returned dossiers, some "not yet satisfied".
    ratings = Rating.objects.all()
    assert ratings.count() > COUNT * 0.2
    assert not ratings.exclude(dossier__status=Status.RETURNED).exists()
    assert ratings.filter(negative=True).exists()
    # Codes follow the per-day counters, which now stand at the highest generated number.
    assert DailySequence.objects.exists()
    assert not Dossier.objects.filter(code__isnull=True).exists()
    _assert_queue_tickets()


def _assert_queue_tickets() -> None:
    """Counter filings at the units with a queue came with a kiosk ticket, in time order, numbered per area and day."""
    queued_units = set(ServiceArea.objects.values_list("unit_id", flat=True))
    assert queued_units  # the demo sites' areas, created with the province
    filed = Dossier.objects.filter(channel=Channel.DIRECT, receiving_unit_id__in=queued_units)
    tickets = list(Ticket.objects.select_related("dossier", "area", "counter"))
    assert len(tickets) == filed.count() > 0
    assert not Ticket.objects.exclude(dossier__channel=Channel.DIRECT).exists()
    for ticket in tickets:
        submitted = ticket.dossier.submitted_at
        assert ticket.issued_at <= ticket.called_at <= ticket.served_at <= submitted <= ticket.finished_at
        assert ticket.area.unit_id == ticket.counter.unit_id == ticket.dossier.receiving_unit_id
        assert ticket.day == submitted.astimezone(VIETNAM).date()
        assert ticket.code == f"{ticket.area.letter}{ticket.number:03d}"
        assert ticket.status == "done"
    # The kiosk's counters continue after the generated numbers.
    highest = Counter()
    for ticket in tickets:
        key = (ticket.area_id, ticket.day)
        highest[key] = max(highest[key], ticket.number)
    stored = {(a, d): n for a, d, n in TicketSequence.objects.values_list("area_id", "day", "last_number")}
    assert all(stored[key] >= number for key, number in highest.items())


def test_command_refuses_bad_input_and_writes_nothing() -> None:
    with pytest.raises(CommandError):
        call_command("generate_workload", "--dossiers", "-1", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("generate_workload", "--dossiers", "5", "--year", "2999", stdout=StringIO())
    assert not Dossier.objects.exists()


def test_command_generates() -> None:
    out = StringIO()
    call_command("generate_workload", "--dossiers", "40", "--seed", "3", "--year", str(YEAR), stdout=out)
    assert Dossier.objects.count() == 40
    assert "40 dossiers of 2025" in out.getvalue()
    assert metrics_check() == []


def test_inline_metrics_equal_a_rebuild_and_add_to_existing_rows() -> None:
    """The facts computed inside the generator are those `metrics_rebuild` gives; a second run on
    top of the first adds its rows to the existing aggregates (the upsert path)."""
    workload_generate(dossiers=150, seed=SEED, year=YEAR, batch=70)
    workload_generate(dossiers=120, seed=SEED + 1, year=YEAR, batch=50)
    assert Dossier.objects.count() == 270
    # Read before any refresh: a refresh would rebuild the facts of the recent events itself.
    inline = {f.dossier_id: (f.contributions, f.overdue_after, f.last_event_id) for f in DossierFact.objects.all()}
    days = _daily_rows()
    newest = dict(
        DossierEvent.objects.values("dossier_id").annotate(newest=Max("id")).values_list("dossier_id", "newest")
    )
    assert {pk: facts[2] for pk, facts in inline.items()} == {pk: newest[pk] for pk in inline}
    assert metrics_check() == []
    metrics_rebuild()
    rebuilt = {f.dossier_id: (f.contributions, f.overdue_after, f.last_event_id) for f in DossierFact.objects.all()}
    assert inline == rebuilt
    assert days == _daily_rows()
    checked, broken = audit_verify(dossiers=Dossier.objects.order_by("pk").iterator())
    assert (checked, broken) == (270, None)


def test_command_modes() -> None:
    call_command("generate_workload", "--dossiers", "30", "--year", str(YEAR), "--metrics", "none", stdout=StringIO())
    assert not DossierFact.objects.exists()
    out = StringIO()
    call_command("generate_workload", "--dossiers", "30", "--year", str(YEAR), "--metrics", "rebuild", stdout=out)
    assert "metrics rebuilt" in out.getvalue()
    assert metrics_check() == []
    with pytest.raises(CommandError):
        call_command("generate_workload", "--dossiers", "5", "--metrics", "later", stdout=StringIO())


def _daily_rows() -> list[tuple[object, ...]]:
    return sorted(DailyAggregate.objects.values_list("unit_id", "procedure_id", "field_code", "day", *COLUMNS))


def _generated() -> list[tuple[object, ...]]:
    fields = ("code", "procedure_version_id", "channel", "handling_unit_id", "status", "submitted_at", "due_at")
    return list(Dossier.objects.order_by("code").values_list(*fields))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="forked writers need PostgreSQL (SQLite: one writer)")
@pytest.mark.django_db(transaction=True)
def test_chunks_lived_in_parallel_processes_give_the_same_dossiers_and_metrics() -> None:
    _wipe_generated()  # sequences are not rolled back with earlier tests: both runs start from id 1
    serial = workload_generate(dossiers=260, seed=SEED, year=YEAR, batch=40)
    dossiers, chains, tickets = _generated(), _event_chains(), _tickets()
    assert tickets
    aggregates = _daily_rows()
    _wipe_generated()

    parallel = workload_generate(dossiers=260, seed=SEED, year=YEAR, batch=40, workers=2)

    assert (serial.processes, parallel.processes) == (1, 2)
    assert (parallel.accepted, parallel.events) == (serial.accepted, serial.events)
    assert parallel.by_status == serial.by_status
    assert _generated() == dossiers
    assert _event_chains() == chains  # the same hashes: each covers its dossier's id, reserved in chunk order
    assert _daily_rows() == aggregates
    assert _tickets() == tickets
    assert metrics_check() == []
    assert audit_verify(dossiers=Dossier.objects.order_by("pk").iterator()) == (260, None)


def _tickets() -> list[tuple[object, ...]]:
    fields = ("code", "day", "issued_at", "served_at", "counter_id", "dossier__code")
    return list(Ticket.objects.order_by("dossier__code").values_list(*fields))


def _event_chains() -> list[tuple[object, ...]]:
    return list(
        DossierEvent.objects.order_by("dossier__code", "sequence").values_list("dossier__code", "action", "hash")
    )


def _wipe_generated() -> None:
    """Back to the state before the serial run, ids included (the parallel run reserves the same ones)."""
    tables = [
        model._meta.db_table
        for model in (
            Dossier,
            DailySequence,
            Document,
            OutboxMessage,
            DossierFact,
            DailyAggregate,
            MonthlyAggregate,
            MetricsState,
            Ticket,
            TicketSequence,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")

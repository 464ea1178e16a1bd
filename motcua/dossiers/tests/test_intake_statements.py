"""How many SQL statements one intake costs: an upper bound, so a change that adds round trips to
the busiest write path fails here (bench/bench_intake.py measures the time; this only counts).

Before the 2026-11 reduction a counter intake took 46 statements (one SELECT of the previous event
per event, a savepoint pair per outbox message, the reception step inserted then updated, the
calendar overrides checked on every due time, the dossier's rows re-read for each portal message).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.factories import register
from motcua.dossiers.models import DossierEvent, DossierStep
from motcua.dossiers.services.verification import audit_verify
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db

COUNTER_INTAKE_MAX = 27  # was 46
ONLINE_INTAKE_MAX = 25  # was 35


def statements(action) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        result = action()
    return result, [q["sql"] for q in captured.captured_queries]


def test_a_counter_intake_takes_few_statements_and_writes_everything(world):
    register(world.officer, world.procedure)  # the first one generates the process definition

    dossier, sql = statements(lambda: register(world.officer, world.procedure))

    assert len(sql) <= COUNTER_INTAKE_MAX, "\n".join(sql)
    # One savepoint pair: the intake's own transaction inside the test's; none per outbox message.
    assert sum(1 for s in sql if s.startswith("SAVEPOINT")) == 1
    assert sum(1 for s in sql if 'INTO "integrations_outboxmessage"' in s) == 1
    # Nothing was lost on the way: two chained events, the closed reception and open appraisal, three messages.
    assert list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True)) == ["submit", "accept"]
    assert audit_verify(dossiers=[dossier]) == (1, None)
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("pk"))
    assert [(s.kind, s.finished_at is not None) for s in steps] == [("reception", True), ("processing", False)]
    assert sorted(OutboxMessage.objects.filter(reference=dossier.code).values_list("kind", flat=True)) == [
        "dvcqg_sync",
        "dvcqg_sync",
        "notify_email",
    ]


def test_an_online_intake_takes_few_statements(world):
    register(world.officer, world.procedure)

    dossier, sql = statements(lambda: register(world.citizen, world.procedure, receiving_unit=world.unit.code))

    assert len(sql) <= ONLINE_INTAKE_MAX, "\n".join(sql)
    assert audit_verify(dossiers=[dossier]) == (1, None)
    assert DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).count() == 1

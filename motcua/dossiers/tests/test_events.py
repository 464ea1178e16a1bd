"""The hash-chained event log in the database, and `verify_audit`."""

from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from motcua.dossiers import audit
from motcua.dossiers.factories import register
from motcua.dossiers.models import DossierEvent, Outcome
from motcua.dossiers.services.events import event_record
from motcua.dossiers.services.processing import dossier_forward, dossier_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(world):
    dossier = register(world.officer, world.procedure)
    dossier_forward(dossier=dossier, officer=world.specialist, comment="Đủ điều kiện")
    dossier_resolve(dossier=dossier, officer=world.leader, outcome=Outcome.APPROVED)
    return dossier


def test_each_action_appends_the_next_event_chained_to_the_previous(dossier):
    events = list(dossier.events.order_by("sequence"))

    assert [e.sequence for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == audit.GENESIS
    for previous, current in pairwise(events):
        assert current.prev_hash == previous.hash
    for event in events:
        assert event.hash == audit.chain_hash(event.prev_hash, event_record(event))


def test_events_record_who_and_the_move(world, dossier):
    forward = dossier.events.get(action="forward")

    assert forward.actor == world.specialist
    assert (forward.from_status, forward.to_status) == ("processing", "processing")
    assert forward.data["comment"] == "Đủ điều kiện"


def test_events_cannot_be_rewritten_through_the_orm(dossier):
    event = dossier.events.first()
    event.data = {"forged": True}

    with pytest.raises(ValueError, match="append-only"):
        event.save()


def test_verify_audit_passes_on_intact_chains(dossier):
    out = StringIO()

    call_command("verify_audit", stdout=out)

    assert "OK: 1 chains intact" in out.getvalue()


def test_verify_audit_finds_a_row_changed_behind_the_applications_back(dossier):
    table = connection.ops.quote_name(DossierEvent._meta.db_table)
    target = dossier.events.get(sequence=3)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET to_status = %s WHERE id = %s", ["returned", target.pk])  # noqa: S608

    with pytest.raises(CommandError) as caught:
        call_command("verify_audit", "--dossier", dossier.code)

    assert caught.value.returncode == 1
    assert f"dossier {dossier.code}, event 3" in str(caught.value)


def test_verify_audit_of_an_unknown_dossier_fails(db):
    with pytest.raises(CommandError):
        call_command("verify_audit", "--dossier", "000.00.00.H99-250101-0001")

"""Decree 118/2025 Art. 19.5: a supplement not completed 15 days after the request closes the dossier."""

from datetime import datetime, timedelta

import pytest
from django.core.management import call_command

from motcua.core.clock import VIETNAM
from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services.closing import CLOSE_REASON, supplements_overdue
from motcua.dossiers.services.review import dossier_request_supplement, dossier_submit_supplement
from motcua.dossiers.services.sweep import deadlines_sweep
from motcua.dossiers.services.verification import audit_verify
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


REQUESTED = local(2025, 9, 9, 9, 0)  # the `clock` fixture's START


def waiting(world) -> Dossier:
    dossier = register(world.officer, world.procedure)
    dossier_request_supplement(dossier=dossier, officer=world.specialist, missing=["Bản sao sổ hộ khẩu"])
    return Dossier.objects.get(pk=dossier.pk)


def test_a_supplement_unanswered_for_15_days_closes_the_dossier_once(world, clock, django_capture_on_commit_callbacks):
    dossier = waiting(world)
    clock.move_to(REQUESTED + timedelta(days=15) - timedelta(minutes=1))
    assert deadlines_sweep().closed == 0
    assert Dossier.objects.get(pk=dossier.pk).status == Status.AWAITING_SUPPLEMENT

    clock.move_to(REQUESTED + timedelta(days=15))  # calendar days: the decree does not say working days
    with django_capture_on_commit_callbacks() as callbacks:
        report = deadlines_sweep()

    assert report.closed == 1
    closed = Dossier.objects.get(pk=dossier.pk)
    assert closed.status == Status.STOPPED
    assert closed.finished_at == REQUESTED + timedelta(days=15)
    assert closed.clock_paused_at is None
    event = closed.events.order_by("sequence").last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "stop",
        "awaiting_supplement",
        "stopped",
        None,
    )
    assert event.data["automatic"] is True
    assert event.data["reason"] == CLOSE_REASON
    assert not DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).exists()
    templates = [m.payload.get("template") for m in OutboxMessage.objects.filter(kind="notify_email")]
    assert templates[-1] == "stopped"
    assert len(callbacks) == 1  # the stop notice (Mẫu 05) is issued after the commit
    assert audit_verify(dossiers=[closed]) == (1, None)

    assert deadlines_sweep().closed == 0  # already closed: nothing twice


def test_a_supplied_dossier_is_not_closed(world, clock):
    dossier = waiting(world)
    clock.move_to(REQUESTED + timedelta(days=10))
    dossier_submit_supplement(dossier=dossier, actor=world.officer)
    clock.move_to(REQUESTED + timedelta(days=30))

    assert deadlines_sweep().closed == 0
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


def test_the_second_request_counts_from_its_own_notice(world, clock):
    dossier = waiting(world)
    clock.move_to(REQUESTED + timedelta(days=5))
    dossier_submit_supplement(dossier=dossier, actor=world.officer)
    dossier_request_supplement(dossier=dossier, officer=world.specialist, missing=["Ảnh"])
    clock.move_to(REQUESTED + timedelta(days=16))

    assert supplements_overdue(now=REQUESTED + timedelta(days=16)) == []
    assert deadlines_sweep().closed == 0
    clock.move_to(REQUESTED + timedelta(days=20))
    assert deadlines_sweep().closed == 1


def test_a_request_at_reception_or_before_the_decree_is_left_alone(world, clock):
    online = register(world.citizen, world.procedure, receiving_unit=world.unit.code)
    dossier_request_supplement(dossier=online, officer=world.officer, missing=["Tờ khai"])
    clock.move_to(local(2025, 6, 2, 9, 0))
    old = waiting(world)  # requested under Decree 61/2018
    clock.move_to(REQUESTED + timedelta(days=40))

    assert deadlines_sweep().closed == 0
    assert Dossier.objects.get(pk=online.pk).status == Status.AWAITING_SUPPLEMENT
    assert Dossier.objects.get(pk=old.pk).status == Status.AWAITING_SUPPLEMENT


def test_sweep_command_reports_closed_dossiers(world, clock, capsys):
    waiting(world)
    clock.move_to(REQUESTED + timedelta(days=16))

    call_command("sweep_deadlines")

    assert "closed=1" in capsys.readouterr().out

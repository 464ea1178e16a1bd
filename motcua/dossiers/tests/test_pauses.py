"""Financial-obligation pause and resume, and the one-time apology."""

from datetime import datetime
from decimal import Decimal

import pytest

from motcua.core.clock import VIETNAM
from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Apology
from motcua.dossiers.services.pauses import dossier_apologize, dossier_confirm_payment, dossier_request_payment
from motcua.dossiers.tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
def processing(world):
    # Accepted Tuesday 9 September 09:00; 5 working days → due Tuesday 16 September 09:00.
    return register(world.officer, world.procedure)


def test_payment_request_pauses_the_clock_with_the_working_time_left(world, processing, clock):
    clock.move_to(local(2025, 9, 11, 9, 0))  # 16 of the 40 working hours used

    dossier = dossier_request_payment(dossier=processing, officer=world.specialist, amount=Decimal(200000), note="Thuế")

    assert dossier.status == Status.AWAITING_PAYMENT
    assert dossier.remaining_working_hours == Decimal(24)
    assert dossier.clock_paused_at == local(2025, 9, 11, 9, 0)
    assert dossier.fee_lines.filter(amount=Decimal(200000)).exists()


def test_payment_resumes_the_clock_with_the_time_that_was_left(world, processing, clock):
    clock.move_to(local(2025, 9, 11, 9, 0))
    dossier_request_payment(dossier=processing, officer=world.specialist)
    clock.move_to(local(2025, 9, 15, 13, 30))  # paid on Monday after lunch

    dossier = dossier_confirm_payment(dossier=processing, actor=world.officer, method="counter")

    assert dossier.status == Status.PROCESSING
    # 24 working hours from Monday 13:30: 3.5 + 8 + 8 + 4.5 → Thursday 11:30 (a closing time is the due time).
    assert dossier.due_at == local(2025, 9, 18, 11, 30)
    assert dossier.remaining_working_hours is None
    assert dossier.clock_paused_at is None
    # The open step moved too: 12 of its hours were left → Wednesday 07:30.
    assert dossier.steps.get(finished_at__isnull=True).due_at == local(2025, 9, 17, 7, 30)
    assert not dossier.fee_lines.filter(paid_at__isnull=True).exists()


def test_a_dossier_already_late_when_paused_keeps_its_due_time(world, processing, clock):
    clock.move_to(local(2025, 9, 17, 9, 0))  # a day after the due time
    dossier_request_payment(dossier=processing, officer=world.specialist)
    clock.move_to(local(2025, 9, 19, 9, 0))

    dossier = dossier_confirm_payment(dossier=processing, actor=world.officer)

    assert dossier.due_at == local(2025, 9, 16, 9, 0)


def test_payment_cannot_be_confirmed_when_none_was_requested(world, processing):
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_confirm_payment(dossier=processing, actor=world.officer)

    assert snapshot(processing) == before


def test_a_citizen_cannot_request_payment(world, processing):
    before = snapshot(processing)

    with pytest.raises(PermissionDenied):
        dossier_request_payment(dossier=processing, officer=world.citizen)

    assert snapshot(processing) == before


def test_apology_reschedules_and_keeps_the_original_due_for_the_indices(world, processing, clock, outbox):
    clock.move_to(local(2025, 9, 15, 9, 0))  # exactly one working day before the due time

    dossier = dossier_apologize(
        dossier=processing, officer=world.leader, reason="Chờ xác minh", new_due_at=local(2025, 9, 19, 17, 0)
    )

    assert dossier.due_at == local(2025, 9, 19, 17, 0)
    assert dossier.due_at_before_apology == local(2025, 9, 16, 9, 0)
    assert Apology.objects.get(dossier=dossier).old_due_at == local(2025, 9, 16, 9, 0)
    assert outbox.templates()[-1] == "apologized"


def test_apology_later_than_one_working_day_before_the_due_time_is_refused(world, processing, clock):
    clock.move_to(local(2025, 9, 15, 9, 1))
    before = snapshot(processing)

    with pytest.raises(Conflict) as caught:
        dossier_apologize(dossier=processing, officer=world.leader, reason="x", new_due_at=local(2025, 9, 19, 17, 0))

    assert caught.value.code == "apology_too_late"
    assert snapshot(processing) == before


def test_apology_is_issued_only_once(world, processing, clock):
    dossier_apologize(dossier=processing, officer=world.leader, reason="x", new_due_at=local(2025, 9, 19, 17, 0))
    before = snapshot(processing)

    with pytest.raises(Conflict) as caught:
        dossier_apologize(dossier=processing, officer=world.leader, reason="y", new_due_at=local(2025, 9, 26, 17, 0))

    assert caught.value.code == "apology_already_issued"
    assert snapshot(processing) == before


def test_the_new_return_time_must_be_later(world, processing):
    before = snapshot(processing)

    with pytest.raises(InvalidInput):
        dossier_apologize(dossier=processing, officer=world.leader, reason="x", new_due_at=local(2025, 9, 15, 17, 0))

    assert snapshot(processing) == before


def test_a_citizen_cannot_apologize(world, processing):
    with pytest.raises(PermissionDenied):
        dossier_apologize(dossier=processing, officer=world.citizen, reason="x", new_due_at=local(2025, 9, 19, 17, 0))

"""Reception decisions and supplements: accept, refuse, request a supplement, receive it."""

from datetime import datetime

import pytest

from motcua.core.clock import VIETNAM
from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import SupplementRequest
from motcua.dossiers.services.review import (
    dossier_accept,
    dossier_refuse,
    dossier_request_supplement,
    dossier_submit_supplement,
)
from motcua.dossiers.tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
def submitted(world):
    return register(world.citizen, world.procedure, receiving_unit=world.unit.code)


@pytest.fixture
def processing(world):
    return register(world.officer, world.procedure)


def test_counter_officer_accepts_an_online_dossier_and_the_clock_starts(world, submitted, clock, outbox):
    clock.move_to(local(2025, 9, 9, 14, 0))

    dossier = dossier_accept(dossier=submitted, officer=world.officer)

    assert dossier.status == Status.PROCESSING
    assert dossier.accepted_at == local(2025, 9, 9, 14, 0)
    assert dossier.due_at == local(2025, 9, 16, 14, 0)
    assert dossier.steps.filter(finished_at__isnull=True).get().role == "specialist"
    assert outbox.templates() == ["submitted", "reception_alert", "accepted"]


def test_accepting_twice_is_a_conflict_and_changes_nothing(world, processing):
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_accept(dossier=processing, officer=world.officer)

    assert snapshot(processing) == before


def test_a_specialist_may_not_accept(world, submitted):
    before = snapshot(submitted)

    with pytest.raises(PermissionDenied):
        dossier_accept(dossier=submitted, officer=world.specialist)

    assert snapshot(submitted) == before


def test_a_counter_officer_of_another_unit_may_not_accept(world, submitted):
    before = snapshot(submitted)

    with pytest.raises(PermissionDenied):
        dossier_accept(dossier=submitted, officer=world.outsider)

    assert snapshot(submitted) == before


def test_refusal_needs_a_reason_and_ends_the_dossier(world, submitted, outbox):
    dossier = dossier_refuse(dossier=submitted, officer=world.officer, reason="Không thuộc thẩm quyền")

    assert dossier.status == Status.REFUSED
    assert dossier.finished_at is not None
    assert not dossier.steps.filter(finished_at__isnull=True).exists()
    assert outbox.templates()[-1] == "refused"
    assert dossier.events.last().data == {"reason": "Không thuộc thẩm quyền"}


def test_refusal_without_reason_is_invalid(world, submitted):
    before = snapshot(submitted)

    with pytest.raises(InvalidInput):
        dossier_refuse(dossier=submitted, officer=world.officer, reason="  ")

    assert snapshot(submitted) == before


def test_an_accepted_dossier_cannot_be_refused_at_reception(world, processing):
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_refuse(dossier=processing, officer=world.officer, reason="x")

    assert snapshot(processing) == before


def test_supplement_request_stops_the_clock_and_notifies(world, processing, outbox, clock):
    clock.move_to(local(2025, 9, 10, 10, 0))

    dossier_request_supplement(dossier=processing, officer=world.specialist, missing=["Tờ khai"], note="Thiếu chữ ký")

    processing.refresh_from_db()
    assert processing.status == Status.AWAITING_SUPPLEMENT
    assert processing.clock_paused_at == local(2025, 9, 10, 10, 0)
    assert processing.supplement_count == 1
    assert outbox.kinds()[-2:] == ["dvcqg_sync", "notify_email"]
    assert outbox.templates()[-1] == "supplement_requested"


def test_supplement_restarts_the_full_processing_time_and_keeps_the_old_due(world, processing, clock):
    old_due = processing.due_at
    clock.move_to(local(2025, 9, 10, 10, 0))
    dossier_request_supplement(dossier=processing, officer=world.specialist, missing=["Tờ khai"])
    clock.move_to(local(2025, 9, 22, 8, 0))  # twelve days later

    dossier = dossier_submit_supplement(dossier=processing, actor=world.officer)

    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == local(2025, 9, 29, 8, 0)  # 5 full working days from the supplement
    assert dossier.clock_paused_at is None
    event = dossier.events.last()
    assert old_due == local(2025, 9, 16, 9, 0)
    assert event.data["previous_due_at"] == "2025-09-16T02:00:00.000000+00:00"
    step = dossier.steps.get(finished_at__isnull=True)
    assert step.due_at == local(2025, 9, 25, 14, 0)  # the step's 28 working hours again from 08:00
    assert SupplementRequest.objects.get().supplied_at == local(2025, 9, 22, 8, 0)


def test_the_owner_submits_the_supplement_online(world, submitted):
    dossier_accept(dossier=submitted, officer=world.officer)
    dossier_request_supplement(dossier=submitted, officer=world.specialist, missing=["Bản sao CCCD"])

    dossier = dossier_submit_supplement(dossier=submitted, actor=world.citizen, files={"TP2": ["file-9"]})

    assert dossier.status == Status.PROCESSING
    assert dossier.components.get(component__code="TP2").files == ["file-9"]


def test_supplement_at_reception_returns_the_dossier_to_the_reception_queue(world, submitted):
    dossier_request_supplement(dossier=submitted, officer=world.officer, missing=["Tờ khai"])

    dossier = dossier_submit_supplement(dossier=submitted, actor=world.citizen)

    assert dossier.status == Status.SUBMITTED
    assert dossier.due_at is None
    assert dossier.steps.get().finished_at is None  # still waiting at reception


def test_reception_asks_for_a_supplement_only_once(world, submitted):
    dossier_request_supplement(dossier=submitted, officer=world.officer, missing=["Tờ khai"])
    dossier_submit_supplement(dossier=submitted, actor=world.citizen)
    before = snapshot(submitted)

    with pytest.raises(Conflict):
        dossier_request_supplement(dossier=submitted, officer=world.officer, missing=["Ảnh"])

    assert snapshot(submitted) == before


def test_supplement_request_needs_the_missing_list(world, processing):
    before = snapshot(processing)

    with pytest.raises(InvalidInput):
        dossier_request_supplement(dossier=processing, officer=world.specialist, missing=[" "])

    assert snapshot(processing) == before


def test_a_citizen_may_not_request_a_supplement(world, processing):
    before = snapshot(processing)

    with pytest.raises(PermissionDenied):
        dossier_request_supplement(dossier=processing, officer=world.citizen, missing=["x"])

    assert snapshot(processing) == before


def test_a_stranger_may_not_submit_someone_elses_supplement(world, submitted):
    dossier_request_supplement(dossier=submitted, officer=world.officer, missing=["Tờ khai"])
    before = snapshot(submitted)

    with pytest.raises(PermissionDenied):
        dossier_submit_supplement(dossier=submitted, actor=world.outsider)

    assert snapshot(submitted) == before


def test_supplement_cannot_be_submitted_when_none_was_asked(world, processing):
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_submit_supplement(dossier=processing, actor=world.officer)

    assert snapshot(processing) == before


def test_late_supplement_notice_is_flagged(world, processing, clock):
    clock.move_to(local(2025, 9, 15, 9, 0))  # 4 working days after acceptance

    dossier_request_supplement(dossier=processing, officer=world.specialist, missing=["x"])

    assert processing.events.last().data["after_3_working_days"] is True

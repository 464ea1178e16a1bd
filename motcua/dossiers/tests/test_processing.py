"""The internal workflow and the end of a dossier's life."""

from datetime import datetime, timedelta

import pytest

from motcua.accounts.roles import Role
from motcua.core.clock import VIETNAM
from motcua.core.errors import Conflict, InvalidInput, PermissionDenied
from motcua.documents.models import Document, DocumentKind
from motcua.dossiers.factories import UnitFactory, register, staff
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Outcome
from motcua.dossiers.services.processing import (
    dossier_answer_consult,
    dossier_consult,
    dossier_forward,
    dossier_resolve,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_withdraw,
)
from motcua.dossiers.services.review import dossier_request_supplement
from motcua.dossiers.tests.conftest import snapshot

pytestmark = pytest.mark.django_db


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
def processing(world):
    return register(world.officer, world.procedure)


def open_step(dossier):
    return dossier.steps.get(finished_at__isnull=True)


def test_full_life_from_counter_to_returned_result(world, processing, clock, outbox):
    clock.move_to(local(2025, 9, 10, 9, 0))
    dossier_forward(dossier=processing, officer=world.specialist, comment="Đủ điều kiện")
    clock.move_to(local(2025, 9, 11, 9, 0))
    dossier_resolve(dossier=processing, officer=world.leader, outcome=Outcome.APPROVED, note="Cấp giấy")
    clock.move_to(local(2025, 9, 12, 9, 0))
    dossier = dossier_return_result(dossier=processing, officer=world.officer, receiver_name="Nguyễn Văn An")

    assert dossier.status == Status.RETURNED
    assert dossier.outcome == Outcome.APPROVED
    assert dossier.finished_at == local(2025, 9, 11, 9, 0)
    assert dossier.returned_at == local(2025, 9, 12, 9, 0)
    assert [s.outcome for s in dossier.steps.order_by("pk")] == ["accepted", "forwarded", "approved", "returned"]
    assert [e.action for e in dossier.events.all()] == ["submit", "accept", "forward", "resolve", "return_result"]
    assert outbox.templates() == ["accepted", "resolved", "returned"]


def test_forward_opens_the_next_step_with_its_due_time_and_assignee(world, processing, clock):
    clock.move_to(local(2025, 9, 10, 9, 0))
    deputy = staff(world.unit, Role.UNIT_LEADER)

    dossier_forward(dossier=processing, officer=world.specialist, assignee=deputy)

    step = open_step(processing)
    assert step.role == Role.UNIT_LEADER
    assert step.assignee == deputy
    assert step.due_at == local(2025, 9, 11, 9, 0)  # 8 working hours


def test_forward_to_an_assignee_without_the_role_is_invalid(world, processing):
    before = snapshot(processing)

    with pytest.raises(InvalidInput):
        dossier_forward(dossier=processing, officer=world.specialist, assignee=world.officer)

    assert snapshot(processing) == before


def test_only_the_step_holder_forwards(world, processing):
    before = snapshot(processing)

    with pytest.raises(PermissionDenied):
        dossier_forward(dossier=processing, officer=world.officer)

    assert snapshot(processing) == before


def test_an_assigned_step_belongs_to_its_assignee(world, processing):
    other_specialist = staff(world.unit, Role.SPECIALIST)
    step = open_step(processing)
    step.assignee = other_specialist
    step.save()

    with pytest.raises(PermissionDenied):
        dossier_forward(dossier=processing, officer=world.specialist)
    dossier_forward(dossier=processing, officer=other_specialist)


def test_forward_from_the_last_processing_step_is_refused(world, processing):
    dossier_forward(dossier=processing, officer=world.specialist)
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_forward(dossier=processing, officer=world.leader)

    assert snapshot(processing) == before


def test_send_back_reopens_the_previous_step(world, processing):
    dossier_forward(dossier=processing, officer=world.specialist)

    dossier_send_back(dossier=processing, officer=world.leader, comment="Bổ sung ý kiến thẩm định")

    assert open_step(processing).role == Role.SPECIALIST
    assert processing.events.last().action == "send_back"


def test_send_back_from_the_first_processing_step_is_refused(world, processing):
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_send_back(dossier=processing, officer=world.specialist, comment="x")

    assert snapshot(processing) == before


def test_consult_and_answer(world, processing, outbox):
    tax = UnitFactory(code="000.00.30.H99", name="Chi cục Thuế")
    tax_officer = staff(tax, Role.SPECIALIST)
    staff(tax, Role.UNIT_LEADER)

    [consultation] = dossier_consult(
        dossier=processing,
        officer=world.specialist,
        units=[tax.code],
        question="Xác nhận nghĩa vụ thuế",
        due_at=local(2025, 9, 12, 17, 0),
    )
    answered = dossier_answer_consult(dossier=processing, officer=tax_officer, answer="Đã hoàn thành")

    assert answered.pk == consultation.pk
    assert answered.answered_by == tax_officer
    assert [e.action for e in processing.events.all()][-2:] == ["consult", "answer_consult"]
    assert "consultation_requested" in outbox.templates()


def test_consulting_an_unknown_unit_is_invalid(world, processing):
    with pytest.raises(InvalidInput):
        dossier_consult(
            dossier=processing,
            officer=world.specialist,
            units=["999.99.99.Z99"],
            question="?",
            due_at=local(2025, 9, 12, 17, 0),
        )


def test_consultation_deadline_must_be_in_the_future(world, processing):
    with pytest.raises(InvalidInput):
        dossier_consult(
            dossier=processing,
            officer=world.specialist,
            units=[world.other_unit.code],
            question="?",
            due_at=local(2025, 9, 1, 9, 0),
        )


def test_a_unit_that_was_not_consulted_cannot_answer(world, processing):
    dossier_consult(
        dossier=processing,
        officer=world.specialist,
        units=[world.other_unit.code],
        question="?",
        due_at=local(2025, 9, 12, 17, 0),
    )
    stranger = staff(UnitFactory(), Role.SPECIALIST)
    before = snapshot(processing)

    with pytest.raises(PermissionDenied):
        dossier_answer_consult(dossier=processing, officer=stranger, answer="x")

    assert snapshot(processing) == before


def test_answering_twice_is_a_conflict(world, processing):
    other = staff(world.other_unit, Role.SPECIALIST)
    dossier_consult(
        dossier=processing,
        officer=world.specialist,
        units=[world.other_unit.code],
        question="?",
        due_at=local(2025, 9, 12, 17, 0),
    )
    dossier_answer_consult(dossier=processing, officer=other, answer="ok")

    with pytest.raises(Conflict):
        dossier_answer_consult(dossier=processing, officer=other, answer="again")


def test_denial_needs_a_reason(world, processing):
    before = snapshot(processing)

    with pytest.raises(InvalidInput):
        dossier_resolve(dossier=processing, officer=world.leader, outcome=Outcome.DENIED)

    assert snapshot(processing) == before


def test_denied_dossier_is_resolved_with_its_reason(world, processing):
    dossier = dossier_resolve(
        dossier=processing, officer=world.leader, outcome=Outcome.DENIED, reason="Không đủ điều kiện"
    )

    assert dossier.status == Status.RESOLVED
    assert dossier.outcome == Outcome.DENIED
    assert open_step(dossier).kind == "return"


def test_unknown_outcome_is_invalid(world, processing):
    with pytest.raises(InvalidInput):
        dossier_resolve(dossier=processing, officer=world.leader, outcome="maybe")


def test_a_counter_officer_cannot_resolve(world, processing):
    before = snapshot(processing)

    with pytest.raises(PermissionDenied):
        dossier_resolve(dossier=processing, officer=world.officer, outcome=Outcome.APPROVED)

    assert snapshot(processing) == before


def test_returning_an_unresolved_dossier_is_a_conflict(world, processing):
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_return_result(dossier=processing, officer=world.officer)

    assert snapshot(processing) == before


def test_a_specialist_cannot_return_the_result(world, processing):
    dossier_resolve(dossier=processing, officer=world.leader, outcome=Outcome.APPROVED)
    before = snapshot(processing)

    with pytest.raises(PermissionDenied):
        dossier_return_result(dossier=processing, officer=world.specialist)

    assert snapshot(processing) == before


def test_the_owner_withdraws_an_online_dossier(world):
    dossier = register(world.citizen, world.procedure, receiving_unit=world.unit.code)

    dossier = dossier_withdraw(dossier=dossier, actor=world.citizen, reason="Nộp nhầm")

    assert dossier.status == Status.WITHDRAWN
    assert not dossier.steps.filter(finished_at__isnull=True).exists()


def test_nobody_else_withdraws_for_the_applicant(world):
    dossier = register(world.citizen, world.procedure, receiving_unit=world.unit.code)
    before = snapshot(dossier)

    with pytest.raises(PermissionDenied):
        dossier_withdraw(dossier=dossier, actor=world.specialist)

    assert snapshot(dossier) == before


def test_a_resolved_dossier_cannot_be_withdrawn(world, processing):
    dossier_resolve(dossier=processing, officer=world.leader, outcome=Outcome.APPROVED)
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_withdraw(dossier=processing, actor=world.officer)

    assert snapshot(processing) == before


def test_stop_while_awaiting_a_supplement_closes_the_dossier(world, processing, clock, outbox):
    dossier_request_supplement(dossier=processing, officer=world.specialist, missing=["Tờ khai"])
    clock.shift(timedelta(days=16))  # Decree 118/2025 Art. 19.5: no supplement after 15 days

    dossier = dossier_stop(dossier=processing, officer=world.officer, reason="Quá 15 ngày không bổ sung")

    assert dossier.status == Status.STOPPED
    assert dossier.clock_paused_at is None
    assert outbox.templates()[-1] == "stopped"


def test_a_manual_stop_issues_the_stop_notice_after_commit(world, processing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier_stop(dossier=processing, officer=world.officer, reason="Người nộp đề nghị dừng")

    forms = Document.objects.filter(dossier_code=processing.code, kind=DocumentKind.LEGAL_FORM)
    assert any("dừng giải quyết" in form.name.lower() for form in forms), [form.name for form in forms]


def test_stop_needs_a_reason_and_the_right_role(world, processing):
    before = snapshot(processing)

    with pytest.raises(InvalidInput):
        dossier_stop(dossier=processing, officer=world.officer, reason="")
    with pytest.raises(PermissionDenied):
        dossier_stop(dossier=processing, officer=world.specialist, reason="x")

    assert snapshot(processing) == before


def test_a_returned_dossier_cannot_be_stopped(world, processing):
    dossier_resolve(dossier=processing, officer=world.leader, outcome=Outcome.APPROVED)
    dossier_return_result(dossier=processing, officer=world.officer)
    before = snapshot(processing)

    with pytest.raises(Conflict):
        dossier_stop(dossier=processing, officer=world.officer, reason="x")

    assert snapshot(processing) == before

"""Forwarding several dossiers at once: only those waiting at the same step, after a confirmation."""

from __future__ import annotations

import pytest

from motcua.accounts.roles import Role
from motcua.dossiers.factories import register
from motcua.dossiers.services.processing import dossier_forward
from motcua.workflow.models import ProcessDefinition, StepDefinition
from motcua.workflow.routing import StepKind, UnitRelation

from .conftest import snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]

BULK = "/can-bo/chuyen-tiep/"


def step_names(*dossiers) -> list[str]:
    return [d.steps.get(finished_at__isnull=True).name for d in dossiers]


def test_bulk_forward_asks_for_confirmation_then_reports_each_dossier(world, login):
    first, second = register(world.officer, world.procedure), register(world.officer, world.procedure)
    client = login(world.specialist)
    before = snapshot(first), snapshot(second)

    confirm = client.post(BULK, {"codes": [first.code, second.code]})

    assert confirm.status_code == 200
    assert (snapshot(first), snapshot(second)) == before  # nothing happens before the confirmation
    html = confirm.content.decode()
    assert "Phê duyệt kết quả" in html
    assert 'name="confirm"' in html

    done = client.post(
        BULK, {"codes": [first.code, second.code], "confirm": "1", "comment": "Đủ điều kiện"}, follow=True
    )

    assert step_names(first, second) == ["Phê duyệt kết quả", "Phê duyệt kết quả"]
    messages = [str(m) for m in done.context["messages"]]
    assert messages == [f"{first.code}: đã chuyển xử lý.", f"{second.code}: đã chuyển xử lý."]


@pytest.fixture
def two_appraisals(world):
    """A workflow where specialists hold two steps in a row: appraisal, then a second check."""
    definition = ProcessDefinition.objects.create(procedure=world.procedure, unit=world.unit, name="Hai bước thẩm định")
    steps = [
        ("Tiếp nhận hồ sơ", StepKind.RECEPTION, Role.COUNTER_OFFICER, UnitRelation.RECEIVING, 0),
        ("Thẩm định hồ sơ", StepKind.PROCESSING, Role.SPECIALIST, UnitRelation.HANDLING, 16),
        ("Kiểm tra lại", StepKind.PROCESSING, Role.SPECIALIST, UnitRelation.HANDLING, 8),
        ("Phê duyệt kết quả", StepKind.PROCESSING, Role.UNIT_LEADER, UnitRelation.HANDLING, 8),
        ("Trả kết quả", StepKind.RETURN, Role.COUNTER_OFFICER, UnitRelation.RECEIVING, 8),
    ]
    for order, (name, kind, role, relation, hours) in enumerate(steps, start=1):
        StepDefinition.objects.create(
            definition=definition,
            order=order,
            name=name,
            kind=kind,
            role=role,
            unit_relation=relation,
            allotted_hours=hours,
        )
    return definition


def test_dossiers_at_different_steps_are_not_forwarded_together(world, login, two_appraisals):
    first, second = register(world.officer, world.procedure), register(world.officer, world.procedure)
    dossier_forward(dossier=second, officer=world.specialist)  # at "Kiểm tra lại", still a specialist's step
    client = login(world.specialist)
    before = snapshot(first), snapshot(second)

    response = client.post(BULK, {"codes": [first.code, second.code], "confirm": "1"})

    assert response.status_code == 422
    assert "các bước khác nhau" in response.content.decode()
    assert (snapshot(first), snapshot(second)) == before


def test_a_dossier_the_officer_may_not_forward_is_reported_and_left_alone(world, login):
    mine, theirs = register(world.officer, world.procedure), register(world.officer, world.procedure)
    dossier_forward(dossier=theirs, officer=world.specialist)  # at the leader's step now
    client = login(world.specialist)
    before = snapshot(theirs)

    done = client.post(BULK, {"codes": [mine.code, theirs.code, "KHONG-CO"], "confirm": "1"}, follow=True)

    assert step_names(mine) == ["Phê duyệt kết quả"]
    assert snapshot(theirs) == before
    messages = [str(m) for m in done.context["messages"]]
    assert f"{mine.code}: đã chuyển xử lý." in messages
    assert any(m.startswith(f"{theirs.code}: ") and "không thể chuyển xử lý" in m for m in messages)
    assert any(m.startswith("KHONG-CO: ") for m in messages)


def test_nothing_selected_goes_back_to_the_inbox(world, login):
    response = login(world.specialist).post(BULK, {}, follow=True)

    assert response.redirect_chain[-1][0] == "/can-bo/"
    assert [str(m) for m in response.context["messages"]] == ["Hãy chọn ít nhất một hồ sơ để chuyển xử lý."]

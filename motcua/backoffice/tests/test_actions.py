"""Every action form: a successful post moves the dossier; a refused one changes nothing and says why."""

from __future__ import annotations

from datetime import timedelta

import pytest

from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Apology, Consultation, Dossier, Outcome
from motcua.dossiers.services.pauses import dossier_request_payment
from motcua.dossiers.services.processing import dossier_consult, dossier_forward, dossier_resolve
from motcua.dossiers.services.review import dossier_request_supplement

from .conftest import local, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]


@pytest.fixture
def dossier(world):
    return register(world.officer, world.procedure)


def post(client, dossier: Dossier, action: str, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/{action}/", data)


def status(dossier: Dossier) -> str:
    return Dossier.objects.get(pk=dossier.pk).status


def open_step(dossier: Dossier):
    return dossier.steps.get(finished_at__isnull=True)


def assert_refused(response, before, dossier, *, field: str | None = None, status_code: int = 422):
    """Re-rendered with the error summary at the top, the error next to its field, nothing changed."""
    assert response.status_code == status_code
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert html.index('class="error-summary"') < html.index('class="dossier-head"')
    if field:
        assert f'id="id_{field}-error"' in html
        assert f'href="#id_{field}' in html  # the summary links to the field
    assert snapshot(dossier) == before


def test_forward_to_a_named_leader(world, dossier, login):
    response = post(login(world.specialist), dossier, "forward", assignee="leader", comment="Đủ điều kiện")

    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/ho-so/{dossier.code}/"
    step = open_step(dossier)
    assert (step.name, step.assignee) == ("Phê duyệt kết quả", world.leader)


def test_forward_to_someone_without_the_role_is_refused(world, dossier, login):
    before = snapshot(dossier)

    response = post(login(world.specialist), dossier, "forward", assignee="officer")

    assert_refused(response, before, dossier, field="forward-assignee")


def test_send_back_needs_what_must_be_redone(world, dossier, login):
    dossier_forward(dossier=dossier, officer=world.specialist)
    client = login(world.leader)
    before = snapshot(dossier)

    assert_refused(post(client, dossier, "send_back", comment=" "), before, dossier, field="send_back-comment")
    assert post(client, dossier, "send_back", comment="Thiếu xác minh").status_code == 302
    assert open_step(dossier).name == "Thẩm định hồ sơ"


def test_request_supplement_lists_the_missing_documents_one_per_line(world, dossier, login):
    client = login(world.specialist)
    before = snapshot(dossier)

    assert_refused(
        post(client, dossier, "request_supplement", missing="\n \n"),
        before,
        dossier,
        field="request_supplement-missing",
    )
    response = post(client, dossier, "request_supplement", missing="Giấy chứng sinh\n\nCCCD của mẹ", note="Bản sao")

    assert response.status_code == 302
    assert status(dossier) == Status.AWAITING_SUPPLEMENT
    assert dossier.supplement_requests.get().missing == ["Giấy chứng sinh", "CCCD của mẹ"]


def test_the_counter_records_a_paper_supplement_but_a_specialist_may_not(world, dossier, login):
    dossier_request_supplement(dossier=dossier, officer=world.specialist, missing=["Giấy chứng sinh"])
    before = snapshot(dossier)

    assert_refused(
        post(login(world.specialist), dossier, "submit_supplement", note="Đã nhận"), before, dossier, status_code=403
    )
    assert post(login(world.officer), dossier, "submit_supplement", note="Đã nhận").status_code == 302
    assert status(dossier) == Status.PROCESSING


def test_consult_another_unit_with_a_deadline(world, dossier, login):
    client = login(world.specialist)
    before = snapshot(dossier)

    past = post(
        client, dossier, "consult", units=[world.other_unit.code], question="Xác minh?", due_at="2025-09-01T10:00"
    )
    assert_refused(past, before, dossier, field="consult-due_at")
    response = post(
        client, dossier, "consult", units=[world.other_unit.code], question="Xác minh?", due_at="2025-09-12T10:00"
    )

    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert (consultation.unit, consultation.due_at) == (world.other_unit, local(2025, 9, 12, 10))


def test_the_consulted_unit_answers(world, dossier, login):
    dossier_consult(
        dossier=dossier,
        officer=world.specialist,
        units=[world.other_unit.code],
        question="Ý kiến?",
        due_at=local(2025, 9, 12, 10),
    )
    consultation = Consultation.objects.get()
    client = login(world.outsider)
    before = snapshot(dossier)

    assert_refused(
        post(client, dossier, "answer_consult", consultation=consultation.pk, answer=""),
        before,
        dossier,
        field="answer_consult-answer",
    )
    assert post(client, dossier, "answer_consult", consultation=consultation.pk, answer="Đồng ý").status_code == 302
    consultation.refresh_from_db()
    assert (consultation.answer, consultation.answered_by) == ("Đồng ý", world.outsider)


def test_request_and_confirm_a_payment(world, dossier, login):
    client = login(world.specialist)
    before = snapshot(dossier)

    assert_refused(
        post(client, dossier, "request_payment", amount="0"), before, dossier, field="request_payment-amount"
    )
    assert post(client, dossier, "request_payment", amount="100000", note="Lệ phí trước bạ").status_code == 302
    assert status(dossier) == Status.AWAITING_PAYMENT

    officer = login(world.officer)
    paused = snapshot(dossier)
    assert_refused(
        post(officer, dossier, "confirm_payment", method="bitcoin"), paused, dossier, field="confirm_payment-method"
    )
    assert post(officer, dossier, "confirm_payment", method="cash", reference="BL-01").status_code == 302
    assert status(dossier) == Status.PROCESSING
    assert set(dossier.fee_lines.values_list("method", flat=True)) == {"cash"}


def test_apologize_with_a_later_return_time(world, dossier, login):
    client = login(world.specialist)
    before = snapshot(dossier)

    earlier = post(client, dossier, "apologize", new_due_at="2025-09-15T10:00", reason="Chờ xác minh")
    assert_refused(earlier, before, dossier, field="apologize-new_due_at")
    response = post(client, dossier, "apologize", new_due_at="2025-09-19T17:00", reason="Chờ xác minh")

    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).due_at == local(2025, 9, 19, 17)
    assert "apologize" not in [f.action for f in client.get(f"/can-bo/ho-so/{dossier.code}/").context["action_forms"]]


def test_a_second_apology_is_refused_with_the_reason_at_the_top(world, dossier, login):
    client = login(world.specialist)
    post(client, dossier, "apologize", new_due_at="2025-09-19T17:00", reason="Chờ xác minh")
    before = snapshot(dossier)

    response = post(client, dossier, "apologize", new_due_at="2025-09-22T17:00", reason="Lần nữa")

    assert_refused(response, before, dossier)
    assert Apology.objects.count() == 1
    assert 'href="#apologize-form"' in response.content.decode()


def test_the_leader_resolves_and_a_denial_needs_its_reason(world, dossier, login):
    dossier_forward(dossier=dossier, officer=world.specialist)
    client = login(world.leader)
    before = snapshot(dossier)

    assert_refused(post(client, dossier, "resolve", outcome="denied"), before, dossier, field="resolve-reason")
    assert post(client, dossier, "resolve", outcome="approved", note="Cấp giấy khai sinh").status_code == 302
    resolved = Dossier.objects.get(pk=dossier.pk)
    assert (resolved.status, resolved.outcome) == (Status.RESOLVED, Outcome.APPROVED)


def test_the_counter_returns_the_result_to_a_named_receiver(world, dossier, login):
    dossier_forward(dossier=dossier, officer=world.specialist)
    dossier_resolve(dossier=dossier, officer=world.leader, outcome=Outcome.APPROVED)
    client = login(world.officer)
    before = snapshot(dossier)

    assert_refused(
        post(client, dossier, "return_result", receiver_name=""), before, dossier, field="return_result-receiver_name"
    )
    assert post(client, dossier, "return_result", receiver_name="Nguyễn Văn An").status_code == 302
    assert status(dossier) == Status.RETURNED


def test_stop_is_for_leaders_and_the_counter_not_for_specialists(world, dossier, login):
    before = snapshot(dossier)

    assert_refused(
        post(login(world.specialist), dossier, "stop", reason="Quá hạn bổ sung"), before, dossier, status_code=403
    )
    assert_refused(post(login(world.leader), dossier, "stop", reason=""), before, dossier, field="stop-reason")
    assert post(login(world.leader), dossier, "stop", reason="Công dân đề nghị dừng").status_code == 302
    assert status(dossier) == Status.STOPPED


def test_the_counter_records_a_withdrawal_a_specialist_may_not(world, dossier, login):
    before = snapshot(dossier)

    refused = post(login(world.specialist), dossier, "withdraw", reason="Công dân rút hồ sơ")
    assert_refused(refused, before, dossier, status_code=403)
    assert post(login(world.officer), dossier, "withdraw", reason="Công dân rút hồ sơ").status_code == 302
    assert status(dossier) == Status.WITHDRAWN


def test_the_counter_accepts_or_refuses_an_online_dossier(world, login):
    first = register(world.citizen, world.procedure, receiving_unit=world.unit.code)
    second = register(world.citizen, world.procedure, receiving_unit=world.unit.code)
    waiting = snapshot(first)
    assert_refused(post(login(world.specialist), first, "accept"), waiting, first, status_code=403)
    client = login(world.officer)

    assert post(client, first, "accept", comment="Hồ sơ hợp lệ").status_code == 302
    assert status(first) == Status.PROCESSING
    before = snapshot(second)
    assert_refused(post(client, second, "refuse", reason=""), before, second, field="refuse-reason")
    assert post(client, second, "refuse", reason="Không thuộc thẩm quyền").status_code == 302
    assert status(second) == Status.REFUSED


def test_an_action_the_status_does_not_allow_changes_nothing(world, dossier, login):
    dossier_request_payment(dossier=dossier, officer=world.specialist)
    before = snapshot(dossier)

    response = post(login(world.specialist), dossier, "forward", comment="")

    assert_refused(response, before, dossier)
    assert "Không thể thực hiện thao tác “Chuyển xử lý”" in response.content.decode()


def test_unknown_actions_other_units_and_gets(world, dossier, login, clock):
    client = login(world.specialist)
    assert post(client, dossier, "approve_everything").status_code == 404
    assert client.get(f"/can-bo/ho-so/{dossier.code}/thao-tac/forward/").status_code == 405
    before = snapshot(dossier)
    clock.shift(timedelta(minutes=1))
    assert post(login(world.outsider), dossier, "forward").status_code == 404
    assert snapshot(dossier) == before

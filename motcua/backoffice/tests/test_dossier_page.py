"""The dossier page: what it shows, who may open it, and the personal-data log."""

from __future__ import annotations

import pytest

from motcua.documents.services import document_create, stored_file_create
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers.factories import register
from motcua.dossiers.models import PersonalDataAccess
from motcua.dossiers.services.pauses import dossier_apologize
from motcua.dossiers.services.processing import dossier_consult

from .conftest import local

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]


@pytest.fixture
def dossier(world):
    return register(world.officer, world.procedure)


def url(dossier) -> str:
    return f"/can-bo/ho-so/{dossier.code}/"


def test_the_page_shows_the_dossier_its_deadline_steps_and_timeline(world, dossier, login):
    dossier_apologize(
        dossier=dossier, officer=world.specialist, reason="Chờ xác minh", new_due_at=local(2025, 9, 19, 17)
    )

    response = login(world.specialist).get(url(dossier))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        dossier.code,
        "Đăng ký khai sinh",
        "2.000815",
        "Đang xử lý",  # the status in Vietnamese
        "Nguyễn Văn An",
        "001090012345",
        "UBND xã An Bình",
        "17:00 19/09/2025",  # the new return time
        "09:00 16/09/2025",  # the due time before the apology
        "Chờ xác minh",
        "Thẩm định hồ sơ",  # the current step
        "Bắt đầu: Thứ Ba 09/09/2025 lúc 09:00.",  # the calendar's explanation
        "Bỏ qua Thứ Bảy 13/09/2025",
        "Lệ phí",
        "50.000",
        "Mới đăng ký, chờ tiếp nhận → Đang xử lý",  # a timeline entry from → to
    ):
        assert text in html, text
    first = dossier.events.order_by("sequence").first()
    assert f"{first.hash[:12]}…" in html
    assert first.hash not in html.replace(f'title="{first.hash}"', "")


def test_opening_the_page_logs_the_read_of_personal_data(world, dossier, login):
    login(world.specialist).get(url(dossier))

    log = PersonalDataAccess.objects.get()
    assert (log.user, log.dossier, log.purpose) == (world.specialist, dossier, "backoffice: dossier page")


def test_an_officer_of_another_unit_gets_404_and_nothing_is_logged(world, dossier, login):
    response = login(world.outsider).get(url(dossier))

    assert response.status_code == 404
    assert dossier.code not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_an_unknown_code_is_404(world, login):
    assert login(world.specialist).get("/can-bo/ho-so/000.00.21.H99-250909-9999/").status_code == 404


def test_a_consulted_unit_sees_the_dossier_and_can_answer(world, dossier, login):
    dossier_consult(
        dossier=dossier,
        officer=world.specialist,
        units=[world.other_unit.code],
        question="Ý kiến?",
        due_at=local(2025, 9, 12, 10),
    )

    response = login(world.outsider).get(url(dossier))

    assert response.status_code == 200
    assert [form.action for form in response.context["action_forms"]] == ["answer_consult"]


def test_the_specialist_is_offered_exactly_what_the_services_allow(world, dossier, login):
    response = login(world.specialist).get(url(dossier))

    offered = [form.action for form in response.context["action_forms"]]
    # No "send back" from the first processing step, no "stop" or "withdraw" for a specialist.
    assert offered == ["forward", "request_supplement", "consult", "request_payment", "apologize", "resolve"]


def test_a_finished_dossier_offers_no_action(world, dossier, login):
    response = login(world.leader).get(url(dossier))
    assert "stop" in [f.action for f in response.context["action_forms"]]
    login(world.leader).post(url(dossier) + "thao-tac/stop/", {"stop-reason": "Công dân đề nghị"})

    response = login(world.leader).get(url(dossier))

    assert response.context["action_forms"] == []
    assert "Bạn không có thao tác nào" in response.content.decode()


def test_the_files_of_the_dossier_are_listed_with_a_link(world, dossier, login):
    stored = stored_file_create(content=pdf_bytes(), filename="giay-chung-sinh.pdf")
    document = document_create(
        kind="component_scan", stored_file=stored, name="Giấy chứng sinh", dossier_code=dossier.code
    )

    html = login(world.specialist).get(url(dossier)).content.decode()

    assert f'href="/api/v1/dossiers/{dossier.code}/documents/{document.pk}"' in html
    assert "Giấy chứng sinh" in html

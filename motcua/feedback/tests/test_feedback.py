"""Feedback (PAKN): receipt with due times from the calendar, the staff moves, the public list, the API."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from motcua.accounts.roles import AccountKind
from motcua.accounts.testing import verified_staff_client
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.dossiers.factories import UserFactory
from motcua.feedback.models import Feedback, FeedbackChannel, FeedbackEvent, FeedbackStatus, FeedbackVote
from motcua.feedback.services import feedback as fb
from motcua.feedback.tests.conftest import vn

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.feedback.tests.urls")]


def data(province, **overrides: str) -> fb.FeedbackInput:
    values = {
        "category": "officer_unit",
        "target_unit": province.a.unit.code,
        "title": "Chờ lâu tại quầy",
        "content": "Tôi phải chờ hơn một giờ.",
        "contact_name": "Trần Thị Bình",
        "contact_phone": "0987654321",
    }
    return fb.FeedbackInput(**{**values, **overrides})


def test_receipt_sets_the_due_times_from_the_working_calendar(province):
    # Tuesday 1 July 2025, 09:00: no holiday in July, 8 working hours a day.
    item = fb.feedback_submit(data=data(province))

    assert item.status == FeedbackStatus.RECEIVED
    assert item.code.startswith("PAKN-250701-")
    assert item.reject_due_at == vn(2025, 7, 3)  # 2 working days
    assert item.info_due_at == vn(2025, 7, 8)  # 5 working days
    assert item.answer_due_at == vn(2025, 7, 22)  # 15 working days
    assert list(item.events.values_list("action", flat=True)) == ["receive"]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"category": "gossip"}, "unknown_category"),
        ({"target_unit": "000.99.99.H99"}, "unknown_unit"),
        ({"content": "  "}, "required"),
        ({"contact_phone": ""}, "no_contact"),
        ({"category": "dossier"}, "required"),
        ({"category": "dossier", "dossier_code": "NOPE-1"}, "unknown_dossier"),
        ({"follows_code": "PAKN-000000-00000"}, "unknown_feedback"),
    ],
)
def test_bad_feedback_is_refused_and_nothing_is_written(province, overrides, code):
    with pytest.raises(InvalidInput) as refused:
        fb.feedback_submit(data=data(province, **overrides))

    assert refused.value.code == code
    assert not Feedback.objects.exists()
    assert not FeedbackEvent.objects.exists()


def test_answer_then_publish_and_wrong_moves_change_nothing(province):
    item = fb.feedback_submit(data=data(province))
    with pytest.raises(Conflict):
        fb.feedback_publish(feedback=item, officer=province.a.leader)

    item = fb.feedback_answer(feedback=item, officer=province.a.specialist, answer="Đã chấn chỉnh.", at=vn(2025, 7, 2))
    with pytest.raises(Conflict):
        fb.feedback_reject(feedback=item, officer=province.a.specialist, reason="Ngoài phạm vi")
    item = fb.feedback_publish(feedback=item, officer=province.a.leader, at=vn(2025, 7, 3))

    item.refresh_from_db()
    assert item.status == FeedbackStatus.PUBLISHED
    assert item.rejected_at is None
    assert item.publish_due_at == vn(2025, 7, 4)  # 2 working days after the answer
    assert list(item.events.values_list("action", flat=True)) == ["receive", "answer", "publish"]


def test_request_info_then_info_received_then_forward_keeps_the_clock(province):
    item = fb.feedback_submit(data=data(province))
    item = fb.feedback_request_info(feedback=item, officer=province.a.officer, reason="Thiếu ngày giờ")
    item = fb.feedback_info_received(feedback=item, officer=province.a.officer)
    due = item.answer_due_at

    item = fb.feedback_forward(feedback=item, officer=province.a.officer, unit=province.b.unit)

    item.refresh_from_db()
    assert item.status == FeedbackStatus.RECEIVED
    assert item.target_unit == province.b.unit
    assert item.answer_due_at == due
    assert item.info_requested_at is not None


def test_a_vote_needs_a_published_answer_and_counts_once(province):
    item = fb.feedback_submit(data=data(province))
    reader = UserFactory(kind=AccountKind.CITIZEN)
    with pytest.raises(NotFound):
        fb.feedback_vote(feedback=item, voter=reader, satisfied=True)
    item = fb.feedback_answer(feedback=item, officer=province.a.specialist, answer="Đã xử lý.")
    item = fb.feedback_publish(feedback=item, officer=province.a.leader)

    fb.feedback_vote(feedback=item, voter=reader, satisfied=False)
    with pytest.raises(Conflict):
        fb.feedback_vote(feedback=item, voter=reader, satisfied=True)
    assert list(FeedbackVote.objects.values_list("satisfied", flat=True)) == [False]


# --- pages ---------------------------------------------------------------------------------------


def test_a_visitor_sends_feedback_and_bad_input_shows_the_summary(client, province):
    bad = client.post(reverse("feedback:new"), {"category": "officer_unit", "title": "x"})
    assert bad.status_code == 422
    assert 'class="error-summary"' in bad.content.decode()
    assert not Feedback.objects.exists()

    form = {**data(province).__dict__, "contact_email": "", "contact_address": ""}
    response = client.post(reverse("feedback:new"), form)

    item = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:sent", args=[item.code])
    assert item.channel == FeedbackChannel.PORTAL
    assert item.submitter is None


def test_the_public_list_shows_answers_without_personal_data(client, province):
    item = fb.feedback_submit(data=data(province))
    fb.feedback_publish(
        feedback=fb.feedback_answer(feedback=item, officer=province.a.specialist, answer="Đã chấn chỉnh cán bộ."),
        officer=province.a.leader,
    )
    fb.feedback_submit(data=data(province, title="Chưa trả lời"))

    page = client.get(reverse("feedback:published")).content.decode()

    assert "Đã chấn chỉnh cán bộ." in page
    assert "Chờ lâu tại quầy" in page
    assert "Chưa trả lời" not in page
    assert "Trần Thị Bình" not in page
    assert "0987654321" not in page


def test_staff_see_their_units_feedback_only(client, province):
    item = fb.feedback_submit(data=data(province))
    verified_staff_client(client, province.b.officer)
    assert client.get(reverse("feedback:staff-detail", args=[item.code])).status_code == 404
    assert item.code not in client.get(reverse("feedback:staff-list")).content.decode()

    response = client.post(reverse("feedback:staff-act", args=[item.code, "reject"]), {"reject-text": "Ngoài"})

    assert response.status_code == 404
    assert Feedback.objects.get().status == FeedbackStatus.RECEIVED


def test_staff_answer_and_only_a_leader_publishes(client, province):
    item = fb.feedback_submit(data=data(province))
    verified_staff_client(client, province.a.specialist)
    assert client.get(reverse("feedback:staff-detail", args=[item.code])).status_code == 200

    empty = client.post(reverse("feedback:staff-act", args=[item.code, "answer"]), {"answer-text": ""})
    answered = client.post(reverse("feedback:staff-act", args=[item.code, "answer"]), {"answer-text": "Đã xử lý."})
    not_allowed = client.post(reverse("feedback:staff-act", args=[item.code, "publish"]))

    assert empty.status_code == 422
    assert answered.status_code == 302
    assert not_allowed.status_code == 404
    assert Feedback.objects.get().status == FeedbackStatus.ANSWERED
    verified_staff_client(client, province.a.leader)
    assert client.post(reverse("feedback:staff-act", args=[item.code, "publish"])).status_code == 302
    assert Feedback.objects.get().status == FeedbackStatus.PUBLISHED


# --- API -----------------------------------------------------------------------------------------


def test_api_anyone_sends_feedback_and_reads_published_answers(client, province):
    body = {**data(province).__dict__, "channel": "letter"}
    created = client.post("/api/v1/feedback", json.dumps(body), content_type="application/json")

    assert created.status_code == 201
    item = Feedback.objects.get(code=created.json()["code"])
    assert item.channel == FeedbackChannel.PORTAL  # a visitor cannot choose another channel
    fb.feedback_publish(
        feedback=fb.feedback_answer(feedback=item, officer=province.a.specialist, answer="Đã xử lý."),
        officer=province.a.leader,
    )
    listed = client.get("/api/v1/feedback/published").json()
    assert listed["count"] == 1
    assert listed["items"][0]["answer"] == "Đã xử lý."
    assert "contact_name" not in listed["items"][0]
    assert "Trần Thị Bình" not in json.dumps(listed)


@pytest.mark.parametrize("overrides", [{"category": "gossip"}, {"title": ""}, {"target_unit": "X"}])
def test_api_bad_feedback_is_a_400_and_writes_nothing(client, province, overrides):
    body = {**data(province).__dict__, **overrides}

    response = client.post("/api/v1/feedback", json.dumps(body), content_type="application/json")

    assert response.status_code == 400
    assert "error" in response.json()
    assert not Feedback.objects.exists()


def test_api_a_verified_officer_records_a_letter(client, province):
    verified_staff_client(client, province.a.officer)
    body = {**data(province).__dict__, "channel": "letter"}

    created = client.post("/api/v1/feedback", json.dumps(body), content_type="application/json")

    assert created.status_code == 201
    item = Feedback.objects.get()
    assert item.channel == FeedbackChannel.LETTER
    assert item.recorded_by == province.a.officer

"""An official records feedback that came by phone, hotline, letter or in person (SPEC §3.8).

The clock stands at Tuesday 1 July 2025, 09:00 (no holiday in July; working days Monday–Friday).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.accounts.testing import verified_staff_client
from motcua.core.errors import InvalidInput
from motcua.feedback.models import Feedback, FeedbackChannel, FeedbackEvent, FeedbackStatus
from motcua.feedback.services import feedback as fb
from motcua.feedback.tests.conftest import vn
from motcua.metrics.periods import parse_period
from motcua.metrics.services import index_766_from_dossiers, index_766_maintained

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.feedback.tests.urls")]

URL = "/y-kien/can-bo/ghi-nhan/"


def form(province, **overrides: str) -> dict[str, str]:
    return {
        "channel": "phone",
        "received_at": "2025-06-30T14:00",  # Monday afternoon, typed in on Tuesday morning
        "contact_name": "Nguyễn Văn An",
        "contact_phone": "0912345678",
        "category": "officer_unit",
        "target_unit": province.a.unit.code,
        "title": "Gọi điện phản ánh thái độ cán bộ",
        "content": "Ông An gọi điện phản ánh cán bộ tiếp nhận không hướng dẫn đầy đủ.",
        **overrides,
    }


def test_the_record_page_is_reached_from_the_staff_list(client, province):
    verified_staff_client(client, province.a.officer)

    listing = client.get(reverse("feedback:staff-list")).content.decode()
    page = client.get(URL)

    assert reverse("feedback:staff-record") == URL
    assert f'href="{URL}"' in listing
    assert "Ghi nhận phản ánh (điện thoại, thư, trực tiếp)" in listing
    assert page.status_code == 200
    assert 'value="portal"' not in page.content.decode()  # the portals file their own


def test_anonymous_visitors_are_sent_to_log_in_and_citizens_are_refused(client, province):
    anonymous_get, anonymous_post = client.get(URL), client.post(URL, form(province))
    client.force_login(province.citizen)
    citizen_get, citizen_post = client.get(URL), client.post(URL, form(province))

    assert anonymous_get.status_code == anonymous_post.status_code == 302
    assert anonymous_get["Location"].startswith(reverse("accounts:login"))
    assert citizen_get.status_code == citizen_post.status_code == 403
    assert not Feedback.objects.exists()


def test_a_phone_call_is_recorded_with_its_deadlines_counted_from_the_call(client, province):
    verified_staff_client(client, province.a.officer)

    response = client.post(URL, form(province))

    item = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:staff-detail", args=[item.code])
    assert item.channel == FeedbackChannel.PHONE
    assert item.status == FeedbackStatus.RECEIVED
    assert item.received_at == vn(2025, 6, 30, 14)
    assert item.code.startswith("PAKN-250630-")
    assert item.reject_due_at == vn(2025, 7, 2, 14)  # 2 working days from the call, not from the typing
    assert item.info_due_at == vn(2025, 7, 7, 14)  # 5 working days
    assert item.answer_due_at == vn(2025, 7, 21, 14)  # 15 working days
    assert item.recorded_by == province.a.officer
    assert item.submitter is None
    event = FeedbackEvent.objects.get()
    assert (event.action, event.actor, event.at) == ("receive", province.a.officer, vn(2025, 6, 30, 14))
    assert event.data["channel"] == "phone"
    assert event.data["recorded_at"].startswith("2025-07-01T02:00")  # 09:00 in Vietnam
    detail = client.get(response["Location"]).content.decode()
    assert "Qua điện thoại" in detail
    assert item.code in client.get(reverse("feedback:staff-list")).content.decode()


@pytest.mark.parametrize("channel", ["hotline", "letter", "counter"])
def test_each_offline_channel_can_be_recorded_with_a_dossier_code(client, province, channel):
    dossier = province.direct()
    verified_staff_client(client, province.a.specialist)

    response = client.post(URL, form(province, channel=channel, category="dossier", dossier_code=dossier.code.lower()))

    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.channel == channel
    assert item.dossier == dossier


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_at": "2025-07-01T09:30"}, "received_at", "tương lai"),
        ({"received_at": "2025-05-30T09:00"}, "received_at", "30 ngày"),
        ({"received_at": "hôm qua"}, "received_at", ""),
        ({"channel": "portal"}, "channel", ""),
        ({"channel": "national_portal"}, "channel", ""),
        ({"dossier_code": "000.00.21.H99-250701-9999"}, "dossier_code", "hồ sơ"),
        ({"category": "dossier", "dossier_code": "KHONG-CO"}, "dossier_code", "hồ sơ"),
        ({"category": "dossier"}, "dossier_code", ""),
        ({"contact_phone": ""}, "contact_phone", ""),
        ({"content": ""}, "content", ""),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field_and_saves_nothing(client, province, overrides, field, message):
    verified_staff_client(client, province.a.officer)

    response = client.post(URL, form(province, **overrides))

    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert 'class="error-summary"' in response.content.decode()
    assert not Feedback.objects.exists()
    assert not FeedbackEvent.objects.exists()


def test_an_official_records_only_for_his_own_units(client, province):
    verified_staff_client(client, province.b.officer)

    response = client.post(URL, form(province))  # An Bình is not his commune

    assert response.status_code == 422
    assert "target_unit" in response.context["form"].errors
    assert not Feedback.objects.exists()


def test_the_service_refuses_the_same_things_without_the_form(province):
    data = fb.FeedbackInput(
        category="regulation",
        target_unit=province.a.unit.code,
        title="Thư góp ý",
        content="Đề nghị rút gọn tờ khai.",
        contact_name="Lê Thị Hoa",
        contact_address="Thôn 3, xã An Bình",
    )
    record = {"data": data, "officer": province.a.officer}
    with pytest.raises(InvalidInput, match="tương lai"):
        fb.feedback_record(**record, channel="letter", received_at=vn(2025, 7, 1, 9, 1))
    with pytest.raises(InvalidInput):
        fb.feedback_record(**record, channel="portal", received_at=vn(2025, 7, 1))
    with pytest.raises(InvalidInput):
        fb.feedback_record(data=data, officer=province.b.leader, channel="letter", received_at=vn(2025, 7, 1))
    assert not Feedback.objects.exists()

    item = fb.feedback_record(**record, channel="letter", received_at=vn(2025, 6, 2))  # 29 days ago: accepted
    assert item.received_at == vn(2025, 6, 2)


def test_a_recorded_feedback_counts_in_5_2_and_5_3_from_when_it_was_received(province):
    """Two items to An Bình in July: one by phone, one on the portal, both published the day after the answer.

    The call came on 01/07 09:00 but was typed in on 08/07; answered 23/07 09:00 = 16 working days
    after the call (late), though only 11 after the typing. The portal one is answered in 3 days.
    5.2 = 1 / 2 and 5.3 = 1 / 2, the same from the maintained facts and from the raw rows.
    """
    province.at(vn(2025, 7, 8))
    data = fb.FeedbackInput(
        category="officer_unit",
        target_unit=province.a.unit.code,
        title="Phản ánh qua điện thoại",
        content="Nội dung",
        contact_name="Lê Văn C",
        contact_phone="0900000000",
    )
    by_phone = fb.feedback_record(data=data, channel="phone", officer=province.a.officer, received_at=vn(2025, 7, 1))
    online = fb.feedback_submit(data=data)
    for item, answered in ((by_phone, vn(2025, 7, 23)), (online, vn(2025, 7, 11))):
        province.at(answered)
        item = fb.feedback_answer(feedback=item, officer=province.a.specialist, answer="Đã xử lý.")
        province.at(vn(answered.year, answered.month, answered.day + 1))
        fb.feedback_publish(feedback=item, officer=province.a.leader)
    now = vn(2025, 9, 15)
    province.at(now)
    july = parse_period("2025-07", today=now.date())

    maintained = index_766_maintained(unit=province.a.unit, period=july, now=now)
    raw = index_766_from_dossiers(unit=province.a.unit, period=july, now=now)

    for result in (maintained, raw):
        assert (result.metric("5.2").numerator, result.metric("5.2").denominator) == (1, 2)
        assert (result.metric("5.3").numerator, result.metric("5.3").denominator) == (1, 2)
        assert result.metric("5.2").ratio == Decimal("50.00")

"""Dashboards (SPEC §3.10): the list of feedback overdue for handling, reached from the sub-navigation;
axe-clean and readable at 360 px."""

from datetime import timedelta

import pytest

from motcua.accounts.models import User
from motcua.accounts.testing import confirmed_device
from motcua.core import clock
from motcua.feedback.models import Feedback, FeedbackStatus
from motcua.organizations.models import Unit
from tests.browser.harness import DEMO_COMMUNE, MOBILE, assert_no_horizontal_scroll, axe_check, login_staff

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


@pytest.fixture
def overdue():
    received = clock.now() - timedelta(days=40)
    return Feedback.objects.create(
        code="PAKN-TEST-00001",
        category="regulation",
        target_unit=Unit.objects.get(code=DEMO_COMMUNE),
        title="Chậm trả lời phản ánh về thủ tục chứng thực",
        content="Nội dung",
        channel="portal",
        contact_name="Nguyễn Văn An",
        status=FeedbackStatus.RECEIVED,
        received_at=received,
        answer_due_at=received + timedelta(days=21),
        reject_due_at=received + timedelta(days=2),
        info_due_at=received + timedelta(days=7),
    )


def test_controller_opens_the_overdue_feedback_list_from_the_dashboard(page, overdue):
    controller = User.objects.get(username="demo-controller")
    login_staff(page, "demo-controller", "MotCua-demo-controller-2026", confirmed_device(controller))
    page.goto(f"/chi-so/noi-bo/?unit={DEMO_COMMUNE}")

    with page.expect_navigation():
        page.get_by_role("link", name="Phản ánh, kiến nghị quá hạn").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Phản ánh, kiến nghị quá hạn xử lý"
    assert overdue.code in page.get_by_role("table").inner_text()
    axe_check(page)
    page.set_viewport_size(MOBILE)
    assert_no_horizontal_scroll(page)

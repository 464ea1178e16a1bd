"""The counter queue in a real browser: the kiosk prints a number, the officer calls it, the board shows it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from motcua.accounts.models import User
from motcua.accounts.testing import confirmed_device
from motcua.queueing.demo import seed_demo_queue
from tests.browser.harness import MOBILE, assert_no_horizontal_scroll, axe_check, login_staff, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

COMMUNE = "000.00.21.H99"
KIOSK = f"/xep-hang/{COMMUNE}/kiosk/"
BOARD = f"/xep-hang/{COMMUNE}/bang/"


@pytest.fixture
def queue_demo(demo, new_context) -> None:
    # Seed once the browser and the live server run, in the order the other journeys start them.
    seed_demo_queue(days=14)


def _officer_page(new_context):
    page = new_context().new_page()
    login_staff(
        page, "demo-counter", "MotCua-demo-counter-2026", confirmed_device(User.objects.get(username="demo-counter"))
    )
    return page


def test_kiosk_ticket_is_called_at_the_counter_and_shown_on_the_board(queue_demo, new_context):
    kiosk = new_context(java_script_enabled=False).new_page()  # the kiosk works without scripts
    kiosk.goto(KIOSK)
    area_button = kiosk.get_by_role("button", name=re.compile("Hộ tịch, chứng thực"))
    kiosk.get_by_label("Người cao tuổi").check()
    with kiosk.expect_navigation():
        area_button.click()
    expect(kiosk.locator(".ticket-card .number")).to_have_text("A001")
    expect(kiosk.locator(".ticket-card")).to_contain_text("Người cao tuổi")

    board = new_context().new_page()
    board.goto(BOARD)
    expect(board.locator(".board-table")).to_contain_text("Hôm nay chưa gọi số nào")
    axe_check(board)

    officer = _officer_page(new_context)
    officer.goto("/xep-hang/quay/")
    officer.get_by_role("link", name=re.compile("Bộ phận Một cửa")).click()
    officer.get_by_role("button", name="Mở quầy (làm việc tại quầy này)").click()
    officer.get_by_role("button", name=re.compile("Gọi số tiếp theo")).click()
    expect(officer.locator(".queue-current .number")).to_have_text("A001")
    axe_check(officer)
    screenshot(officer, "queue-console", full_page=False)

    # The board polls every 5 seconds (htmx): the call appears without reloading the page.
    expect(board.locator("tr.latest .ticket-no")).to_have_text("A001", timeout=15_000)
    expect(board.locator("tr.latest")).to_contain_text("Bộ phận Một cửa")
    expect(board.get_by_role("button", name=re.compile("Đọc số bằng giọng nói"))).to_have_attribute(
        "aria-pressed", "false"
    )
    screenshot(board, "queue-board", full_page=False)

    officer.get_by_role("button", name="Bắt đầu phục vụ").click()
    officer.get_by_role("button", name="Hoàn thành").click()
    expect(officer.locator(".queue-current")).to_contain_text("Chưa có ai tại quầy")


def test_kiosk_is_accessible_and_fits_a_phone(queue_demo, new_context):
    page = new_context(viewport=MOBILE).new_page()
    page.goto(KIOSK)

    axe_check(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "queue-kiosk")


def test_the_staffing_advisor_renders(queue_demo, new_context):
    page = _officer_page(new_context)
    page.goto("/xep-hang/thong-ke/")

    expect(page.get_by_role("heading", name="Gợi ý bố trí quầy", exact=True)).to_be_visible()
    expect(page.locator("table").last).to_contain_text("Số quầy khuyến nghị")
    expect(page.locator("svg.queue-chart").first).to_be_visible()
    axe_check(page)
    screenshot(page, "queue-advisor")

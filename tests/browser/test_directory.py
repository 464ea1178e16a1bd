"""The public directory of agencies and one-stop counters (SPEC §3.1)."""

import pytest

from motcua.organizations.models import Counter
from tests.browser.harness import axe_check, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def test_directory_lists_the_counters_and_shows_who_serves_at_one(page):
    counter = Counter.objects.get(memberships__user__username="demo-counter")
    page.goto("/co-quan/")

    assert page.get_by_role("heading", level=1).inner_text() == "Bộ phận Một cửa"
    assert page.locator("main").get_by_role("link", name="Bộ phận Một cửa").count() >= 8
    axe_check(page)
    screenshot(page, "directory", full_page=False)

    with page.expect_navigation():
        page.get_by_role("link", name=counter.name, exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == counter.name
    assert "Nguyễn Thị Hằng" in page.get_by_role("table").inner_text()
    axe_check(page)
    screenshot(page, "counter-staff", full_page=False)

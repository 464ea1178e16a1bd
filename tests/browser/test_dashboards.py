"""Dashboards (SPEC §3.10): a controller opens the index dashboard and follows a drill-down link; the
public weekly index page. Both axe-clean, and readable at 360 px."""

import io

import pytest
from django.core.management import call_command

from motcua.accounts.models import User
from motcua.accounts.testing import confirmed_device
from motcua.dossiers.factories import ProcedureFactory, offer, register
from motcua.organizations.models import Unit
from tests.browser.harness import DEMO_COMMUNE, MOBILE, assert_no_horizontal_scroll, axe_check, login_staff, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


@pytest.fixture
def dossier():
    procedure = ProcedureFactory(code="9.999901")
    offer(procedure, Unit.objects.get(code=DEMO_COMMUNE))
    return register(User.objects.get(username="demo-counter"), procedure)


def test_controller_opens_the_dashboard_and_follows_a_drilldown_link(page, dossier):
    controller = User.objects.get(username="demo-controller")
    login_staff(page, "demo-controller", "MotCua-demo-controller-2026", confirmed_device(controller))

    page.goto(f"/chi-so/noi-bo/?unit={DEMO_COMMUNE}")

    assert page.get_by_role("heading", level=1).inner_text() == "Bảng chỉ số 766"
    assert page.locator("svg.gauge").count() >= 7
    axe_check(page)
    screenshot(page, "dashboard", full_page=False)
    link = page.locator('a[href*="/chi-so/noi-bo/ho-so/2.1/denominator/"]')
    assert link.inner_text() == "1"

    with page.expect_navigation():
        link.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Mẫu số của chỉ tiêu 2.1"
    table = page.get_by_role("table").inner_text()
    assert dossier.code in table
    axe_check(page)
    page.set_viewport_size(MOBILE)
    assert_no_horizontal_scroll(page)
    page.goto(f"/chi-so/noi-bo/?unit={DEMO_COMMUNE}")
    assert_no_horizontal_scroll(page)


def test_the_public_index_page_lists_the_published_units(page, dossier):
    call_command("publish_index", "--unit", DEMO_COMMUNE, stdout=io.StringIO())
    unit = Unit.objects.get(code=DEMO_COMMUNE)

    page.goto("/chi-so/")

    assert page.get_by_role("heading", level=1).inner_text() == "Chỉ số phục vụ của các đơn vị"
    assert unit.name in page.get_by_role("table").inner_text()
    axe_check(page)
    screenshot(page, "public-index", full_page=False)

    with page.expect_navigation():
        page.get_by_role("link", name=unit.name, exact=True).click()

    assert page.get_by_role("heading", level=1).inner_text() == unit.name
    axe_check(page)
    page.set_viewport_size(MOBILE)
    assert_no_horizontal_scroll(page)
    page.goto("/chi-so/")
    assert_no_horizontal_scroll(page)

"""The administrator edits a process definition (and sees its diagram) and adds a calendar override."""

from __future__ import annotations

import pytest

from tests.browser.harness import (
    DEMO_COMMUNE,
    MOBILE,
    assert_no_horizontal_scroll,
    axe_check,
    screenshot,
    staff_page,
    vi,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def test_administrator_edits_a_process_definition_and_sees_the_diagram(new_context):
    from motcua.organizations.models import Unit

    page = staff_page(new_context, "demo-admin")
    page.goto("/can-bo/quan-tri/")
    axe_check(page)

    page.goto("/can-bo/quan-tri/quy-trinh/")
    page.locator("#id_new-procedure").fill("1.004873")  # 3 working days: the steps must add up to 24 hours
    page.locator("#id_new-unit").select_option(str(Unit.objects.get(code=DEMO_COMMUNE).pk))
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Start"), exact=True).click()

    diagram = page.locator("svg.process-diagram")
    assert diagram.is_visible()
    axe_check(page)

    # Too many hours on the appraisal step: refused, with a summary and nothing saved.
    hours = page.locator("#id_steps-1-allotted_hours")
    original = hours.input_value()
    hours.fill(str(float(original) + 5))
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Save as a new version")).click()
    assert page.get_by_role("alert").is_visible()
    assert vi("There is a problem") in page.get_by_role("alert").inner_text()
    axe_check(page)

    hours.fill(original)
    page.locator("#id_steps-1-name").fill("Thẩm định hồ sơ và xác minh")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Save as a new version")).click()

    assert "Thẩm định hồ sơ và xác minh" in diagram.inner_html()
    assert "Thẩm định hồ sơ và xác minh" in page.locator("main ol").first.inner_text()
    assert vi("Saved as version %(version)d.") % {"version": 2} in page.get_by_role("status").inner_text()
    axe_check(page)
    screenshot(page, "administration-process", full_page=True)


def test_administrator_adds_a_calendar_override_and_sees_its_effect(new_context):
    page = staff_page(new_context, "demo-admin")
    page.goto("/can-bo/quan-tri/lich/")
    axe_check(page)

    page.locator("#id_override-day").fill("2030-12-31")
    page.locator("#id_override-kind_0").check()
    page.locator("#id_override-reason").fill("Nghỉ thêm theo thông báo")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Save the override")).click()

    assert vi("The override was saved.") in page.get_by_role("status").inner_text()
    assert "31/12/2030" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "administration-calendar", full_page=False)


def test_administration_pages_fit_a_phone(new_context):
    """At 360 px the home, the users list and the process diagram page do not scroll sideways (wide
    tables and the diagram scroll inside their own boxes), and they pass axe."""
    from motcua.catalog.models import Procedure
    from motcua.organizations.models import Unit
    from motcua.workflow.services import process_definition_for

    procedure = Procedure.objects.select_related("current_version").get(code="1.004873")
    definition = process_definition_for(version=procedure.current_version, unit=Unit.objects.get(code=DEMO_COMMUNE))

    page = staff_page(new_context, "demo-admin")
    page.set_viewport_size(MOBILE)
    for path in ("/can-bo/quan-tri/", "/can-bo/quan-tri/nguoi-dung/", f"/can-bo/quan-tri/quy-trinh/{definition.pk}/"):
        page.goto(path)
        assert page.locator("main h1").is_visible()
        assert_no_horizontal_scroll(page)
        axe_check(page)
    assert page.locator("svg.process-diagram").is_visible()
    screenshot(page, "administration-process-phone", full_page=False)


def test_administrator_adds_a_queue_service_area_that_the_kiosk_shows_until_deactivated(new_context):
    from motcua.organizations.models import Unit

    unit = Unit.objects.get(code=DEMO_COMMUNE)
    page = staff_page(new_context, "demo-admin")
    page.goto(f"/can-bo/quan-tri/don-vi/{unit.pk}/")
    assert page.get_by_role("heading", name=vi("Queue service areas")).is_visible()
    with page.expect_navigation():
        page.get_by_role("link", name=vi("Add a service area")).click()
    axe_check(page)

    # The demo commune's kiosk already has an area A: its letter is refused with a summary.
    page.locator("#id_area-letter").fill("A")
    page.locator("#id_area-name").fill("Chứng thực lưu động")
    page.locator("#id_area-procedure_fields").fill("Chứng thực bản sao, chữ ký")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Add the service area")).click()
    assert vi("There is a problem") in page.get_by_role("alert").inner_text()
    assert page.locator("#id_area-letter-error").is_visible()
    axe_check(page)

    page.locator("#id_area-letter").fill("K")
    page.locator("#id_area-counters_0").check()
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Add the service area")).click()
    assert vi("The service area was added to the kiosk.") in page.get_by_role("status").inner_text()
    assert "Chứng thực bản sao, chữ ký" in page.locator("main").inner_text()
    axe_check(page)

    with page.expect_navigation():
        page.get_by_role("link", name=vi("Open the kiosk page")).click()
    assert page.locator(".area-button", has_text="Chứng thực lưu động").is_visible()

    page.goto(f"/can-bo/quan-tri/don-vi/{unit.pk}/")
    with page.expect_navigation():
        page.get_by_role("button", name=f"{vi('Deactivate')} K · Chứng thực lưu động").click()
    status = page.get_by_role("status").inner_text()
    assert vi("The service area was deactivated: it no longer shows on the kiosk.") in status
    page.goto(f"/xep-hang/{DEMO_COMMUNE}/kiosk/")
    assert page.locator(".area-button").count() > 0
    assert page.locator(".area-button", has_text="Chứng thực lưu động").count() == 0

"""The portal's front page and the shell every page shares: language, search, phones, weight."""

import pytest

from tests.browser.harness import (
    CITIZEN_PAGE_BUDGET,
    MOBILE,
    assert_no_horizontal_scroll,
    axe_check,
    page_weight,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def test_home_page_is_vietnamese_accessible_and_light(page):
    weight = page_weight(page, "/")

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Dịch vụ công trực tuyến"
    assert page.get_by_role("search").get_by_label("Tìm thủ tục hành chính").is_visible()
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    for link in ("Trang chủ", "Thủ tục hành chính", "Tra cứu hồ sơ", "Cơ quan, Bộ phận Một cửa", "Đăng nhập"):
        assert nav.get_by_role("link", name=link).is_visible(), link
    assert weight < CITIZEN_PAGE_BUDGET, f"the home page weighs {weight} bytes"
    axe_check(page)
    screenshot(page, "home-desktop")


def test_home_page_fits_a_360_px_phone(new_context):
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()

    page.goto("/")

    assert_no_horizontal_scroll(page)
    axe_check(page)
    screenshot(page, "home-mobile")


def test_search_from_the_home_page_works_without_javascript(new_context):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/")

    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    with page.expect_navigation():
        page.get_by_role("button", name="Tìm kiếm").first.click()

    assert page.url.endswith("/thu-tuc/?q=dang+ky+khai+sinh")
    assert page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True).is_visible()


def test_home_page_links_every_field_to_its_filtered_catalog(page):
    page.goto("/")

    fields = page.get_by_role("region", name="Thủ tục theo lĩnh vực").get_by_role("link")

    assert fields.count() >= 3
    first = fields.first
    name = first.inner_text()
    first.click()
    page.wait_for_url("**/thu-tuc/?field=*")
    assert page.get_by_role("heading", level=1).is_visible()
    assert name in page.get_by_label("Lĩnh vực").locator("option:checked").inner_text()


def test_the_switch_turns_the_site_to_english_and_back(page):
    page.goto("/")

    page.get_by_label("Ngôn ngữ").select_option("en")
    with page.expect_navigation():
        page.get_by_role("button", name="Thay đổi").click()

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Public administrative services"
    assert page.url.endswith("/")
    axe_check(page)

    page.get_by_label("Language").select_option("vi")
    with page.expect_navigation():
        page.get_by_role("button", name="Change").click()

    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", level=1).inner_text() == "Dịch vụ công trực tuyến"


def test_the_app_serves_its_own_styles_and_scripts(page):
    page.goto("/")

    css = page.request.get("/static/motcua/site.css")

    assert css.ok
    assert css.headers["content-type"].startswith("text/css")
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor") == (
        "rgb(163, 17, 27)"
    )
    assert page.evaluate("() => window.htmx && htmx.version").startswith("2.")

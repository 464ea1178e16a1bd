"""Finding a procedure in the public catalog, as a citizen would (SPEC §3.2)."""

import pytest

from tests.browser.harness import CITIZEN_PAGE_BUDGET, MOBILE, assert_no_horizontal_scroll, axe_check, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


@pytest.fixture
def catalog_ready(page):
    """Skip (with the reason) while the catalog pages are not served yet."""
    status = page.request.get("/thu-tuc/").status
    if status != 200:
        pytest.skip(f"/thu-tuc/ answered {status}: the catalog pages have not landed yet")


@pytest.mark.usefixtures("catalog_ready")
def test_a_search_without_diacritics_finds_birth_registration_and_opens_it(page):
    page.goto("/thu-tuc/")
    axe_check(page)

    page.get_by_role("searchbox").fill("dang ky khai sinh")
    with page.expect_navigation():
        page.get_by_role("searchbox").press("Enter")
    result = page.get_by_role("link", name="Thủ tục đăng ký khai sinh", exact=True)

    assert result.is_visible()
    axe_check(page)
    screenshot(page, "catalog-search", full_page=False)

    with page.expect_navigation():
        result.click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thủ tục đăng ký khai sinh"
    assert "1.001193" in page.locator("main").inner_text()
    axe_check(page)
    screenshot(page, "procedure-detail", full_page=False)


@pytest.mark.usefixtures("catalog_ready")
def test_procedure_page_is_light_and_fits_a_phone(new_context):
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True).new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))

    page.goto("/thu-tuc/1.001193/", wait_until="networkidle")
    weight = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)

    assert weight < CITIZEN_PAGE_BUDGET, f"the procedure page weighs {weight} bytes"
    assert_no_horizontal_scroll(page)
    axe_check(page)
    screenshot(page, "procedure-detail-mobile", full_page=False)

"""The counter's extras in a real browser (issue 5): a certified electronic copy from an original, and an
organization as the applicant, found by its tax code. axe-clean, and readable at 360 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.harness import (
    CITIZEN_ID_NUMBER,
    MOBILE,
    assert_no_horizontal_scroll,
    axe_check,
    screenshot,
    staff_page,
    vi,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

PROCEDURE = "2.000815"
TAX_CODE = "0100109106"


@pytest.mark.usefixtures("commune_signs")
def test_counter_officer_certifies_a_copy_and_finds_it_in_the_book(new_context):
    from motcua.documents.tests import samples

    page = staff_page(new_context, "demo-counter")
    page.goto("/can-bo/quay/chung-thuc/")
    axe_check(page)

    # The owner, looked up by ID number.
    lookup = page.get_by_role("search", name=vi("Find the owner"))
    lookup.get_by_role("textbox").fill(CITIZEN_ID_NUMBER)
    with page.expect_navigation():
        lookup.get_by_role("button", name=vi("Look up")).click()
    expect(page.get_by_role("status").filter(has_text="Đỗ Thị Mai")).to_be_visible()
    form = page.locator("#certification-form")
    expect(form.get_by_label(vi("Owner's personal ID number"))).to_have_value(CITIZEN_ID_NUMBER)

    # The original: its name and the scan of its page.
    form.get_by_label(vi("Document certified")).fill("Giấy khai sinh")
    scan = samples.scan_png(["GIẤY KHAI SINH", "Họ và tên: Đỗ Thị Mai"], size=(1240, 400))
    form.get_by_label(vi("Scan of the original")).set_input_files(
        {"name": "khai-sinh.png", "mimeType": "image/png", "buffer": scan}
    )
    with page.expect_navigation(timeout=120_000):  # OCR of the page runs while the officer waits
        form.get_by_role("button", name=vi("Certify the copy")).click()

    # The entry: its number in this year's book, the fee, the download and verification links.
    heading = page.get_by_role("heading", level=2).filter(has_text="Số chứng thực")
    expect(heading).to_contain_text(re.compile(r"Số chứng thực: 1, quyển số 01/\d{4}-SCT/BS"))
    expect(page.get_by_text("2.000 đ")).to_be_visible()  # one page
    download = page.get_by_role("link", name=vi("Download the certified copy (PDF)"))
    response = page.request.get(download.get_attribute("href") or "")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    expect(page.get_by_role("link", name=vi("Verification page"))).to_have_attribute(
        "href", re.compile(r"/xac-thuc-ket-qua/CT-")
    )
    axe_check(page)
    screenshot(page, "counter-certified-copy")

    # The book of the year lists it; the page fits a phone.
    page.goto("/can-bo/quay/chung-thuc/")
    book = page.get_by_role("region", name=re.compile("Sổ chứng thực"))
    expect(book.get_by_role("row").filter(has_text="Giấy khai sinh")).to_have_count(1)
    page.set_viewport_size(MOBILE)
    assert_no_horizontal_scroll(page)


def test_counter_officer_receives_a_dossier_for_an_organization(new_context):
    from motcua.accounts.models import OrganizationProfile

    OrganizationProfile.objects.create(tax_code=TAX_CODE, name="Công ty TNHH Bình An", representative="Phạm Văn Đức")
    page = staff_page(new_context, "demo-counter")
    page.goto(f"/can-bo/quay/tiep-nhan/{PROCEDURE}/")

    lookup = page.get_by_role("search", name=vi("Find the organization"))
    lookup.get_by_role("textbox").fill(TAX_CODE)
    with page.expect_navigation():
        lookup.get_by_role("button", name=vi("Look up")).click()
    form = page.locator("#intake-form")
    expect(form.get_by_label(vi("Organization's name"))).to_have_value("Công ty TNHH Bình An")
    expect(form.get_by_role("radio", name=vi("Organization"))).to_be_checked()
    axe_check(page)

    rows = form.locator("table.checklist tbody tr")
    for index in range(rows.count()):
        if rows.nth(index).locator(".badge").count():
            rows.nth(index).locator(f"#id_c{index}_originals").fill("1")
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Accept and print the receipt (Mẫu 01)")).click()

    with page.expect_navigation():  # the receipt page shows the tax code too: wait for the dossier page itself
        page.get_by_role("link", name=vi("Full dossier page")).click()
    expect(page.get_by_text(TAX_CODE)).to_be_visible()
    expect(page.get_by_text("Công ty TNHH Bình An").first).to_be_visible()
    page.set_viewport_size(MOBILE)
    assert_no_horizontal_scroll(page)

"""The counter intake journey (issue #5 items 2 and 6): the applicant waits while the officer registers the dossier.

Find the procedure → look the applicant up by ID number → tick the papers with their counts of originals
and copies → check the fees → accept → print the receipt (Mẫu 01) as an A5 PDF.
"""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.harness import CITIZEN_ID_NUMBER, axe_check, screenshot, staff_page, status_text, vi

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: at the commune counter, with a fee
A5_POINTS = (419.5, 595.3)  # 148 × 210 mm


def test_counter_officer_registers_a_dossier_and_prints_the_receipt(new_context):
    page = staff_page(new_context, "demo-counter")

    # The procedure, found by its code.
    page.goto("/can-bo/quay/")
    axe_check(page)
    page.get_by_label(vi("Procedure name or code")).fill(PROCEDURE)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Search"), exact=True).click()
    page.get_by_role("link", name=re.compile("Chứng thực bản sao")).first.click()
    assert page.url.endswith(f"/can-bo/quay/tiep-nhan/{PROCEDURE}/")

    # The applicant, looked up by ID number: the profile fills the form in.
    lookup = page.get_by_role("search", name=vi("Find the applicant"))
    lookup.get_by_role("textbox").fill(CITIZEN_ID_NUMBER)
    with page.expect_navigation():
        lookup.get_by_role("button", name=vi("Look up")).click()
    expect(
        page.get_by_role("status").filter(
            has_text=vi("Known applicant: the details below come from the profile. Check them with the ID card.")
        )
    ).to_be_visible()
    form = page.locator("#intake-form")
    expect(form.get_by_label(vi("Full name"))).to_have_value("Đỗ Thị Mai")
    expect(form.get_by_label(vi("Personal ID number"))).to_have_value(CITIZEN_ID_NUMBER)
    axe_check(page)

    # The papers: an original and two copies of each required one.
    rows = form.locator("table.checklist tbody tr")
    assert rows.count() > 0
    for index in range(rows.count()):
        row = rows.nth(index)
        if row.locator(".badge").count():  # "required"
            row.locator(f"#id_c{index}_originals").fill("1")
            row.locator(f"#id_c{index}_copies").fill("2")

    # The fees of the procedure at the counter.
    fees = page.get_by_role("region", name=vi("Fees and charges"))
    fee_text = fees.inner_text()
    assert re.search(r"\d[\d.]* đ", fee_text) or vi("No fee.") in fee_text, fee_text
    screenshot(page, "journey-counter-intake")

    with page.expect_navigation():
        page.get_by_role("button", name=vi("Accept and print the receipt (Mẫu 01)")).click()

    # The dossier page: its code, status and the receipt to print.
    heading = page.get_by_role("heading", level=1)
    code = heading.locator(".code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9.\-]+", code), code
    expect(page.locator(".messages, [role=status]").filter(has_text=code).first).to_be_visible()
    expect(page.locator(".dossier-head .status")).to_have_text(status_text("processing"))
    receipt = page.locator(".form-list li").filter(has_text="01")
    expect(receipt).to_have_count(1)
    link = receipt.get_by_role("link", name=re.compile(re.escape(vi("Open to print (PDF, A5)"))))
    axe_check(page)
    screenshot(page, "journey-counter-receipt")

    response = page.request.get(link.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.body()))
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width, 1), round(height, 1)) == A5_POINTS or (round(height, 1), round(width, 1)) == A5_POINTS
    text = "".join(p.extract_text() for p in pdf.pages)
    assert code in text.replace(" ", "") or code in text

    # The full dossier page shows the papers with their counts and the due time with its explanation.
    page.get_by_role("link", name=vi("Full dossier page")).click()
    papers = page.get_by_role("region", name=vi("Documents"))
    expect(papers.locator("tbody tr").first).to_be_visible()
    expect(papers).to_contain_text("2")
    due = page.get_by_role("region", name=vi("Due time"))
    due.locator("summary").click()
    expect(due.locator("ol li").first).to_be_visible()
    axe_check(page)

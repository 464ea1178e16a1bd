"""The whole life of a dossier through the real pages (issue #5 item 6), one browser per person.

The citizen files online → the counter officer accepts → the specialist asks for a supplement →
the citizen supplements → the specialist forwards → the leader approves and signs → the counter
returns the result → the citizen downloads it and verifies it. Every step asserts what the person
sees: the status, the dossier code, the document links; every page passes axe-core.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.feedback.models import Rating
from tests.browser.harness import (
    CITIZEN_ID_NUMBER,
    DEMO_COMMUNE,
    JOURNEY_TIMEOUT,
    axe_check,
    demo_password,
    login_citizen,
    open_action,
    sample_pdf,
    screenshot,
    staff_page,
    status_text,
    submit_action,
    vi,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo", "commune_signs")]

PROCEDURE = "1.004873"  # Cấp Giấy xác nhận tình trạng hôn nhân: commune level, no fee, no e-form


def citizen_files_online(page: Page, procedure: str, *, unit: str, return_method: str) -> str:
    """demo-citizen files `procedure` through the four steps of the wizard; the dossier code on the receipt."""
    page.set_default_timeout(JOURNEY_TIMEOUT)
    login_citizen(page, "demo-citizen", demo_password("demo-citizen"))
    page.goto(f"/thu-tuc/{procedure}/")
    page.get_by_role("link", name=vi("File online")).first.click()
    page.locator("#id_receiving_unit").select_option(unit)
    page.locator(f"input[name=return_method][value={return_method}]").check()
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Continue")).click()
    expect(page.locator("#id_id_number")).to_have_value(CITIZEN_ID_NUMBER)  # filled in from the profile
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Continue")).click()
    # The catalog marks every paper of this procedure as required online: one scan per component.
    uploads = page.locator("input[type=file]")
    for index in range(uploads.count()):
        uploads.nth(index).set_input_files(sample_pdf(f"giay-to-{index}.pdf"))
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Save and continue")).click()
    assert page.url.endswith(f"/nop-ho-so/{procedure}/xac-nhan/"), page.url
    expect(page.locator("main")).to_contain_text("giay-to-0.pdf")
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Submit the dossier")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(vi("Your dossier was submitted"))
    code = page.locator(".receipt .code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9.\-]+", code), code
    axe_check(page)
    screenshot(page, "journey-citizen-receipt")
    return code


def _backoffice_status(page: Page) -> str:
    return page.locator(".dossier-head .status").first.inner_text().strip()


def _citizen_status(page: Page) -> str:
    return page.locator("dd .status").inner_text().strip()


def test_a_dossier_goes_from_online_filing_to_a_verified_result(page, new_context):
    # 1. The citizen files online and gets a code.
    code = citizen_files_online(page, PROCEDURE, unit=DEMO_COMMUNE, return_method="counter")
    page.get_by_role("link", name=vi("See this dossier")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    assert _citizen_status(page) == status_text("submitted")
    axe_check(page)

    # 2. The counter officer finds it in the inbox and accepts it.
    counter = staff_page(new_context, "demo-counter")
    counter.goto("/can-bo/")
    counter.get_by_role("link", name=code).click()
    assert _backoffice_status(counter) == status_text("submitted")
    axe_check(counter)
    open_action(counter, "accept")
    counter.locator("#id_accept-comment").fill("Hồ sơ đủ thành phần, chuyển chuyên viên thẩm định.")
    submit_action(counter, "accept")
    assert _backoffice_status(counter) == status_text("processing")
    expect(counter.get_by_role("region", name=vi("Workflow steps"))).to_contain_text(f"({vi('current')})")

    # 3. The specialist asks for a supplement: the clock stops.
    specialist = staff_page(new_context, "demo-specialist")
    specialist.goto("/can-bo/")
    specialist.get_by_role("link", name=code).click()
    assert _backoffice_status(specialist) == status_text("processing")
    open_action(specialist, "request_supplement")
    specialist.locator("#id_request_supplement-missing").fill("Bản sao Giấy xác nhận tình trạng hôn nhân đã cấp trước")
    specialist.locator("#id_request_supplement-note").fill("Nộp bản chụp rõ nét cả hai mặt.")
    submit_action(specialist, "request_supplement")
    assert _backoffice_status(specialist) == status_text("awaiting_supplement")
    expect(specialist.locator(".due-line")).to_contain_text(vi("clock stopped since %(at)s").split("%")[0].strip())
    axe_check(specialist)

    # 4. The citizen sees the request and sends the paper.
    page.reload()
    assert _citizen_status(page) == status_text("awaiting_supplement")
    notice = page.get_by_role("region", name=vi("The officer asks you to supplement the dossier"))
    expect(notice).to_contain_text("Bản sao Giấy xác nhận tình trạng hôn nhân đã cấp trước")
    axe_check(page)
    notice.get_by_role("link", name=vi("Send the supplement")).click()
    page.locator("#file-0").set_input_files(sample_pdf("ban-sao-xac-nhan.pdf"))
    page.locator("#id_note").fill("Đã bổ sung bản chụp.")
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name=vi("Send the supplement")).click()
    assert f"/ho-so-cua-toi/{code}/" in page.url
    assert _citizen_status(page) == status_text("processing")

    # 5. The specialist forwards it to the leader.
    specialist.reload()
    assert _backoffice_status(specialist) == status_text("processing")
    open_action(specialist, "forward")
    specialist.locator("#id_forward-comment").fill("Đề nghị lãnh đạo phê duyệt.")
    submit_action(specialist, "forward")
    expect(specialist.get_by_role("region", name=vi("Timeline"))).to_contain_text(vi("Forward"))

    # 6. The leader approves and signs: the result is issued.
    leader = staff_page(new_context, "demo-leader")
    leader.goto("/can-bo/")
    leader.get_by_role("link", name=code).click()
    axe_check(leader)
    open_action(leader, "resolve")
    expect(leader.locator("#resolve-panel")).to_contain_text(
        vi("Approving issues the result, signed electronically with the certificate of %(unit)s.").split("%")[0]
    )
    leader.locator("#resolve-form input[type=radio][value=approved]").check()
    leader.locator("#id_resolve-note").fill("Đồng ý cấp.")
    screenshot(leader, "journey-leader-resolve")
    submit_action(leader, "resolve")
    assert _backoffice_status(leader) == status_text("resolved")
    files = leader.get_by_role("region", name=vi("Files of the dossier"))
    expect(files).to_contain_text(vi("Signed electronically"))
    expect(files).to_contain_text(vi("Result"))
    axe_check(leader)

    # 7. The counter hands the result over: receiver's signature, originals back.
    counter.goto(f"/can-bo/quay/tra-ket-qua/?code={code}")
    axe_check(counter)
    counter.locator("#id_receiver_id_number").fill(CITIZEN_ID_NUMBER)
    counter.locator("#id_originals_returned").check()
    with counter.expect_navigation():
        counter.get_by_role("button", name=vi("Record the return")).click()
    expect(counter.locator(".dossier-head .status")).to_have_text(status_text("returned"))
    screenshot(counter, "journey-counter-returned")
    counter.get_by_role("link", name=vi("Full dossier page")).click()
    timeline = counter.get_by_role("region", name=vi("Timeline"))
    expect(timeline).to_contain_text(vi("Received by: %(name)s") % {"name": "Đỗ Thị Mai"})
    expect(timeline).to_contain_text("Đã trả lại bản chính giấy tờ.")
    steps = counter.get_by_role("region", name=vi("Workflow steps"))
    expect(steps.locator("tbody tr")).not_to_have_count(0)
    expect(steps).not_to_contain_text(f"({vi('current')})")  # every step is closed
    axe_check(counter)

    # 8. The citizen sees the result, downloads it and verifies it.
    page.reload()
    assert _citizen_status(page) == status_text("returned")
    axe_check(page)
    screenshot(page, "journey-citizen-result")
    result = page.get_by_role("region", name=vi("Result"))
    links = result.get_by_role("link", name=vi("Download the result (PDF)"))
    expect(links).not_to_have_count(0)
    result_code = result.locator(".code").first.inner_text().strip()
    assert result_code, "the result shows no result code"
    response = page.request.get(links.first.get_attribute("href") or "")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")

    # The QR's page answers for the code, and the downloaded file itself passes the upload check.
    result.get_by_role("link", name=re.compile(vi("Verify"))).first.click()
    assert page.url.endswith(f"/xac-thuc-ket-qua/{result_code}/")
    verdict = page.locator(".verdict")
    expect(verdict).to_have_class(re.compile(r"\bok\b"))
    expect(verdict).to_contain_text(result_code)
    axe_check(page)
    screenshot(page, "journey-citizen-verify")
    page.goto("/xac-thuc-ket-qua/")
    page.locator("input[type=file]").set_input_files(
        {"name": f"{result_code}.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".verdict")).to_have_class(re.compile(r"\bok\b"))
    axe_check(page)

    # 9. The citizen rates the handling of the dossier (Decree 61 Art. 31 criteria, three levels each).
    page.goto(f"/ho-so-cua-toi/{code}/")
    with page.expect_navigation():
        page.get_by_role("link", name=vi("Rate the handling of this dossier")).click()
    axe_check(page)
    for group in page.locator("fieldset").all():
        radios = group.locator("input[type=radio][value=very_satisfied]")
        if radios.count():
            radios.first.check()
    page.locator("textarea[name=comment]").fill("Nhanh, đúng hẹn.")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", name="Cảm ơn bạn đã đánh giá")).to_be_visible()
    rating = Rating.objects.get(dossier__code=code)
    assert rating.answers["attitude"] == "very_satisfied"
    assert not rating.negative
    axe_check(page)

"""Fees paid in cash at the counter, in a real browser (SPEC §3.7): a missing receipt number is refused with an
error summary, then the payment is recorded and the fee table shows the method and the receipt number."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.harness import DEMO_COMMUNE, assert_no_horizontal_scroll, axe_check, screenshot, staff_page, vi

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]

PROCEDURE = "2.000815"  # Chứng thực bản sao từ bản chính: at the commune counter


def dossier_with_a_fee() -> str:
    from motcua.accounts.models import User
    from motcua.catalog.models import Procedure
    from motcua.catalog.rules import components_always_required
    from motcua.dossiers.factories import register
    from motcua.dossiers.models import FeeLine
    from motcua.dossiers.services.intake import ComponentInput

    procedure = Procedure.objects.get(code=PROCEDURE)
    required = components_always_required(list(procedure.current_version.components.all()))
    dossier = register(
        User.objects.get(username="demo-counter"),
        procedure,
        components=[ComponentInput(code=c.code, originals=1) for c in required],
    )
    assert dossier.receiving_unit.code == DEMO_COMMUNE
    FeeLine.objects.create(dossier=dossier, code="LP-TEST", name="Lệ phí chứng thực (thử)", amount=Decimal(4000))
    return dossier.code


def test_counter_officer_collects_a_fee_in_cash(new_context):
    code = dossier_with_a_fee()
    page = staff_page(new_context, "demo-counter")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"/can-bo/quay/ho-so/{code}/")
    form = page.locator("#fees-form")
    form.get_by_label("Lệ phí chứng thực (thử) — 4.000 đ").check()
    axe_check(page)
    assert_no_horizontal_scroll(page)

    # Cash without the receipt number: refused, the summary links to the field.
    with page.expect_navigation():
        form.get_by_role("button", name=vi("Record the payment")).click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(vi("Enter the receipt number of a cash payment."))
    axe_check(page)

    form = page.locator("#fees-form")
    form.get_by_label("Lệ phí chứng thực (thử) — 4.000 đ").check()
    form.get_by_label(vi("Receipt number")).fill("BL-0042")
    with page.expect_navigation():
        form.get_by_role("button", name=vi("Record the payment")).click()

    fees = page.get_by_role("region", name=vi("Fees and charges"))
    row = fees.get_by_role("row").filter(has_text="Lệ phí chứng thực (thử)")
    expect(row).to_contain_text("BL-0042")
    expect(row).to_contain_text(str(vi("Cash at the counter")))
    axe_check(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "counter-fee-collected")

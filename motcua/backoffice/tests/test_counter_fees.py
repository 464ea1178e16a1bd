"""Collecting fees at the counter: tick the unpaid lines, the method and the receipt number (SPEC §3.7)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.accounts.testing import verified_staff_client
from motcua.backoffice.tests.counter_world import clock, officer_client, world
from motcua.dossiers.factories import register
from motcua.dossiers.models import Dossier, DossierEvent, FeeLine

__all__ = ["clock", "officer_client", "world"]  # fixtures

pytestmark = pytest.mark.urls("motcua.backoffice.tests.urls_counter_test")


@pytest.fixture
def dossier(world) -> Dossier:
    dossier = register(world.officer, world.procedure)
    dossier.fee_lines.all().delete()
    FeeLine.objects.create(dossier=dossier, code="LP1", name="Lệ phí đăng ký khai sinh", amount=Decimal(8000))
    FeeLine.objects.create(dossier=dossier, code="LP2", name="Phí cấp bản sao trích lục", amount=Decimal(12000))
    return dossier


def page_url(dossier: Dossier) -> str:
    return reverse("backoffice:counter-dossier", args=[dossier.code])


def pay_url(dossier: Dossier) -> str:
    return reverse("backoffice:counter-fees", args=[dossier.code])


def state(dossier: Dossier) -> tuple[object, ...]:
    fees = list(FeeLine.objects.order_by("pk").values_list("pk", "paid_at", "method", "receipt_number", "paid_by"))
    return fees, DossierEvent.objects.filter(dossier=dossier).count()


def fee_section(html: str) -> str:
    return html.split('id="h-fees"')[1].split("</section>")[0]


def test_the_page_offers_the_unpaid_fees(officer_client, dossier):
    first, second = dossier.fee_lines.order_by("pk")

    html = officer_client.get(page_url(dossier)).content.decode()

    fees = fee_section(html)
    assert "Thu lệ phí" in fees
    assert f'action="{pay_url(dossier)}"' in fees
    assert f'value="{first.pk}"' in fees
    assert f'value="{second.pk}"' in fees
    assert "Lệ phí đăng ký khai sinh — 8.000 đ" in fees
    assert 'name="receipt_number"' in fees
    assert "Chưa nộp" in fees


def test_a_cash_payment_is_recorded_with_its_receipt(officer_client, world, dossier):
    first, second = dossier.fee_lines.order_by("pk")

    response = officer_client.post(
        pay_url(dossier), {"lines": [first.pk], "method": "cash", "receipt_number": "BL-0042"}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.method, first.receipt_number, first.paid_by) == ("cash", "BL-0042", world.officer)
    assert first.paid_at is not None
    assert FeeLine.objects.get(pk=second.pk).paid_at is None
    page = officer_client.get(page_url(dossier)).content.decode()
    fees = fee_section(page)
    assert "BL-0042" in fees
    assert "Tiền mặt tại Bộ phận Một cửa" in fees
    assert "Số biên lai: BL-0042" in fees
    assert "Đã thu 1 khoản phí, lệ phí." in page
    # Only the line still unpaid is offered.
    assert f'value="{first.pk}"' not in fees
    assert f'value="{second.pk}"' in fees


def test_once_everything_is_paid_the_form_is_gone(officer_client, dossier):
    ids = list(dossier.fee_lines.values_list("pk", flat=True))

    officer_client.post(pay_url(dossier), {"lines": ids, "method": "transfer", "receipt_number": ""})

    fees = fee_section(officer_client.get(page_url(dossier)).content.decode())
    assert "Chưa nộp" not in fees
    assert "Chuyển khoản" in fees or "chuyển khoản" in fees
    assert pay_url(dossier) not in fees


def test_a_cash_payment_needs_its_receipt_number(officer_client, dossier):
    first = dossier.fee_lines.order_by("pk").first()
    before = state(dossier)

    response = officer_client.post(pay_url(dossier), {"lines": [first.pk], "method": "cash", "receipt_number": " "})

    html = response.content.decode()
    assert response.status_code == 422
    assert "error-summary" in html
    assert "Chưa thực hiện “Thu lệ phí”; không có thay đổi nào." in html
    assert "Nhập số biên lai của khoản nộp bằng tiền mặt." in html
    assert state(dossier) == before


@pytest.mark.parametrize(
    "data",
    [
        {"method": "cash", "receipt_number": "BL-1"},  # no line ticked
        {"lines": ["999999"], "method": "cash", "receipt_number": "BL-1"},  # no such line
        {"lines": ["abc"], "method": "cash", "receipt_number": "BL-1"},
        {"lines": ["FIRST"], "method": "bitcoin", "receipt_number": "BL-1"},
        {"lines": ["FIRST"], "method": "cash", "receipt_number": "9" * 61},
    ],
)
def test_bad_input_is_refused_and_changes_nothing(officer_client, dossier, data):
    first = dossier.fee_lines.order_by("pk").first()
    if data.get("lines") == ["FIRST"]:
        data = {**data, "lines": [first.pk]}
    before = state(dossier)

    response = officer_client.post(pay_url(dossier), data)

    assert response.status_code == 422
    assert "error-summary" in response.content.decode()
    assert state(dossier) == before


def test_a_line_of_another_dossier_or_already_paid_is_refused(officer_client, world, dossier):
    first, second = dossier.fee_lines.order_by("pk")
    officer_client.post(pay_url(dossier), {"lines": [first.pk], "method": "cash", "receipt_number": "BL-1"})
    other = register(world.officer, world.procedure)
    foreign = FeeLine.objects.create(dossier=other, name="Lệ phí", amount=Decimal(1000))
    before = state(dossier)

    for line in (first, foreign):
        response = officer_client.post(
            pay_url(dossier), {"lines": [line.pk, second.pk], "method": "cash", "receipt_number": "BL-2"}
        )
        assert response.status_code == 422

    assert state(dossier) == before


def test_another_wards_dossier_is_not_found(client, world, dossier):
    outsider = verified_staff_client(client, world.outsider)
    first = dossier.fee_lines.order_by("pk").first()
    before = state(dossier)

    assert outsider.get(page_url(dossier)).status_code == 404
    response = outsider.post(pay_url(dossier), {"lines": [first.pk], "method": "cash", "receipt_number": "BL-1"})

    assert response.status_code == 404
    assert state(dossier) == before


def test_the_full_dossier_page_shows_the_collection(officer_client, dossier):
    first = dossier.fee_lines.order_by("pk").first()
    officer_client.post(pay_url(dossier), {"lines": [first.pk], "method": "cash", "receipt_number": "BL-0042"})

    html = officer_client.get(reverse("backoffice:dossier", args=[dossier.code])).content.decode()

    assert "biên lai BL-0042" in fee_section(html)
    assert "Thu phí, lệ phí" in html  # the event in the history
    assert "Số biên lai: BL-0042" in html


def test_a_withdrawn_dossier_collects_nothing(officer_client, dossier):
    Dossier.objects.filter(pk=dossier.pk).update(status="withdrawn")
    first = dossier.fee_lines.order_by("pk").first()
    before = state(dossier)

    assert pay_url(dossier) not in officer_client.get(page_url(dossier)).content.decode()
    response = officer_client.post(pay_url(dossier), {"lines": [first.pk], "method": "cash", "receipt_number": "BL-1"})

    assert response.status_code == 409
    assert "Không thể thu phí, lệ phí của hồ sơ ở trạng thái hiện tại." in response.content.decode()
    assert state(dossier) == before

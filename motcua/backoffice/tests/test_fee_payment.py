"""A financial obligation paid in cash at the counter: its receipt number is shown on the dossier page."""

from __future__ import annotations

import pytest

from motcua.dossiers.factories import register

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]


def post(client, dossier, action: str, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/{action}/", data)


def test_a_cash_payment_shows_its_method_and_receipt_number(world, login):
    dossier = register(world.officer, world.procedure)
    post(login(world.specialist), dossier, "request_payment", amount="100000", note="Lệ phí trước bạ")
    officer = login(world.officer)

    assert post(officer, dossier, "confirm_payment", method="cash", reference="BL-0042").status_code == 302

    html = officer.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Số biên lai hoặc mã giao dịch: BL-0042" in html
    assert "Hình thức nộp: Tiền mặt tại Bộ phận Một cửa" in html
    fees = html.split('id="h-fees"')[1].split("</section>")[0]
    assert "Lệ phí trước bạ" in fees
    assert "100.000" in fees
    assert "Chưa nộp" not in fees  # every line of the obligation is paid

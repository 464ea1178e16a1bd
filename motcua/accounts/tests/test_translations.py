"""Identity refusals and the code pages are Vietnamese by default (skipped until the catalog is compiled)."""

from pathlib import Path

import pytest
from django.utils import translation

from motcua.accounts.factories import StaffUserFactory
from motcua.accounts.identity import IdentityError, validate_tax_code

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.mo"

pytestmark = pytest.mark.skipif(not CATALOG.exists(), reason="catalog not compiled: run `make messages`")


def test_tax_code_errors_are_vietnamese():
    with translation.override("vi"), pytest.raises(IdentityError, match="Chữ số kiểm tra"):
        validate_tax_code("0100109107")


@pytest.mark.django_db
def test_the_setup_page_speaks_vietnamese(client):
    client.force_login(StaffUserFactory())

    page = client.get("/tai-khoan/xac-thuc/thiet-lap/", headers={"accept-language": "vi"}).content.decode()

    assert "Thiết lập ứng dụng xác thực" in page
    assert "Mã gồm 6 chữ số" in page

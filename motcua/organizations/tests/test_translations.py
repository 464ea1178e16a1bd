"""The refusals people read are Vietnamese by default (skipped until `make messages` compiled the catalog)."""

from pathlib import Path

import pytest
from django.utils import translation

from motcua.organizations.codes import UnitCodeError, parse_unit_code

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.mo"

pytestmark = pytest.mark.skipif(not CATALOG.exists(), reason="catalog not compiled: run `make messages`")


def test_code_errors_are_vietnamese():
    with translation.override("vi"), pytest.raises(UnitCodeError, match="Nhóm thứ 3 phải gồm hai chữ số"):
        parse_unit_code("000.00.6.H56")


@pytest.mark.django_db
def test_the_api_answers_in_the_callers_language(client):
    vi = client.get("/api/v1/units", {"parent": "000.00.98.H99"}, headers={"accept-language": "vi"})
    en = client.get("/api/v1/units", {"parent": "000.00.98.H99"}, headers={"accept-language": "en"})

    assert vi.json()["error"]["message"] == "Không có đơn vị nào mang mã 000.00.98.H99."
    assert en.json()["error"]["message"] == "No unit has the code 000.00.98.H99."

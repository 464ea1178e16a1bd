"""Public catalog pages: list with search and filters, one procedure (no JavaScript needed)."""

import pytest
from django.urls import reverse

from motcua.catalog.factories import ProcedureVersionFactory
from motcua.catalog.services import procedure_import
from motcua.catalog.tests.conftest import SAMPLE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.catalog.tests.urls")]


@pytest.fixture
def catalog():
    import json

    procedure_import(records=json.loads(SAMPLE.read_text(encoding="utf-8")))


def test_the_list_shows_names_with_diacritics_codes_fields_and_times(client, catalog):
    response = client.get(reverse("portal:catalog_pages:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Thủ tục đăng ký khai sinh" in html
    assert "1.010038" in html
    assert "Đăng ký, quản lý cư trú" in html
    assert 'href="/thu-tuc/1.001193/"' in html
    assert '<form method="get"' in html
    assert 'for="id_q"' in html


def test_searching_without_diacritics_narrows_the_list(client, catalog):
    response = client.get(reverse("portal:catalog_pages:list"), {"q": "dang ky ket hon"})

    html = response.content.decode()
    assert "Thủ tục đăng ký kết hôn" in html
    assert "Thủ tục đăng ký khai sinh" not in html


def test_filters_apply_and_a_bad_filter_is_ignored(client, catalog):
    by_online = client.get(reverse("portal:catalog_pages:list"), {"online_level": "none"}).content.decode()
    bad = client.get(reverse("portal:catalog_pages:list"), {"level": "nowhere", "page": "x"})

    assert "2.000815" in by_online
    assert "1.001193" not in by_online
    assert bad.status_code == 200
    assert "1.001193" in bad.content.decode()


def test_the_list_is_paginated_keeping_the_query(client):
    for n in range(25):
        ProcedureVersionFactory(procedure__code=f"1.{800000 + n:06d}", name=f"Thủ tục mẫu số {n}")

    html = client.get(reverse("portal:catalog_pages:list"), {"q": "mau"}).content.decode()

    assert 'href="?q=mau&amp;page=2"' in html


def test_the_procedure_page_shows_components_fees_time_results_and_legal_basis(client, catalog):
    response = client.get(reverse("portal:catalog_pages:detail", args=["1.010038"]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tách hộ</h1>" in html
    assert "Tờ khai thay đổi thông tin cư trú" in html
    assert "Trường hợp thành viên hộ gia đình đăng ký tách hộ" in html  # component group caption
    assert "1.MuCT01banhnhkmtheoThngts53 (3).doc" in html
    assert "10.000" in html or "10000" in html
    assert "Cập nhật thông tin trong Cơ sở dữ liệu về cư trú" in html
    assert "54/2025/TT-BCA" in html
    assert "năng lực hành vi dân sự đầy đủ" in html  # requirements
    assert 'class="button primary" href="/nop-ho-so/1.010038/"' in html  # file online


def test_a_procedure_without_online_filing_has_no_file_online_button(client, catalog):
    html = client.get(reverse("portal:catalog_pages:detail", args=["2.000815"])).content.decode()

    assert 'class="button primary"' not in html


def test_an_unknown_procedure_is_a_404(client, catalog):
    assert client.get(reverse("portal:catalog_pages:detail", args=["9.999999"])).status_code == 404

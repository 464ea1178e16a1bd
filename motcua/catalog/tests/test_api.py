"""GET /api/v1/procedures and /api/v1/procedures/{code} (SPEC §8)."""

import pytest

pytestmark = pytest.mark.django_db


def test_search_without_diacritics_finds_birth_registration(client, imported):
    response = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["code"] == "1.001193"
    assert item["name"] == "Thủ tục đăng ký khai sinh"
    assert item["field"] == {"code": "LOCAL-HO-TICH", "name": "Hộ tịch", "is_local": True}
    assert item["processing_time"] == 1
    assert item["processing_time_unit"] == ""
    assert item["online_level"] == "partial"
    assert item["immediate_result"] is True


def test_filters_and_pages(client, imported):
    body = client.get("/api/v1/procedures", {"level": "commune", "page_size": 2, "page": 2}).json()

    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (4, 2, 2, 2)


@pytest.mark.parametrize(
    "params",
    [{"page": 0}, {"page": "abc"}, {"level": "tinh"}, {"online_level": "yes"}, {"page_size": 1000}, {"q": "x" * 201}],
)
def test_bad_query_parameters_are_a_400_with_an_error_object(client, params):
    response = client.get("/api/v1/procedures", params)

    assert response.status_code == 400
    assert {"code", "message"} <= set(response.json()["error"])


def test_one_procedure_has_components_with_codes_fees_results_and_time(client, imported):
    response = client.get("/api/v1/procedures/2.000815")

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == 1
    assert body["components"]
    assert all(c["code"] for c in body["components"])
    component = body["components"][0]
    assert component["code"] == "2.000815.TP1"
    assert component["is_local_code"] is True
    assert (component["originals"], component["copies"], component["form_schema"]) == (1, 0, None)
    assert [(f["amount"], f["currency"]) for f in body["fees"]] == [(2000, "VND"), (10, "USD")]
    assert body["time_description"].startswith("Ngay trong ngày")
    assert body["next_day_after_15h"] is True
    assert body["decision_number"] == "3152/QĐ-BTP"
    assert body["legal_basis"][0]["number"]


def test_one_procedure_with_results_and_a_unit_of_time(client, imported):
    body = client.get("/api/v1/procedures/1.010038").json()

    assert (body["processing_time"], body["processing_time_unit"]) == (5, "working_days")
    assert body["channels"] == [1, 2]
    assert body["results"][0] == {
        "code": "KQ.G01.000066",
        "is_local_code": False,
        "name": "Cập nhật thông tin trong Cơ sở dữ liệu về cư trú",
        "electronic_required": False,
    }


def test_an_unknown_code_is_a_404_with_an_error_object(client, imported):
    response = client.get("/api/v1/procedures/9.999999")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "procedure_not_found"
    assert "9.999999" in response.json()["error"]["message"]

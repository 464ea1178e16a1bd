from datetime import date

import pytest

from motcua.organizations.factories import CounterFactory, UnitFactory
from motcua.organizations.services import unit_merge

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(root):
    justice = UnitFactory(code="000.00.06.H99", name="Sở Tư pháp", short_name="STP")
    office = UnitFactory(code="000.01.06.H99", name="Phòng Hộ tịch", parent=justice)
    health = UnitFactory(code="000.00.07.H99", name="Sở Y tế")
    counter = CounterFactory(unit=justice, name="Quầy Tư pháp", address="Số 2 Hùng Vương", phone="0203 111 222")
    CounterFactory(unit=justice, name="Quầy đã đóng", is_active=False)
    return {"justice": justice, "office": office, "health": health, "counter": counter}


def test_list_gives_the_contract_shape(client, directory):
    response = client.get("/api/v1/units")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["items"]) == 4
    justice = next(item for item in body["items"] if item["code"] == "000.00.06.H99")
    assert justice == {
        "code": "000.00.06.H99",
        "name": "Sở Tư pháp",
        "short_name": "STP",
        "kind": "department",
        "level": 2,
        "parent": "000.00.00.H99",
        "counters": [
            {
                "id": directory["counter"].pk,
                "name": "Quầy Tư pháp",
                "address": "Số 2 Hùng Vương",
                "phone": "0203 111 222",
            }
        ],
    }
    root = next(item for item in body["items"] if item["code"] == "000.00.00.H99")
    assert root["parent"] is None


@pytest.mark.parametrize("q", ["tu phap", "TƯ PHÁP", "Sở tư", "phap so"])
def test_search_ignores_diacritics_case_and_word_order(client, directory, q):
    codes = [item["code"] for item in client.get("/api/v1/units", {"q": q}).json()["items"]]

    assert codes == ["000.00.06.H99"]


def test_search_matches_codes_too(client, directory):
    codes = [item["code"] for item in client.get("/api/v1/units", {"q": "000.01.06"}).json()["items"]]

    assert codes == ["000.01.06.H99"]


def test_parent_filter_lists_direct_children(client, directory):
    body = client.get("/api/v1/units", {"parent": "000.00.06.H99"}).json()

    assert [item["code"] for item in body["items"]] == ["000.01.06.H99"]


def test_unknown_parent_is_a_404_error_object(client, directory):
    response = client.get("/api/v1/units", {"parent": "000.00.98.H99"}, headers={"accept-language": "en"})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "000.00.98.H99" in response.json()["error"]["message"]


def test_merged_units_leave_the_directory(client, directory):
    unit_merge(
        units=[directory["health"]], into=directory["justice"], decision="1/QĐ", effective_on=date(2025, 7, 1), by=None
    )

    codes = [item["code"] for item in client.get("/api/v1/units").json()["items"]]

    assert "000.00.07.H99" not in codes


def test_one_unit_by_code(client, directory):
    response = client.get("/api/v1/units/000.00.06.H99")

    assert response.status_code == 200
    assert response.json()["name"] == "Sở Tư pháp"
    assert len(response.json()["counters"]) == 1
    assert client.get("/api/v1/units/000.00.98.H99").status_code == 404


def test_the_list_runs_a_fixed_number_of_queries(client, directory, django_assert_max_num_queries):
    for n in range(10):
        CounterFactory(unit=UnitFactory(code=f"000.00.{50 + n}.H99"))

    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/units").status_code == 200

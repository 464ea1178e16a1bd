"""GET /api/v1/metrics/766 and GET /api/v1/reports/06a (SPEC §8): answers, formats, who may ask, bad input."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from motcua.accounts.tokens import api_token_create
from motcua.dossiers.models import Dossier
from motcua.integrations.models import OutboxMessage
from motcua.metrics.aggregates import metrics_refresh
from motcua.metrics.models import PublishedIndex
from motcua.metrics.periods import parse_period
from motcua.metrics.services import index_publish
from motcua.metrics.tests.conftest import vn
from motcua.metrics.tests.test_db_hand import EXPECTED_A, NOW, tell_august

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user)}"} if user else {}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)


@pytest.fixture
def august(province):
    tell_august(province)
    return province


@pytest.fixture
def controller(client, august):
    return Api(client, august.controller)


def test_the_controller_gets_the_index_in_the_shape_of_spec_8(controller):
    response = controller.get("/metrics/766", unit="000.00.21.H99", period="2025-08")

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["unit", "period", "score", "max", "band", "groups"]
    assert (body["unit"], body["period"], body["score"], body["max"], body["band"]) == (
        "000.00.21.H99",
        "2025-08",
        33.99,
        100,
        "Yếu",
    )
    group = body["groups"][1]
    assert list(group) == ["code", "name", "score", "max", "metrics"]
    assert (group["code"], group["name"], group["score"], group["max"]) == ("TDGQ", "Tiến độ giải quyết", 12.0, 20)
    assert group["metrics"] == [
        {
            "code": "2.1",
            "name": "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
            "numerator": 6,
            "denominator": 10,
            "ratio": 60.0,
            "score": 12.0,
            "max": 20,
        }
    ]
    metrics = {m["code"]: m for g in body["groups"] for m in g["metrics"]}
    for code, (numerator, denominator, ratio, score, maximum) in EXPECTED_A.items():
        assert (metrics[code]["numerator"], metrics[code]["denominator"]) == (numerator, denominator), code
        assert (metrics[code]["ratio"], metrics[code]["score"], metrics[code]["max"]) == (ratio, score, maximum), code
    assert metrics["5.2"] == {
        "code": "5.2",
        "name": "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn",
        "numerator": 0,
        "denominator": 0,
        "ratio": None,
        "score": None,
        "max": 6,
    }


def test_a_units_own_staff_see_its_index_but_not_another_communes(client, august):
    officer_b = Api(client, august.b.officer)

    assert officer_b.get("/metrics/766", unit="000.00.22.H99", period="2025-Q3").status_code == 200
    outside = officer_b.get("/metrics/766", unit="000.00.21.H99", period="2025-Q3")
    assert outside.status_code == 404
    assert outside.json()["error"]["code"] == "not_found"
    assert officer_b.get("/metrics/766", unit="000.00.00.H99", period="2025-Q3").status_code == 404


def test_anonymous_callers_read_published_periods_only(client, august):
    anonymous = Api(client)
    assert anonymous.get("/metrics/766", unit="000.00.21.H99", period="2025-08").status_code == 401
    august.at(NOW)
    published = index_publish(unit=august.a.unit, period=parse_period("2025-08", today=NOW.date()))

    response = anonymous.get("/metrics/766", unit="000.00.21.H99", period="2025-08")

    assert response.status_code == 200
    assert response.json() == published.figures
    assert response.json()["score"] == 33.99
    assert anonymous.get("/metrics/766", unit="000.00.21.H99", period="2025-07").status_code == 401
    citizen = Api(client, august.citizen)
    assert citizen.get("/metrics/766", unit="000.00.21.H99", period="2025-08").json() == published.figures
    assert citizen.get("/metrics/766", unit="000.00.21.H99", period="2025-07").status_code == 404


def test_a_published_index_stays_as_published(client, august):
    period = parse_period("2025-08", today=NOW.date())
    index_publish(unit=august.a.unit, period=period)
    august.at(vn(2025, 9, 16))
    # D5's national-portal sync finally goes through: August's 1.4 moves from 7/8 to 8/8.
    d5 = Dossier.objects.get(handling_unit=august.a.unit, accepted_at=vn(2025, 8, 11))
    OutboxMessage.objects.filter(reference=d5.code).update(failed_at=None, delivered_at=vn(2025, 9, 16))
    metrics_refresh()

    anonymous = Api(client).get("/metrics/766", unit="000.00.21.H99", period="2025-08").json()
    live = Api(client, august.controller).get("/metrics/766", unit="000.00.21.H99", period="2025-08").json()

    assert anonymous == PublishedIndex.objects.get().figures
    assert anonymous["groups"][0]["metrics"][3]["numerator"] == 7
    assert live["groups"][0]["metrics"][3]["numerator"] == 8


def test_what_happens_after_a_period_does_not_change_it(client, august):
    august.at(vn(2025, 9, 16))
    august.resolve(Dossier.objects.get(handling_unit=august.a.unit, accepted_at=vn(2025, 8, 11)))  # D5, late

    body = Api(client, august.controller).get("/metrics/766", unit="000.00.21.H99", period="2025-08").json()

    assert body["score"] == 33.99  # D5 was overdue at the end of August, and stays so for August


def test_a_bad_token_is_refused_rather_than_treated_as_anonymous(client, august):
    response = client.get(
        "/api/v1/metrics/766", {"unit": "000.00.21.H99", "period": "2025-08"}, HTTP_AUTHORIZATION="Bearer nope"
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("unit", "period", "status", "code"),
    [
        ("000.00.99.H99", "2025-08", 404, "not_found"),
        ("000.00.21.H99", "2025-13", 400, "invalid_period"),
        ("000.00.21.H99", "2025-Q5", 400, "invalid_period"),
        ("000.00.21.H99", "August", 400, "invalid_period"),
        ("000.00.21.H99", "2030", 400, "invalid_period"),
        ("000.00.21.H99", "1999", 400, "invalid_period"),
    ],
)
def test_bad_index_requests_get_a_clear_4xx(controller, unit, period, status, code):
    response = controller.get("/metrics/766", unit=unit, period=period)

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_missing_parameters_are_a_400(controller):
    assert controller.get("/metrics/766", unit="000.00.21.H99").status_code == 400
    assert controller.get("/reports/06a", unit="000.00.21.H99", **{"from": "2025-08-01"}).status_code == 400


def test_the_running_quarter_is_counted_up_to_now(controller):
    response = controller.get("/metrics/766", unit="000.00.21.H99", period="2025-Q3")

    assert response.status_code == 200
    two_one = next(m for g in response.json()["groups"] for m in g["metrics"] if m["code"] == "2.1")
    # Q3 runs to 30/09, the clock says 15/09: D1–D10 and D13; D4, D5, D7, D13 still open.
    assert two_one["denominator"] == 11


# --- Biểu II.06a --------------------------------------------------------------------------------


def test_the_06a_json_answer(controller):
    response = controller.get("/reports/06a", unit="000.00.21.H99", **{"from": "2025-08-01", "to": "2025-08-31"})

    assert response.status_code == 200
    columns = {"3": 10, "4": 1, "5": 7, "6": 2, "7": 7, "8": 4, "9": 1, "10": 2, "11": 3, "12": 2, "13": 1}
    assert response.json() == {
        "unit": "000.00.21.H99",
        "from": "2025-08-01",
        "to": "2025-08-31",
        "rows": [{"label": "Chứng thực", "columns": columns}],
        "total": columns,
    }


def test_the_06a_by_unit_for_the_province(controller):
    response = controller.get(
        "/reports/06a", unit="000.00.00.H99", group_by="unit", **{"from": "2025-08-01", "to": "2025-08-31"}
    )

    body = response.json()
    assert [row["label"] for row in body["rows"]] == ["UBND xã An Bình", "UBND xã Bình Minh"]
    assert body["total"]["3"] == 11
    assert body["total"]["3"] == body["total"]["7"] + body["total"]["11"]


def test_the_06a_as_xlsx(controller):
    response = controller.get(
        "/reports/06a", unit="000.00.21.H99", format="xlsx", **{"from": "2025-08-01", "to": "2025-08-31"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="bieu-II.06a_000.00.21.H99_20250801-20250831.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][0] == "Biểu số II.06a/VPCP/KSTT"
    assert "Đơn vị báo cáo: UBND xã An Bình" in [row[0] for row in cells]
    assert "Đơn vị nhận báo cáo: Ủy ban nhân dân tỉnh An Lạc" in [row[0] for row in cells]
    assert "Đơn vị tính: Số hồ sơ TTHC" in [row[0] for row in cells]
    numbers = next(i for i, row in enumerate(cells) if row[0] == "(1)")
    assert cells[numbers] == [f"({n})" for n in range(1, 14)]
    assert cells[numbers + 1] == [1, "Chứng thực", 10, 1, 7, 2, 7, 4, 1, 2, 3, 2, 1]
    assert cells[numbers + 2] == [None, "Tổng cộng", 10, 1, 7, 2, 7, 4, 1, 2, 3, 2, 1]


def test_the_06a_as_pdf(controller):
    response = controller.get(
        "/reports/06a", unit="000.00.21.H99", format="pdf", **{"from": "2025-08-01", "to": "2025-08-31"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('bieu-II.06a_000.00.21.H99_20250801-20250831.pdf"')
    assert response.content.startswith(b"%PDF")
    from pypdf import PdfReader

    page = PdfReader(BytesIO(response.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = page.extract_text()
    for expected in (
        "II.06a",
        "Đơn vị báo cáo",
        "Kỳ báo cáo: Từ ngày 01/08/2025 đến ngày 31/08/2025",
        "(13)",
        "Chứng thực",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from": "2025-08-31", "to": "2025-08-01"}, 400),  # reversed
        ({"from": "2025-8-1", "to": "2025-08-31"}, 400),
        ({"from": "2025-02-30", "to": "2025-03-31"}, 400),
        ({"from": "yesterday", "to": "2025-08-31"}, 400),
        ({"from": "2026-01-01", "to": "2026-01-31"}, 400),  # not begun
        ({"from": "2015-01-01", "to": "2025-08-31"}, 400),  # longer than the retention window
        ({"from": "2025-08-01", "to": "2025-08-31", "format": "docx"}, 400),
        ({"from": "2025-08-01", "to": "2025-08-31", "group_by": "procedure"}, 400),
    ],
)
def test_bad_report_requests_get_a_400(controller, params, status):
    response = controller.get("/reports/06a", unit="000.00.21.H99", **params)

    assert response.status_code == status
    assert response.json()["error"]["message"]


def test_the_retention_window_is_a_setting(controller, settings):
    settings.MOTCUA_REPORT_MAX_DAYS = 31
    params = {"unit": "000.00.21.H99"}
    assert controller.get("/reports/06a", **params, **{"from": "2025-08-01", "to": "2025-08-31"}).status_code == 200
    assert controller.get("/reports/06a", **params, **{"from": "2025-08-01", "to": "2025-09-01"}).status_code == 400


def test_reports_are_for_staff_of_the_unit(client, august):
    dates = {"from": "2025-08-01", "to": "2025-08-31"}
    assert Api(client).get("/reports/06a", unit="000.00.21.H99", **dates).status_code == 401
    assert Api(client, august.citizen).get("/reports/06a", unit="000.00.21.H99", **dates).status_code == 404
    assert Api(client, august.b.leader).get("/reports/06a", unit="000.00.21.H99", **dates).status_code == 404
    assert Api(client, august.a.leader).get("/reports/06a", unit="000.00.21.H99", **dates).status_code == 200
    assert Api(client, august.controller).get("/reports/06a", unit="000.00.98.H99", **dates).status_code == 404

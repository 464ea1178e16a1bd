"""The TT 01/2018 section of the dashboard, the officers' page, and the child comparison's feedback read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.testing import verified_staff_client
from motcua.metrics.aggregates import metrics_ensure_fresh
from motcua.metrics.dashboard import child_comparison
from motcua.metrics.periods import parse_period
from motcua.metrics.services import index_766_maintained
from motcua.metrics.tests.test_db_tt01 import NOW, tell_q2

pytestmark = pytest.mark.django_db

DASH = reverse("dashboards:dashboard")
OFFICERS = reverse("dashboards:tt01-officers")
TT01 = reverse("dashboards:tt01")
Q2 = "2025-Q2"


@pytest.fixture
def q2(province):
    return province, tell_q2(province)


@pytest.fixture
def controller(client, q2):
    return verified_staff_client(client, q2[0].controller)


def test_a_period_of_h1_2025_shows_the_nine_indices_and_the_classification(controller, q2):
    p, _d = q2
    dashboard = controller.get(DASH, {"unit": p.a.unit.code, "period": Q2}).content.decode()
    assert f"{TT01}?unit={p.a.unit.code}&amp;period={Q2}" in dashboard  # linked, not computed there
    response = controller.get(TT01, {"unit": p.a.unit.code, "period": Q2})
    assert response.status_code == 200
    section = response.context["tt01"]
    assert [row["score"] for row in section["rows"]] == [
        Decimal(v) for v in ("1.5", "0.8", "1.3", "1.5", "2", "1", "1.0", "2", "1")
    ]
    assert (section["total"], section["band"].name, section["dossiers"]) == (Decimal("12.1"), "Tốt", 4)
    html = response.content.decode()
    assert "Đánh giá theo Thông tư 01/2018" in html
    assert "Tổng thời gian giải quyết thủ tục hành chính" in html
    assert "<strong>Tốt</strong>" in html
    assert f"{OFFICERS}?unit={p.a.unit.code}&amp;period={Q2}" in html
    assert "không áp dụng cho kỳ sau 30/06/2025" not in html


def test_an_index_without_data_says_so(controller, q2):
    p, _d = q2
    # Q1: no dossier finished, so indices 1–4 and 7 have no data; nothing was offered online yet either.
    response = controller.get(TT01, {"unit": p.a.unit.code, "period": "2025-Q1"})
    assert response.status_code == 200
    assert [row["score"] for row in response.context["tt01"]["rows"]][:4] == [None] * 4
    assert "chưa có dữ liệu" in response.content.decode()


def test_a_later_period_keeps_the_hint_that_the_circular_does_not_apply(controller, q2):
    p, _d = q2
    response = controller.get(DASH, {"unit": p.a.unit.code, "period": "2025-07"})
    assert response.status_code == 200
    assert response.context["tt01_applies"] is False
    html = response.content.decode()
    assert "không áp dụng cho kỳ sau 30/06/2025" in html
    assert "Đánh giá theo Thông tư 01/2018" not in html
    assert controller.get(TT01, {"unit": p.a.unit.code, "period": "2025-07"}).status_code == 400


def test_the_officers_page_lists_the_subtree_with_their_classification(controller, q2):
    p, _d = q2
    response = controller.get(OFFICERS, {"unit": p.root.code, "period": Q2})
    assert response.status_code == 200
    rows = {r["username"]: r for r in response.context["rows"]}
    assert len(rows) == 7
    assert (rows["specialist-a"]["total"], rows["specialist-a"]["band"].code) == (Decimal("7.3"), "complete")
    assert rows["officer-b"]["scores"][1] is None  # index 2: no timed step finished
    html = response.content.decode()
    assert "Hoàn thành 100% nhiệm vụ" in html
    assert "Hoàn thành dưới 70% nhiệm vụ" in html
    by_total = controller.get(OFFICERS, {"unit": p.root.code, "period": Q2, "sort": "total"}).context["rows"]
    totals = [r["total"] for r in by_total]
    assert totals == sorted(totals, reverse=True)
    assert by_total[0]["username"] == "specialist-a"


def test_the_officers_page_refuses_a_period_the_circular_does_not_cover(controller, q2):
    p, _d = q2
    response = controller.get(OFFICERS, {"unit": p.a.unit.code, "period": "2025-07"})
    assert response.status_code == 400
    assert "30/06/2025" in response.content.decode()


def test_a_leader_sees_the_officers_of_his_commune_only(q2):
    p, _d = q2
    leader = verified_staff_client(Client(), p.a.leader)
    own = leader.get(OFFICERS, {"period": Q2})
    assert own.status_code == 200
    assert {r["username"] for r in own.context["rows"]} == {"officer-a", "specialist-a", "specialist-a2", "leader-a"}
    assert leader.get(OFFICERS, {"unit": p.b.unit.code, "period": Q2}).status_code == 404
    assert verified_staff_client(Client(), p.a.officer).get(OFFICERS, {"period": Q2}).status_code == 403


def test_the_comparison_reads_the_feedback_of_all_children_at_once_with_the_same_results(q2):
    p, _d = q2
    period = parse_period(Q2, today=NOW.date())
    metrics_ensure_fresh()  # the dossiers' own feedback flags, read once when they change
    with CaptureQueriesContext(connection) as queries:
        comparison = child_comparison(unit=p.root, period=period, now=NOW)
    assert sum('"feedback_feedback"' in q["sql"] for q in queries.captured_queries) == 1
    for unit, result in comparison:
        alone = index_766_maintained(unit=unit, period=period, now=NOW)
        assert result.metric("5.2").denominator == 2  # F1, F2 at An Bình; F3, F4 at Bình Minh
        for code in ("5.2", "5.3"):
            assert (result.metric(code).numerator, result.metric(code).denominator) == (
                alone.metric(code).numerator,
                alone.metric(code).denominator,
            )
        assert result.score == alone.score

"""`GET /api/v1/calendar/due` (SPEC §8): shape, offsets, refusals, languages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest

from motcua.workcalendar import services

pytestmark = pytest.mark.django_db
# `make test` compiles the catalogs first; a bare pytest run on a fresh clone may not have them.
needs_catalog = pytest.mark.skipif(
    not (Path(__file__).parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.mo").exists(),
    reason="Vietnamese catalog not compiled (make messages)",
)


@pytest.fixture(autouse=True)
def _fresh_calendar():
    services.invalidate_calendar()


def _get(client, language="vi", **params):
    return client.get(f"/api/v1/calendar/due?{urlencode(params)}", HTTP_ACCEPT_LANGUAGE=language)


def test_answer_has_due_at_with_vietnam_offset_and_an_explanation(client):
    response = _get(client, start="2026-03-02T07:00:00+07:00", amount="1", unit="working_days")

    assert response.status_code == 200
    body = response.json()
    assert body["due_at"] == "2026-03-02T17:00:00+07:00"
    assert body["start"] == "2026-03-02T07:00:00+07:00"
    assert (body["amount"], body["unit"]) == (1, "working_days")
    assert len(body["explanation"]) == 3
    assert all(isinstance(line, str) and line for line in body["explanation"])
    assert [step["kind"] for step in body["steps"]] == ["start", "counted", "due"]
    assert body["steps"][1]["intervals"] == [["07:00", "11:30"], ["13:30", "17:00"]]
    assert body["steps"][1]["hours"] == 8


def test_a_utc_start_is_answered_in_vietnam_time(client):
    response = _get(client, start="2026-03-06T08:00:00Z", amount="1", unit="working_days")

    assert response.json()["due_at"] == "2026-03-09T15:00:00+07:00"


def test_an_unescaped_plus_in_the_offset_is_understood(client):
    # "+" in a query string decodes to a space; curl users type it raw.
    response = client.get("/api/v1/calendar/due?start=2026-03-02T07:00:00+07:00&amount=0.5&unit=working_days")

    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-03-02T11:00:00+07:00"


def test_the_integrators_guide_example(client):
    # Wed 29/4/2026 15:00–17:00 = 2 h; 30/4, 1/5 and the weekend off; Mon 4/5 8 h; Tue 5/5 6 h.
    response = _get(client, start="2026-04-29T15:00:00+07:00", amount="2", unit="working_days")

    assert response.json()["due_at"] == "2026-05-05T15:00:00+07:00"


def test_calendar_days_over_tet(client):
    response = _get(client, start="2026-02-12T10:00:00+07:00", amount="4", unit="days")

    body = response.json()
    assert body["due_at"] == "2026-02-23T17:00:00+07:00"
    assert any("Tết Nguyên Đán" in line for line in body["explanation"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "yesterday", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2026-03-02T07:00:00", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2026-03-02", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2026-03-02 07:00", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "1990-03-02T07:00:00+07:00", "amount": "1", "unit": "working_days"}, "start"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "-1", "unit": "working_days"}, "amount"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "abc", "unit": "working_days"}, "amount"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "NaN", "unit": "working_days"}, "amount"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "Infinity", "unit": "working_hours"}, "amount"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "1e9", "unit": "working_days"}, "amount"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "2.5", "unit": "days"}, "amount"),
        ({"start": "2099-03-02T07:00:00+07:00", "amount": "3650", "unit": "days"}, "amount"),
        ({"start": "2026-03-02T07:00:00+07:00", "amount": "1", "unit": "weeks"}, "unit"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, params, field):
    response = _get(client, **params)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert error["field"] == field
    assert error["message"]


@pytest.mark.parametrize("missing", ["start", "amount", "unit"])
def test_a_missing_parameter_is_a_400_naming_it(client, missing):
    params = {"start": "2026-03-02T07:00:00+07:00", "amount": "1", "unit": "working_days"}
    del params[missing]

    response = _get(client, **params)

    assert response.status_code == 400
    assert missing in response.json()["error"]["message"]


def test_accept_language_picks_the_explanation_language(client):
    params = {"start": "2026-02-13T09:00:00+07:00", "amount": "1", "unit": "working_days"}

    vietnamese = _get(client, "vi", **params).json()["explanation"]
    english = _get(client, "en", **params).json()["explanation"]

    assert vietnamese != english
    assert any("Tết Nguyên Đán" in line for line in vietnamese)
    assert any("Lunar New Year" in line for line in english)
    assert "Skipped Saturday 14/02/2026: weekend." in english


@needs_catalog
def test_vietnamese_explanation_uses_vietnamese_words(client):
    body = _get(client, "vi", start="2026-02-13T09:00:00+07:00", amount="1", unit="working_days").json()

    assert "Bỏ qua Thứ Bảy 14/02/2026: ngày nghỉ cuối tuần." in body["explanation"]
    assert any(line.startswith("Bỏ qua Chủ Nhật 15/02/2026") for line in body["explanation"])


@needs_catalog
def test_errors_follow_accept_language(client):
    params = {"start": "2026-03-02T07:00:00+07:00", "amount": "-1", "unit": "working_days"}

    assert _get(client, "en", **params).json()["error"]["message"] == "The amount must not be negative."
    assert _get(client, "vi", **params).json()["error"]["message"] == "Thời lượng không được âm."


def test_the_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert "/api/v1/calendar/due" in paths

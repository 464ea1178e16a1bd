"""/api/v1/queue: the kiosk issues, the board reads, a counter calls the next, staff read statistics."""

from __future__ import annotations

import pytest

from motcua.accounts.testing import verified_staff_client
from motcua.accounts.tokens import api_token_create
from motcua.queueing import services
from motcua.queueing.models import Ticket, TicketStatus

pytestmark = pytest.mark.urls("motcua.queueing.tests.urls")


def test_kiosk_issues_a_ticket(hall, client):
    response = client.post(
        "/api/v1/queue/tickets",
        {"unit": "000.00.21.H99", "area": "b", "priority_reason": "elderly"},
        content_type="application/json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["code"], body["area"], body["priority_reason"], body["ahead"]) == ("B001", "B", "elderly", 0)
    assert body["issued_at"].endswith("+07:00")


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({"unit": "000.00.99.H99", "area": "A"}, 404, "not_found"),
        ({"unit": "000.00.21.H99", "area": "Z"}, 404, "not_found"),
        ({"unit": "000.00.21.H99", "area": "A", "priority_reason": "vip"}, 400, "invalid_input"),
        ({"unit": "000.00.21.H99"}, 400, "invalid_input"),
    ],
)
def test_bad_kiosk_requests_get_the_error_shape_and_issue_nothing(hall, client, payload, status, code):
    response = client.post("/api/v1/queue/tickets", payload, content_type="application/json")

    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]
    assert Ticket.objects.count() == 0


def test_display_lists_called_numbers_and_waiting_counts(hall, client):
    services.ticket_issue(area=hall.civil)
    services.ticket_issue(area=hall.civil)
    services.session_open(officer=hall.officer, counter=hall.counter)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    body = client.get("/api/v1/queue/display", {"unit": "000.00.21.H99"}).json()

    assert body["called"][0]["code"] == "A001"
    assert body["called"][0]["counter"] == "Quầy 1"
    assert {"area": "A", "name": "Hộ tịch", "count": 1} in body["waiting"]


def test_call_next_with_a_token(hall, client):
    services.ticket_issue(area=hall.civil)
    services.session_open(officer=hall.officer, counter=hall.counter)
    raw = api_token_create(user=hall.officer, name="console")

    response = client.post(f"/api/v1/queue/counters/{hall.counter.pk}/call-next", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert response.status_code == 200
    assert response.json()["code"] == "A001"
    assert response.json()["counter"] == "Quầy 1"


def test_call_next_refusals_change_nothing(hall, client):
    services.ticket_issue(area=hall.civil)
    anonymous = client.post(f"/api/v1/queue/counters/{hall.counter.pk}/call-next")
    verified_staff_client(client, hall.officer)

    not_seated = client.post(f"/api/v1/queue/counters/{hall.counter.pk}/call-next")
    other_unit = client.post(f"/api/v1/queue/counters/{hall.other_counter.pk}/call-next")

    assert anonymous.status_code == 401
    assert (not_seated.status_code, not_seated.json()["error"]["code"]) == (403, "not_seated")
    assert other_unit.status_code == 404
    assert Ticket.objects.get().status == TicketStatus.WAITING


def test_empty_queue_is_a_409(hall, client):
    services.session_open(officer=hall.officer, counter=hall.counter)
    verified_staff_client(client, hall.officer)

    response = client.post(f"/api/v1/queue/counters/{hall.counter.pk}/call-next")

    assert (response.status_code, response.json()["error"]["code"]) == (409, "queue_empty")


def test_stats_for_staff_in_scope_only(hall, client):
    services.ticket_issue(area=hall.civil)
    assert client.get("/api/v1/queue/stats", {"unit": "000.00.21.H99"}).status_code == 401
    verified_staff_client(client, hall.officer)

    mine = client.get("/api/v1/queue/stats", {"unit": "000.00.21.H99", "date": "2025-09-09"})
    other = client.get("/api/v1/queue/stats", {"unit": "000.00.22.H99", "date": "2025-09-09"})
    bad_date = client.get("/api/v1/queue/stats", {"unit": "000.00.21.H99", "date": "2025-13-45"})

    assert mine.status_code == 200
    body = mine.json()
    assert body["target_wait_minutes"] == 15.0
    assert {"label": "08:00", "tickets": 1, "mean_wait": None, "mean_service": None} in body["per_hour"]
    assert body["advisor"][1]["hour"] == 8
    assert body["advisor"][1]["arrival_rate"] == 1.0
    assert other.status_code == 404
    assert bad_date.status_code == 400

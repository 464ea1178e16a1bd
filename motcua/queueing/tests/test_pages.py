"""The kiosk, ticket, board, console and statistics pages through the test client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from motcua.accounts.testing import verified_staff_client
from motcua.queueing import services
from motcua.queueing.models import CounterSession, Ticket, TicketStatus

KIOSK = "/xep-hang/000.00.21.H99/kiosk/"


def test_kiosk_issues_a_ticket_without_javascript_and_shows_people_ahead(hall, client):
    services.ticket_issue(area=hall.civil)

    page = client.get(KIOSK)
    response = client.post(KIOSK, {"area": hall.civil.pk, "priority_reason": ""}, follow=True)

    assert page.status_code == 200
    assert "Hộ tịch" in page.content.decode()
    ticket = Ticket.objects.latest("pk")
    assert ticket.code == "A002"
    html = response.content.decode()
    assert "A002" in html
    assert "08:00 09/09/2025" in html
    assert ">1</dd>" in html  # one person ahead


def test_kiosk_priority_choice_is_recorded(hall, client):
    client.post(KIOSK, {"area": hall.land.pk, "priority_reason": "disabled"})

    assert Ticket.objects.get().priority_reason == "disabled"


@pytest.mark.parametrize("data", [{}, {"area": "999999"}, {"area": "x"}, {"area": "1", "priority_reason": "vip"}])
def test_kiosk_bad_input_is_a_4xx_and_issues_nothing(hall, client, data):
    response = client.post(KIOSK, data)

    assert response.status_code == 422
    assert Ticket.objects.count() == 0


def test_kiosk_of_another_units_area_is_refused(hall, client):
    response = client.post(KIOSK, {"area": hall.other_area.pk})

    assert response.status_code == 422
    assert Ticket.objects.count() == 0


def test_unknown_unit_or_ticket_of_another_unit_is_404(hall, client):
    other = services.ticket_issue(area=hall.other_area)

    assert client.get("/xep-hang/000.00.99.H99/kiosk/").status_code == 404
    assert client.get(f"{KIOSK}so/{other.pk}/").status_code == 404


def test_board_shows_called_numbers_newest_first(hall, client, clock):
    services.ticket_issue(area=hall.civil)
    services.ticket_issue(area=hall.civil)
    services.session_open(officer=hall.officer, counter=hall.counter)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)

    board = client.get("/xep-hang/000.00.21.H99/bang/").content.decode()
    content = client.get("/xep-hang/000.00.21.H99/bang/noi-dung/").content.decode()

    assert 'hx-trigger="every 5s"' in board
    assert 'http-equiv="refresh"' in board
    assert "A001" in content
    assert "Quầy 1" in content
    assert 'class="latest"' in content
    assert "A002" not in content.split("<h2>")[0]  # not called yet


def test_console_needs_a_verified_officer(hall, client):
    url = reverse("queueing:console", args=[hall.counter.pk])
    assert client.get(url).status_code == 302  # to the login page

    client.force_login(hall.officer)
    assert client.get(url).status_code == 302  # to the code page


def test_officer_opens_the_counter_and_calls_from_the_console(hall, client):
    services.ticket_issue(area=hall.civil)
    verified_staff_client(client, hall.officer)

    client.post(reverse("queueing:console-action", args=[hall.counter.pk, "open"]))
    response = client.post(reverse("queueing:console-action", args=[hall.counter.pk, "call-next"]), follow=True)

    assert response.status_code == 200
    assert "A001" in response.content.decode()
    assert Ticket.objects.get().status == TicketStatus.CALLED


def test_console_refusal_is_a_4xx_with_the_reason_and_changes_nothing(hall, client):
    services.ticket_issue(area=hall.civil)
    verified_staff_client(client, hall.officer)

    response = client.post(reverse("queueing:console-action", args=[hall.counter.pk, "call-next"]))

    assert response.status_code == 403
    assert "error-summary" in response.content.decode()
    assert Ticket.objects.get().status == TicketStatus.WAITING
    assert CounterSession.objects.count() == 0


def test_console_transfer_without_a_target_is_422_and_changes_nothing(hall, client):
    services.ticket_issue(area=hall.civil)
    services.session_open(officer=hall.officer, counter=hall.counter)
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    verified_staff_client(client, hall.officer)

    response = client.post(reverse("queueing:console-action", args=[hall.counter.pk, "transfer"]), {})

    assert response.status_code == 422
    assert Ticket.objects.get().status == TicketStatus.CALLED


def test_counter_of_another_unit_is_404_and_unknown_action_is_404(hall, client):
    verified_staff_client(client, hall.officer)

    assert client.get(reverse("queueing:console", args=[hall.other_counter.pk])).status_code == 404
    assert client.post(reverse("queueing:console-action", args=[hall.counter.pk, "explode"])).status_code == 404
    assert CounterSession.objects.count() == 0


def test_statistics_page_shows_times_and_advice(hall, client, clock):
    services.ticket_issue(area=hall.civil)
    services.session_open(officer=hall.officer, counter=hall.counter)
    clock.shift(timedelta(minutes=6))
    services.ticket_call_next(officer=hall.officer, counter=hall.counter)
    services.ticket_start(officer=hall.officer, counter=hall.counter)
    clock.shift(timedelta(minutes=10))
    services.ticket_finish(officer=hall.officer, counter=hall.counter)
    verified_staff_client(client, hall.officer)

    response = client.get(reverse("queueing:stats"), {"unit": hall.unit.code, "date": "2025-09-09", "weekday": 1})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html
    assert "6,0" in html
    assert "10,0" in html
    assert "Erlang C" in html


def test_statistics_of_a_unit_outside_scope_is_refused(hall, client):
    verified_staff_client(client, hall.officer)

    response = client.get(reverse("queueing:stats"), {"unit": hall.other_unit.code, "date": "2025-09-09", "weekday": 1})

    assert response.status_code == 422
    assert "Hòa Bình" in response.content.decode()  # offered only his own unit

"""The demo queue: areas at the commune and the centre, weeks of tickets, something for the advisor to say."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from motcua.organizations.models import Unit
from motcua.queueing.demo import seed_demo_queue
from motcua.queueing.models import ServiceArea, Ticket, TicketStatus
from motcua.queueing.selectors import advice, day_stats

TODAY = date(2025, 9, 19)  # a Friday


@pytest.fixture
def seeded(db):
    call_command("seed_demo", no_history=True, stdout=io.StringIO())
    return seed_demo_queue(days=14, today=TODAY)


def test_demo_queue_has_areas_tickets_and_is_idempotent(seeded):
    centre = Unit.objects.get(code="000.00.01.H99")

    assert seeded > 500
    assert set(ServiceArea.objects.filter(unit__code="000.00.21.H99").values_list("letter", flat=True)) == {
        "A",
        "B",
        "C",
    }
    assert ServiceArea.objects.filter(unit=centre).count() == 4
    assert not Ticket.objects.filter(day__gte=TODAY).exists()
    assert not Ticket.objects.filter(status__in=[TicketStatus.WAITING, TicketStatus.CALLED]).exists()
    assert seed_demo_queue(days=14, today=TODAY) == 0


def test_demo_morning_peak_makes_the_advisor_ask_for_more_counters(seeded):
    commune, centre = Unit.objects.get(code="000.00.21.H99"), Unit.objects.get(code="000.00.01.H99")

    rows, days = advice(commune, weekday=0, until=TODAY)  # Mondays: the extra counter opens late
    peak = [row for row in rows if row.hour in (8, 9, 10)]
    by_hour = {row.hour: row for row in rows}

    assert days == [date(2025, 9, 8), date(2025, 9, 15)]
    assert by_hour[8].arrival_rate > by_hour[16].arrival_rate
    assert any(row.recommended > row.counters_open and row.meets_target is False for row in peak)
    assert all(row.meets_target is not False for row in rows if row.hour >= 14)
    assert day_stats(centre, date(2025, 9, 18)).per_counter

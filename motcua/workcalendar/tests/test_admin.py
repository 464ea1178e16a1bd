"""The calendar override admin: the table an administrator keeps per year (SPEC §4.2)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from motcua.workcalendar.services import compute_due, is_working_day
from motcua.workcalendar.tests.helpers import vn

pytestmark = pytest.mark.django_db


def test_an_override_added_in_the_admin_changes_due_dates_at_once(admin_client):
    assert compute_due(start=vn(2026, 3, 6, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 9, 17)

    response = admin_client.post(
        reverse("admin:workcalendar_calendaroverride_add"),
        {"day": "2026-03-07", "kind": "working_day", "reason": "Làm bù", "decision_number": "15/TB-UBND"},
    )

    assert response.status_code == 302
    assert is_working_day(date(2026, 3, 7))
    assert compute_due(start=vn(2026, 3, 6, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 7, 17)


def test_the_override_list_loads(admin_client):
    response = admin_client.get(reverse("admin:workcalendar_calendaroverride_changelist"))

    assert response.status_code == 200

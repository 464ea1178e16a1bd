"""The province calendar behind the services: settings, package holidays and CalendarOverride."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from motcua.core.errors import InvalidInput
from motcua.workcalendar import services
from motcua.workcalendar.explain import explanation_lines
from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.services import (
    calendar_override_set,
    compute_due,
    is_working_day,
    next_working_day_start,
    working_hours_between,
)
from motcua.workcalendar.tests.helpers import vn

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar():
    services.invalidate_calendar()
    yield
    services.invalidate_calendar()


def test_compute_due_uses_the_default_office_hours_and_package_holidays():
    result = compute_due(start=vn(2026, 2, 13, 9), amount=1, unit="working_days")

    assert result.due_at == vn(2026, 2, 23, 9)


def test_a_day_off_override_pushes_the_due_date_and_explains_itself():
    calendar_override_set(day=date(2026, 3, 3), kind="day_off", reason="Nghỉ tang lễ", decision_number="12/QĐ-UBND")

    result = compute_due(start=vn(2026, 3, 2, 7), amount=2, unit="working_days")

    assert result.due_at == vn(2026, 3, 4, 17)
    with translation.override("en"):
        lines = explanation_lines(result)
    assert "Skipped Tuesday 03/03/2026: day off under decision 12/QĐ-UBND, Nghỉ tang lễ." in lines


def test_a_working_saturday_override_pulls_the_due_date():
    calendar_override_set(day=date(2026, 3, 7), kind="working_day", reason="Làm bù")

    assert compute_due(start=vn(2026, 3, 6, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 7, 17)
    assert is_working_day(date(2026, 3, 7))


def test_an_override_wins_over_the_package():
    # Make the package's substitute day off 31/8/2026 a working day, and its make-up Saturday 22/8 a day off.
    calendar_override_set(day=date(2026, 8, 31), kind="working_day", reason="Quyết định của tỉnh")
    calendar_override_set(day=date(2026, 8, 22), kind="day_off", reason="Quyết định của tỉnh")

    assert is_working_day(date(2026, 8, 31))
    assert not is_working_day(date(2026, 8, 22))
    assert compute_due(start=vn(2026, 8, 28, 7), amount=2, unit="working_days").due_at == vn(2026, 8, 31, 17)


def test_overrides_written_elsewhere_are_seen_on_the_next_call():
    # As if saved by the admin of another process: no explicit invalidation here.
    assert compute_due(start=vn(2026, 3, 2, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 3, 17)
    override = CalendarOverride.objects.create(day=date(2026, 3, 3), kind="day_off", reason="Bão số 3")

    assert compute_due(start=vn(2026, 3, 2, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 4, 17)

    override.kind = CalendarOverride.Kind.WORKING_DAY
    override.save()
    assert compute_due(start=vn(2026, 3, 2, 7), amount=2, unit="working_days").due_at == vn(2026, 3, 3, 17)

    override.delete()
    assert is_working_day(date(2026, 3, 3))


def test_setting_an_override_twice_replaces_it():
    calendar_override_set(day=date(2026, 3, 3), kind="day_off", reason="A")
    calendar_override_set(day=date(2026, 3, 3), kind="working_day", reason="B", decision_number="1/TB")

    override = CalendarOverride.objects.get()
    assert (override.kind, override.reason, override.decision_number) == ("working_day", "B", "1/TB")


def test_office_hours_come_from_settings(settings):
    settings.MOTCUA_OFFICE_HOURS = "08:00-12:00"

    assert compute_due(start=vn(2026, 3, 2, 8), amount=1, unit="working_days").due_at == vn(2026, 3, 2, 12)


def test_working_hours_between_and_next_working_day_start():
    assert working_hours_between(start=vn(2026, 3, 2, 9), end=vn(2026, 3, 3, 9)) == Decimal(8)
    assert next_working_day_start(vn(2026, 2, 13, 16)) == vn(2026, 2, 23, 7)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: compute_due(start=datetime(2026, 3, 2, 7), amount=1, unit="working_days"), "start"),
        (lambda: compute_due(start=vn(2026, 3, 2, 7), amount=-1, unit="working_days"), "amount"),
        (lambda: compute_due(start=vn(2026, 3, 2, 7), amount=1, unit="fortnights"), "unit"),
        (lambda: working_hours_between(start=vn(2026, 3, 2, 7), end=vn(2026, 3, 1, 7)), "end"),
        (lambda: next_working_day_start(datetime(2026, 3, 2, 7)), "instant"),
        (lambda: is_working_day(date(2200, 1, 1)), "day"),
    ],
)
def test_refusals_are_invalid_input_naming_the_field(call, field):
    with pytest.raises(InvalidInput) as error:
        call()

    assert error.value.field == field
    assert error.value.status == 400


def test_too_large_amount_message_gives_both_limits():
    with translation.override("en"), pytest.raises(InvalidInput) as error:
        compute_due(start=vn(2026, 3, 2, 7), amount=4000, unit="working_days")

    assert str(error.value.message) == "The amount is too large: at most 3650 days or 29200 working hours."


def test_the_calendar_is_reused_between_calls():
    assert services.get_calendar() is services.get_calendar()

"""What the `holidays` package tells us about Vietnam, as the calendar reads it (no DB)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from motcua.workcalendar.domain import DayKind
from motcua.workcalendar.public_holidays import package_year


def _days_off(year: int) -> set[date]:
    return {day for day, status in package_year(year).items() if status.kind is DayKind.HOLIDAY}


def test_tet_2026_is_monday_16_to_friday_20_february():
    days_off = _days_off(2026)

    assert {date(2026, 2, 16) + timedelta(n) for n in range(5)} <= days_off
    assert package_year(2026)[date(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert package_year(2026)[date(2026, 2, 17)].name_en == "Lunar New Year"


def test_tet_2027_is_thursday_4_to_wednesday_10_february():
    assert {date(2027, 2, 4) + timedelta(n) for n in range(7)} <= _days_off(2027)
    assert date(2027, 2, 3) not in package_year(2027)
    assert date(2027, 2, 11) not in package_year(2027)


def test_national_day_2026_has_its_extra_day_and_a_substitute_day_off():
    days = package_year(2026)

    assert {date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)} <= _days_off(2026)
    assert "22/08/2026" in days[date(2026, 8, 31)].name  # "Ngày nghỉ (thay cho ngày 22/08/2026)"


@pytest.mark.parametrize(
    ("year", "saturday", "day_off"),
    [(2024, date(2024, 5, 4), date(2024, 4, 29)), (2025, date(2025, 4, 26), date(2025, 5, 2))],
)
def test_make_up_working_saturdays_come_with_their_day_off(year, saturday, day_off):
    days = package_year(year)

    assert days[saturday].kind is DayKind.MAKEUP_WORKDAY
    assert days[day_off].kind is DayKind.HOLIDAY


def test_make_up_saturday_of_2026_is_22_august():
    assert package_year(2026)[date(2026, 8, 22)].kind is DayKind.MAKEUP_WORKDAY


def test_a_holiday_on_sunday_gives_an_observed_day_off():
    # Giỗ Tổ Hùng Vương 2026 is Sunday 26/4, observed Monday 27/4; 1/5/2027 is a Saturday, observed Monday 3/5.
    assert date(2026, 4, 27) in _days_off(2026)
    assert date(2027, 5, 3) in _days_off(2027)


def test_cross_year_swaps_of_other_years_are_not_leaked():
    assert all(day.year == 2026 for day in package_year(2026))

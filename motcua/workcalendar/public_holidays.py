"""Vietnam's days off and make-up working days for one year, read from the `holidays` package.

The package carries the Labor Code holidays (Tết Dương lịch, Tết Nguyên Đán, Giỗ Tổ Hùng Vương,
30/4, 1/5, 2/9 and its extra day), the substitute days off of each year's government swap
decision, and the weekend days worked in exchange (`weekend_workdays`). We hard-code no dates:
a swap the package does not know yet goes into `CalendarOverride`. Pure: no Django.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

from motcua.workcalendar.domain import DayKind, DayStatus

MAKEUP_WORKDAY = DayStatus(DayKind.MAKEUP_WORKDAY)


@lru_cache(maxsize=256)
def package_year(year: int) -> dict[date, DayStatus]:
    """Holidays (with Vietnamese and English names) and make-up working days of `year`.

    Cached: the package's data does not change while the process runs. Callers must not
    mutate the returned dict.
    """
    # Explicit languages: left unset, the package guesses one from the LANG environment variable.
    names = holidays.country_holidays("VN", years=year, language="vi")
    names_en = holidays.country_holidays("VN", years=year, language="en_US")
    days = {
        day: DayStatus(DayKind.HOLIDAY, name=name, name_en=names_en.get(day, name))
        for day, name in names.items()
        if day.year == year
    }
    # weekend_workdays also lists cross-year swaps of other years (e.g. 27/12/2014): keep this year's.
    days.update((day, MAKEUP_WORKDAY) for day in names.weekend_workdays if day.year == year and day not in days)
    return days

"""Vietnamese date and time phrasing for the printed forms. Pure: no Django models, no I/O.

Administrative writing (Decree 30/2020/NĐ-CP, Annex I) puts a leading zero on days below 10
and on months 1 and 2 only — "ngày 02 tháng 3", "ngày 15 tháng 02" — so that a handwritten
"1" cannot later become "10", "11" or "12". Times read "08 giờ 30 phút". Every instant is shown
in Vietnam time, whatever zone it was stored in.
"""

from __future__ import annotations

from datetime import date, datetime

from motcua.core.clock import VIETNAM


def to_local(moment: datetime) -> datetime:
    """The same instant in Asia/Ho_Chi_Minh; a naive datetime is a bug upstream, so refuse it."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no timezone; pass an aware datetime")
    return moment.astimezone(VIETNAM)


def _local_date(value: date | datetime) -> date:
    return to_local(value).date() if isinstance(value, datetime) else value


def day_text(day: int) -> str:
    return f"{day:02d}"


def month_text(month: int) -> str:
    # Only January and February take the zero (Decree 30/2020 Annex I).
    return f"{month:02d}" if month <= 2 else str(month)


def vn_date(value: date | datetime) -> str:
    """'ngày 02 tháng 3 năm 2026'."""
    d = _local_date(value)
    return f"ngày {day_text(d.day)} tháng {month_text(d.month)} năm {d.year}"


def vn_time(moment: datetime) -> str:
    """'08 giờ 30 phút'."""
    local = to_local(moment)
    return f"{local.hour:02d} giờ {local.minute:02d} phút"


def vn_datetime(moment: datetime) -> str:
    """'08 giờ 30 phút, ngày 02 tháng 3 năm 2026' — the phrasing of the receipt's times."""
    return f"{vn_time(moment)}, {vn_date(moment)}"


def vn_place_date(place: str, value: date | datetime) -> str:
    """The date line under the national motto: 'Thanh Hóa, ngày 02 tháng 3 năm 2026'."""
    text = vn_date(value)
    return f"{place}, {text}" if place else "N" + text[1:]


def vn_short_date(value: date | datetime) -> str:
    """'02/03/2026' for table cells, where the long phrasing does not fit."""
    d = _local_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def vn_short_datetime(moment: datetime) -> str:
    """'08:30 02/03/2026'."""
    local = to_local(moment)
    return f"{local.hour:02d}:{local.minute:02d} {vn_short_date(local)}"


class VnDateTime:
    """An aware datetime as the templates print it: `{{ t }}`, `{{ t.date }}`, `{{ t.short }}`…"""

    __slots__ = ("moment",)

    def __init__(self, moment: datetime) -> None:
        self.moment = to_local(moment)

    def __str__(self) -> str:
        return vn_datetime(self.moment)

    @property
    def full(self) -> str:
        return vn_datetime(self.moment)

    @property
    def date(self) -> str:
        return vn_date(self.moment)

    @property
    def time(self) -> str:
        return vn_time(self.moment)

    @property
    def short(self) -> str:
        return vn_short_datetime(self.moment)

    @property
    def short_date(self) -> str:
        return vn_short_date(self.moment)

    @property
    def hm(self) -> str:
        return f"{self.moment.hour:02d}:{self.moment.minute:02d}"

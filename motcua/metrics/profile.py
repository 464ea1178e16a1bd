"""Index profiles: the weights, thresholds and rating bands of an index, as effective-dated data.

A profile is what changes when the Government Office changes its formula; the formulas in
`formulas.py` and `tt01.py` read everything adjustable from here. Two families exist:

- `IndexProfile`, the 766 index (QĐ 766/QĐ-TTg as computed by the national portal): the default
  profile is SPEC §6.1 verbatim, in force since the index went live on DVCQG (01/08/2022).
- `Tt01Profile`, the nine TT 01/2018/TT-VPCP indices (Art. 13–15): 2018 profile only; from
  01/07/2025 Decree 118/2025 Art. 32–33 evaluates by the 766 groups instead (SPEC §6.2).

Names shown to users (metric, group and band names) are official Vietnamese titles and are kept
as data, not translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext_lazy as _

from motcua.metrics.facts import MetricsError

HUNDRED: Final = Decimal(100)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero (as Excel's ROUND, used in practice)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


class ProfileError(MetricsError):
    """No profile covers the date asked for, or a profile contradicts itself."""

    code = "no_profile"


@dataclass(frozen=True)
class Band:
    """A rating band: every score at or above `lower` (and below the next band up) gets `name`."""

    code: str
    name: str
    lower: Decimal


def band_for(bands: Sequence[Band], value: Decimal) -> Band:
    """The band of `value`; `bands` run from the highest down, the last one catches everything below."""
    for band in bands:
        if value >= band.lower:
            return band
    return bands[-1]


@dataclass(frozen=True)
class MetricSpec:
    """One 766 metric: its code, official name, group, maximum score and full-marks threshold (%)."""

    code: str
    name: str
    group: str
    max_score: Decimal
    # Full marks at or above this ratio; below it the score is ratio × max / threshold (SPEC §6.1).
    full_marks_at: Decimal = HUNDRED


@dataclass(frozen=True)
class GroupSpec:
    """One 766 group (CKMB, TDGQ, …) and its maximum score."""

    code: str
    name: str
    max_score: Decimal


@dataclass(frozen=True)
class FeedbackDeadlines:
    """Deadlines for feedback (PAKN) handling, in working days (SPEC §4.6, 766 metric 5.2)."""

    answer: int = 15
    reject: int = 2
    info_request: int = 5
    publish: int = 2


@dataclass(frozen=True)
class IndexProfile:
    """A version of the 766 index: groups, metrics, bands and the time rules its formulas use."""

    key: str
    title: str
    effective_from: date
    effective_to: date | None
    groups: tuple[GroupSpec, ...]
    metrics: tuple[MetricSpec, ...]
    bands: tuple[Band, ...]
    # "Early" = finished at least this much working time before the due time (SPEC §4.4).
    early_margin_hours: Decimal = Decimal(8)
    hours_per_working_day: Decimal = Decimal(8)
    feedback_deadlines: FeedbackDeadlines = field(default_factory=FeedbackDeadlines)
    # 1.1: the publishing decision at least this many working days before the legal basis takes
    # effect; 1.2: publicized within this many working days of the decision (practice §3.3, Decree
    # 63/2010 Art. 15). Province values; a ministry profile would use 20 and 10.
    publish_lead_working_days: int = 5
    publicize_within_working_days: int = 5

    def __post_init__(self) -> None:
        for group in self.groups:
            if sum((m.max_score for m in self.metrics_of(group.code)), Decimal(0)) != group.max_score:
                raise ProfileError(
                    _("The metric maxima of group %(group)s do not add up to its maximum."), group=group.code
                )
        codes = {g.code for g in self.groups}
        if any(m.group not in codes for m in self.metrics) or len({m.code for m in self.metrics}) != len(self.metrics):
            raise ProfileError(_("Every metric needs a unique code and a known group."))

    @property
    def max_score(self) -> Decimal:
        return sum((g.max_score for g in self.groups), Decimal(0))

    def metric(self, code: str) -> MetricSpec:
        return next(m for m in self.metrics if m.code == code)

    def metrics_of(self, group: str) -> tuple[MetricSpec, ...]:
        return tuple(m for m in self.metrics if m.group == group)

    def band(self, value: Decimal) -> Band:
        return band_for(self.bands, value)

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


def _m(code: str, name: str, group: str, max_score: int, full_marks_at: int = 100) -> MetricSpec:
    return MetricSpec(code, name, group, Decimal(max_score), Decimal(full_marks_at))


# SPEC §6.1; official names from practice.md §3.2–3.3 (VPCP "Công thức 766"). The certified e-copy
# metric has no number in the source: "4.2b" places it after 4.2, as the METRICS sheet lists it.
_METRICS_766: Final = (
    _m("1.1", "Tỷ lệ TTHC công bố đúng hạn", "CKMB", 6),
    _m("1.2", "Tỷ lệ TTHC cập nhật, công khai đúng hạn", "CKMB", 4),
    _m("1.3", "Tỷ lệ TTHC công khai đầy đủ nội dung", "CKMB", 2),
    _m("1.4", "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", "CKMB", 6),
    _m("2.1", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", "TDGQ", 20),
    _m("3.3", "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng số hồ sơ của TTHC đủ điều kiện", "CLGQ", 12, 50),
    _m("3.5", "Tỷ lệ TTHC có nghĩa vụ tài chính được tích hợp thanh toán trực tuyến", "TTTT", 2),
    _m("3.5b", "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến", "TTTT", 2),
    _m("3.6", "Tỷ lệ hồ sơ thanh toán trực tuyến", "TTTT", 6),
    _m("4.1", "Tỷ lệ hồ sơ có cấp kết quả điện tử", "MDSH", 6),
    _m("4.2", "Tỷ lệ hồ sơ thực hiện số hóa", "MDSH", 4, 80),
    _m("4.2b", "Tỷ lệ hồ sơ chứng thực bản sao điện tử từ bản chính", "MDSH", 2),
    _m("4.3", "Tỷ lệ tái sử dụng dữ liệu số hóa", "MDSH", 2, 80),
    _m("4.4", "Tỷ lệ hồ sơ kết nối kho dữ liệu cá nhân trên Cổng Dịch vụ công quốc gia", "MDSH", 4),
    _m("4.5b", "Tỷ lệ hồ sơ sử dụng dữ liệu dân cư", "MDSH", 2),
    _m("4.5a", "Tỷ lệ TTHC sử dụng dữ liệu dân cư", "MDSH", 2),
    _m("5.2", "Tỷ lệ phản ánh, kiến nghị được xử lý đúng hạn", "MDHL", 6),
    _m("5.3", "Mức độ hài lòng trong xử lý phản ánh, kiến nghị", "MDHL", 6),
    _m("5.4", "Mức độ hài lòng trong tiếp nhận, giải quyết TTHC", "MDHL", 6, 90),
)

_GROUPS_766: Final = (
    GroupSpec("CKMB", "Công khai, minh bạch", Decimal(18)),
    GroupSpec("TDGQ", "Tiến độ giải quyết", Decimal(20)),
    GroupSpec("CLGQ", "Dịch vụ công trực tuyến", Decimal(12)),
    GroupSpec("TTTT", "Thanh toán trực tuyến", Decimal(10)),
    GroupSpec("MDSH", "Số hóa hồ sơ", Decimal(22)),
    GroupSpec("MDHL", "Mức độ hài lòng", Decimal(18)),
)

# SPEC §6.1: ≥ 90 Xuất sắc, 80–< 90 Tốt (seed 003 §IX.3), 70–< 80 Khá, 50–< 70 Trung bình, < 50 Yếu.
_BANDS_766: Final = (
    Band("excellent", "Xuất sắc", Decimal(90)),
    Band("good", "Tốt", Decimal(80)),
    Band("fair", "Khá", Decimal(70)),
    Band("average", "Trung bình", Decimal(50)),
    Band("weak", "Yếu", Decimal(0)),
)

DEFAULT_766: Final = IndexProfile(
    key="766-2022",
    title="Bộ chỉ số 766/QĐ-TTg (mặc định, SPEC §6.1)",
    effective_from=date(2022, 8, 1),
    effective_to=None,
    groups=_GROUPS_766,
    metrics=_METRICS_766,
    bands=_BANDS_766,
)

PROFILES_766: Final[tuple[IndexProfile, ...]] = (DEFAULT_766,)


class UnitLevel(StrEnum):
    """The level of a One-Stop Unit, which sets its index-5 share (TT 01/2018 Art. 13.5.a)."""

    MINISTRY = "ministry"
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


@dataclass(frozen=True)
class Tt01Profile:
    """A version of the TT 01/2018 evaluation: thresholds of indices 5, 8, 9 and the classification bands."""

    key: str
    title: str
    effective_from: date
    effective_to: date | None
    unit_bands: tuple[Band, ...]
    officer_bands: tuple[Band, ...]
    # Index 5, 2 points: share of listed procedures the One-Stop Unit itself decides (Art. 13.5.a).
    one_stop_decided_share: tuple[tuple[UnitLevel, Decimal], ...]
    online_service_share: Decimal = Decimal(20)  # index 9: eligible procedures at level 3/4 (Art. 13.9.a)
    online_dossier_share_full: Decimal = Decimal(30)  # index 9, 2 points (Art. 13.9.a)
    online_dossier_share_partial: Decimal = Decimal(15)  # index 9, 1 point (Art. 13.9.b)
    feedback_on_time_partial: Decimal = Decimal(90)  # index 8, 1 point (Art. 13.8.b)
    early_margin_hours: Decimal = Decimal(8)

    def decided_share_for(self, level: UnitLevel) -> Decimal:
        return dict(self.one_stop_decided_share)[level]

    def applies_on(self, day: date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


TT01_2018: Final = Tt01Profile(
    key="tt01-2018",
    title="Thông tư 01/2018/TT-VPCP, Điều 13–15",
    # In force 06/01/2019; Decree 118/2025 replaces the evaluation from 01/07/2025 (SPEC §6.2).
    effective_from=date(2019, 1, 6),
    effective_to=date(2025, 6, 30),
    # Art. 15.3.b.
    unit_bands=(
        Band("excellent", "Xuất sắc", Decimal(15)),
        Band("good", "Tốt", Decimal(12)),
        Band("fair", "Khá", Decimal(9)),
        Band("average", "Trung bình", Decimal(6)),
        Band("weak", "Yếu", Decimal(0)),
    ),
    # Art. 15.3.a.
    officer_bands=(
        Band("complete", "Hoàn thành 100% nhiệm vụ", Decimal(5)),
        Band("mostly", "Hoàn thành từ 70% đến dưới 100% nhiệm vụ", Decimal("3.5")),
        Band("under", "Hoàn thành dưới 70% nhiệm vụ", Decimal(0)),
    ),
    one_stop_decided_share=(
        (UnitLevel.MINISTRY, Decimal(20)),
        (UnitLevel.PROVINCE, Decimal(20)),
        (UnitLevel.DISTRICT, Decimal(50)),
        (UnitLevel.COMMUNE, Decimal(100)),
    ),
)

TT01_PROFILES: Final[tuple[Tt01Profile, ...]] = (TT01_2018,)


def profile_766_for(day: date) -> IndexProfile:
    """The 766 profile in force on `day` (use the period's first day)."""
    for profile in PROFILES_766:
        if profile.applies_on(day):
            return profile
    raise ProfileError(_("No 766 index profile is in force on %(day)s."), day=day.isoformat())


def tt01_profile_for(day: date) -> Tt01Profile:
    """The TT 01/2018 profile in force on `day`; none after 30/06/2025 (SPEC §6.2)."""
    for profile in TT01_PROFILES:
        if profile.applies_on(day):
            return profile
    raise ProfileError(_("The TT 01/2018 evaluation does not apply on %(day)s."), day=day.isoformat())

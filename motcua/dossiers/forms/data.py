"""What each form prints, as frozen dataclasses: the dossier services fill them, `render` prints them.

Plain data on purpose: no models, no querysets, so a form can be rendered (and tested) from any
source, and the exact data behind a signed PDF can be stored beside it. Datetimes must be
timezone-aware; they are printed in Vietnam time. Field names follow practice.md §2.2 (the
TT 01/2018 form contents); the 2025 profile (TT 03/2025) keeps them and adds the stop notice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Final

from motcua.core.clock import VIETNAM


class Profile(StrEnum):
    """The legal basis a form is printed under: it decides form numbers and some titles."""

    TT01_2018 = "tt01_2018"  # Decree 61/2018 + Circular 01/2018, dossiers accepted before 2025-07-01
    TT03_2025 = "tt03_2025"  # Decree 118/2025 + Circular 03/2025, from 2025-07-01


# Decree 118/2025 and Circular 03/2025 govern dossiers accepted from this day (Vietnam time).
PROFILE_2025_FROM: Final = date(2025, 7, 1)


def profile_for(accepted_at: datetime) -> Profile:
    """The profile a dossier's forms print under, from the instant it was accepted (SPEC, legal profiles)."""
    if accepted_at.tzinfo is None:
        raise ValueError("accepted_at must be timezone-aware")
    local_day = accepted_at.astimezone(VIETNAM).date()
    return Profile.TT03_2025 if local_day >= PROFILE_2025_FROM else Profile.TT01_2018


class Timeliness(StrEnum):
    """How a step or a dossier finished against its due time (control slip 'Kết quả')."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"

    @property
    def label(self) -> str:
        return _TIMELINESS_LABELS[self]


_TIMELINESS_LABELS = {Timeliness.EARLY: "Trước hạn", Timeliness.ON_TIME: "Đúng hạn", Timeliness.LATE: "Quá hạn"}


class StepPhase(StrEnum):
    """The two parts of the control slip: the dossier going out, the result coming back."""

    HANDOVER = "handover"  # I. GIAO, NHẬN HỒ SƠ
    RESULT = "result"  # II. GIAO, NHẬN KẾT QUẢ


class StopReason(StrEnum):
    """Why a dossier stops (2025 stop notice)."""

    APPLICANT_REQUEST = "applicant_request"  # Decree 118/2025 Art. 21
    SUPPLEMENT_NOT_RECEIVED = "supplement_not_received"  # Art. 19.5: no supplement 15 days after the notice


@dataclass(frozen=True)
class Issuer:
    """The unit printing the form: top-left of the header and the place in the date line."""

    name: str  # as in running text: "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa"; the header upper-cases it
    parent_name: str = ""  # the governing body above it: "Ủy ban nhân dân tỉnh Thanh Hóa"
    place: str = ""  # "Thanh Hóa" in "Thanh Hóa, ngày … tháng … năm …"
    short_name: str = ""  # a shorter running-text name, if any: "Trung tâm"


@dataclass(frozen=True)
class Party:
    """An applicant, a dossier owner or a recipient (citizen or organisation)."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""  # CCCD / hộ chiếu; for an organisation the enterprise code


@dataclass(frozen=True)
class Signer:
    """A signature block: the role line, a space to sign, the printed name."""

    role: str  # "NGƯỜI TIẾP NHẬN HỒ SƠ", "GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    name: str = ""
    hint: str = "(Ký và ghi rõ họ tên)"


@dataclass(frozen=True)
class ComponentLine:
    """One paper of the dossier and how many of each kind were (or must be) handed in."""

    name: str
    originals: int = 0  # bản chính
    certified_copies: int = 0  # bản sao chứng thực / bản chứng thực
    photocopies: int = 0  # bản photo / bản sao
    note: str = ""  # on the supplement request: what to fix in it


@dataclass(frozen=True)
class ReceiptData:
    """Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    issuer: Issuer
    base_url: str
    code: str
    issued_at: datetime
    applicant: Party
    procedure_name: str
    received_at: datetime
    due_at: datetime
    processing_time: str  # "15 ngày làm việc" as the catalog states it
    receiver: Signer
    components: tuple[ComponentLine, ...] = ()
    owner: Party | None = None  # chủ hồ sơ, when not the person filing
    set_count: int = 1
    return_place: str = ""  # "Đăng ký nhận kết quả tại"
    fees: str = ""  # "50.000 đồng (thu trước)"
    ledger_book: str = ""  # "Vào Sổ theo dõi hồ sơ, Quyển số …"
    ledger_number: str = ""  # "… Số thứ tự …"
    document_number: str = ""
    profile: Profile = Profile.TT03_2025


@dataclass(frozen=True)
class SupplementRequestData:
    """Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    issuer: Issuer
    base_url: str
    code: str
    issued_at: datetime
    applicant: Party
    procedure_name: str
    items: tuple[ComponentLine, ...]
    reason: str
    guide: Signer  # NGƯỜI HƯỚNG DẪN
    received_at: datetime | None = None
    help_contact: str = ""  # "Bộ phận Một cửa, điện thoại 0237 3 900 900"
    document_number: str = ""
    profile: Profile = Profile.TT03_2025


@dataclass(frozen=True)
class RefusalData:
    """Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    issuer: Issuer
    base_url: str
    code: str
    issued_at: datetime
    applicant: Party
    procedure_name: str
    reason: str
    receiver: Signer
    received_at: datetime | None = None
    help_contact: str = ""
    document_number: str = ""
    profile: Profile = Profile.TT03_2025


@dataclass(frozen=True)
class ApologyData:
    """Mẫu 04: 2018 Phiếu xin lỗi và hẹn lại ngày trả kết quả; 2025 Văn bản xin lỗi và đề nghị gia hạn."""

    issuer: Issuer
    base_url: str
    code: str
    issued_at: datetime
    recipient: Party
    procedure_name: str
    received_at: datetime
    original_due_at: datetime
    new_due_at: datetime
    reason: str  # why the result is (or will be) late
    signer: Signer
    lead_unit_name: str = ""  # the unit that did not finish in time, when not the issuer
    return_place: str = ""
    distribution: tuple[str, ...] = ("Như trên;", "Lưu: VT.")  # Nơi nhận
    document_number: str = ""
    profile: Profile = Profile.TT03_2025


@dataclass(frozen=True)
class ControlStep:
    """One hand-over on the control slip: who gave the dossier (or result) to whom, when, how it went."""

    phase: StepPhase
    from_unit: str
    to_unit: str
    from_officer: str = ""
    to_officer: str = ""
    handed_over_at: datetime | None = None
    outcome: Timeliness | None = None  # of the step that ended with this hand-over
    sender_signed: bool = False  # the hand-over was confirmed (signed) in the system
    receiver_signed: bool = False
    note: str = ""


@dataclass(frozen=True)
class ControlSlipData:
    """Mẫu 05 (2018) / Mẫu 06 (2025) Phiếu kiểm soát quá trình giải quyết hồ sơ."""

    issuer: Issuer
    base_url: str
    code: str
    issued_at: datetime
    applicant: Party
    procedure_name: str
    received_at: datetime
    due_at: datetime
    processing_time: str
    steps: tuple[ControlStep, ...]
    owner: Party | None = None
    lead_unit_name: str = ""  # Cơ quan (bộ phận) giải quyết hồ sơ
    coordinating_units: tuple[str, ...] = ()  # Cơ quan phối hợp giải quyết hồ sơ
    unit_due_at: datetime | None = None  # when the competent unit must hand the result to the counter
    components: tuple[ComponentLine, ...] = ()
    set_count: int = 1
    profile: Profile = Profile.TT03_2025


@dataclass(frozen=True)
class StopNoticeData:
    """Mẫu 05 (2025 only) Thông báo dừng giải quyết hồ sơ (Decree 118/2025 Art. 21)."""

    issuer: Issuer
    base_url: str
    code: str
    issued_at: datetime
    recipient: Party
    procedure_name: str
    received_at: datetime
    stopped_at: datetime
    reason: StopReason
    signer: Signer
    requested_at: datetime | None = None  # when the applicant asked to stop
    supplement_requested_at: datetime | None = None  # for SUPPLEMENT_NOT_RECEIVED: the notice date
    detail: str = ""  # the applicant's stated reason, or any other explanation
    paper_and_fees: str = ""  # how the paper dossier and fees (if any) are returned
    distribution: tuple[str, ...] = ("Như trên;", "Lưu: VT.")
    document_number: str = ""
    profile: Profile = Profile.TT03_2025


@dataclass(frozen=True)
class TrackingRow:
    """One dossier in the tracking book."""

    seq: int  # số thứ tự: continuous through the year (TT 01/2018 Art. 10.2.c)
    code: str
    procedure_name: str
    applicant_name: str
    received_at: datetime
    due_at: datetime
    set_count: int = 1
    address: str = ""
    phone: str = ""
    lead_unit_name: str = ""
    transferred_at: datetime | None = None  # chuyển hồ sơ đến cơ quan giải quyết
    result_received_at: datetime | None = None  # nhận kết quả từ cơ quan giải quyết
    returned_at: datetime | None = None  # trả kết quả cho cá nhân, tổ chức
    collected_by: str = ""  # ký nhận: who collected the result
    note: str = ""


@dataclass(frozen=True)
class TrackingBookData:
    """Mẫu 06 (2018) / Mẫu 07 (2025) Sổ theo dõi hồ sơ: A4 landscape, many dossiers."""

    issuer: Issuer
    base_url: str
    issued_at: datetime
    rows: tuple[TrackingRow, ...]
    year: int
    book_number: str = ""  # Quyển số
    period: str = ""  # "Từ ngày 01/3/2026 đến ngày 31/3/2026"
    row_qr: bool = True  # a small QR per row that opens the dossier's tracking page
    profile: Profile = Profile.TT03_2025
    keeper: Signer = field(default_factory=lambda: Signer(role="NGƯỜI LẬP SỔ"))


# Any form's data; every member has `issuer`, `issued_at`, `base_url` and `profile`.
FormData = (
    ReceiptData
    | SupplementRequestData
    | RefusalData
    | ApologyData
    | ControlSlipData
    | StopNoticeData
    | TrackingBookData
)

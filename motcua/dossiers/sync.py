"""National portal (DVCQG) messages for a dossier, in the portal's field names (SPEC §7.2).

`DongBoHoSoMC` carries the whole dossier (on registration and every status change),
`CapNhatTienDoHoSoMC` one processing step (moves that keep the status). Dates are
`yyyyMMddHHmmss` in Vietnam time; statuses are TrangThaiHoSo codes (SPEC §4.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, Final

from motcua.core.clock import VIETNAM
from motcua.dossiers import lifecycle
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import ApplicantKind, Dossier, DossierEvent, DossierStep, FeeLine

# Moves that change neither the status nor the promised date: a progress update is enough.
PROGRESS_ONLY: Final = frozenset({Action.FORWARD, Action.SEND_BACK, Action.CONSULT, Action.ANSWER_CONSULT})


def portal_time(instant: datetime | None) -> str:
    return instant.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S") if instant else ""


def event_status_code(event: DossierEvent) -> int | None:
    # Acceptance passes through the portal's "accepted" (2) before processing (4).
    if event.action == Action.ACCEPT:
        return lifecycle.national_status(lifecycle.Status.ACCEPTED)
    return lifecycle.national_status(event.to_status)


def sync_payload(dossier: Dossier, event: DossierEvent, step: DossierStep | None) -> dict[str, Any]:
    """The message for `event`: a full record, or a progress update for moves inside processing."""
    if event.action in PROGRESS_ONLY:
        return {
            "service": "CapNhatTienDoHoSoMC",
            "madonvi": dossier.handling_unit.code,
            "data": [progress_record(dossier, event, step)],
        }
    return {
        "service": "DongBoHoSoMC",
        "madonvi": dossier.handling_unit.code,
        "isUpdating": event.from_status != lifecycle.Status.DRAFT,  # the first push is the registration
        "data": [dossier_record(dossier, status=event_status_code(event))],
    }


# Within `rows_memo`: each dossier's documents, fees and supplements as first read.
_memo: ContextVar[dict[int, tuple[list[Any], list[FeeLine], list[Any]]] | None] = ContextVar(
    "sync_rows_memo", default=None
)


@contextmanager
def rows_memo() -> Iterator[None]:
    """Read each dossier's components, fee lines and supplement requests once for every record built
    inside: for writes that do not change them after the first record (a new dossier's intake)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _rows(dossier: Dossier) -> tuple[list[Any], list[FeeLine], list[Any]]:
    memo = _memo.get()
    if memo is not None and dossier.pk in memo:
        return memo[dossier.pk]
    rows = (
        list(dossier.components.select_related("component").order_by("component__order", "pk")),
        list(dossier.fee_lines.order_by("pk")),
        list(dossier.supplement_requests.order_by("requested_at", "pk")),
    )
    if memo is not None:
        memo[dossier.pk] = rows
    return rows


def dossier_record(dossier: Dossier, *, status: int | None) -> dict[str, Any]:
    version = dossier.procedure_version
    field = version.field
    person = dossier.applicant_kind == ApplicantKind.PERSON
    components, fees, supplements = _rows(dossier)
    return {
        "MaHoSo": dossier.code,
        "MaTTHC": dossier.procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": field.code if field else "",
        "TenLinhVuc": field.name if field else "",
        "KenhThucHien": dossier.channel,
        "ChuHoSo": dossier.applicant_display_name,
        "LoaiDoiTuong": 1 if person else 2,
        "MaDoiTuong": dossier.applicant_id_number if person else dossier.organization_tax_code,
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "TrichYeuHoSo": f"{version.name} — {dossier.applicant_display_name}",
        "NgayTiepNhan": portal_time(dossier.accepted_at or dossier.submitted_at),
        "NgayHenTra": portal_time(dossier.due_at),
        "TrangThaiHoSo": status,
        "NgayTra": portal_time(dossier.returned_at),
        "NgayKetThucXuLy": portal_time(dossier.finished_at),
        "DonViXuLy": dossier.handling_unit.name,
        "TaiLieuNop": _documents(components),
        "DanhSachLePhi": _fees(fees),
        "DanhSachHoSoBoSung": _supplements(dossier, supplements),
        "DanhSachGiayToKetQua": [],  # results arrive with the documents app
        "DuocThanhToanTrucTuyen": _online_payment(fees),
    }


def progress_record(dossier: Dossier, event: DossierEvent, step: DossierStep | None) -> dict[str, Any]:
    actor = event.actor
    return {
        "MaHoSo": dossier.code,
        "NguoiXuLy": (actor.full_name or actor.username) if actor else "",
        "ChucDanh": step.role if step else "",
        "ThoiDiemXuLy": portal_time(event.at),
        "PhongBanXuLy": step.unit.name if step else dossier.handling_unit.name,
        "NoiDungXuLy": str(event.data.get("comment") or lifecycle.ACTION_LABELS[Action(event.action)]),
        "TrangThai": lifecycle.national_status(event.to_status),
        "NgayBatDau": portal_time(step.started_at if step else event.at),
        "NgayKetThucTheoQuyDinh": portal_time(step.due_at if step else dossier.due_at),
    }


def _documents(components: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "TenTepDinhKem": item.component.name,
            "MaThanhPhanHoSo": item.component.code,
            "DuongDanTaiTepTin": ",".join(str(f) for f in item.files),
            "DuocSoHoa": 1 if item.digitized else 0,
            "DuocLayTuKhoDMQG": 1 if item.reused else 0,
        }
        for item in components
    ]


def _fees(fees: list[FeeLine]) -> list[dict[str, Any]]:
    return [
        {
            "TenPhiLePhi": fee.name,
            "MaPhiLePhi": fee.code,
            "HinhThucThu": fee.method,
            "Gia": str(fee.amount),
            "LoaiPhiLePhi": 1 if fee.kind == "phi" else 2,
        }
        for fee in fees
    ]


# Fee-line payment methods that mean "paid online": through the national portal's platform (1)
# or the province's own (2), as DuocThanhToanTrucTuyen says (the history import writes both).
ONLINE_PAYMENT: Final = {"dvcqg": 1, "online": 2}


def _online_payment(fees: list[FeeLine]) -> int | None:
    return min((ONLINE_PAYMENT[fee.method] for fee in fees if fee.method in ONLINE_PAYMENT), default=None)


def _supplements(dossier: Dossier, requests: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "NoiDungBoSung": "; ".join(str(m) for m in request.missing),
            "NgayYeuCau": portal_time(request.requested_at),
            "NgayTiepNhanBoSung": portal_time(request.supplied_at),
            "NgayHenTraTruoc": portal_time(request.due_before),
            "NgayHenTraMoi": portal_time(dossier.due_at) if request.supplied_at else "",
        }
        for request in requests
    ]

"""Importing dossier history from DongBoHoSoMC JSON lines: every status, idempotency, refusals, the chain."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.core.clock import VIETNAM
from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status, national_status
from motcua.dossiers.models import (
    DailySequence,
    Dossier,
    DossierComponent,
    DossierEvent,
    DossierStep,
    FeeLine,
    Outcome,
    SupplementRequest,
)
from motcua.dossiers.services.history import HistoryImportError, history_check, history_import
from motcua.dossiers.sync import dossier_record
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db

UNIT = "000.00.21.H99"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def record(code: str, status: int, **fields: Any) -> dict[str, Any]:
    """A DongBoHoSoMC record of the test procedure at the test unit, as `sync.dossier_record` writes it."""
    base: dict[str, Any] = {
        "MaHoSo": f"{UNIT}-{code}",
        "MaTTHC": "2.000815",
        "TenTTHC": "Thủ tục thử nghiệm",
        "MaLinhVuc": "",
        "TenLinhVuc": "",
        "KenhThucHien": 1,
        "ChuHoSo": "Nguyễn Văn An",
        "LoaiDoiTuong": 1,
        "MaDoiTuong": "001090012345",
        "Email": "an@example.vn",
        "SoDienThoai": "0912345678",
        "TrichYeuHoSo": "Thủ tục thử nghiệm — Nguyễn Văn An",
        "NgayTiepNhan": "20250804080000",
        "NgayHenTra": "20250811080000",
        "TrangThaiHoSo": status,
        "NgayTra": "",
        "NgayKetThucXuLy": "",
        "DonViXuLy": "UBND xã An Bình",
        "TaiLieuNop": [
            {"TenTepDinhKem": "Tờ khai", "MaThanhPhanHoSo": "TP1", "DuongDanTaiTepTin": "", "DuocSoHoa": 1},
        ],
        "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "MaPhiLePhi": "LP1", "Gia": "50000", "LoaiPhiLePhi": 2}],
        "DanhSachHoSoBoSung": [],
        "DanhSachGiayToKetQua": [],
        "DuocThanhToanTrucTuyen": None,
    }
    return {**base, **fields}


def supplement(asked: str, back: str = "", before: str = "", after: str = "") -> dict[str, str]:
    return {
        "NoiDungBoSung": "Bản sao giấy khai sinh",
        "NgayYeuCau": asked,
        "NgayTiepNhanBoSung": back,
        "NgayHenTraTruoc": before,
        "NgayHenTraMoi": after,
    }


RESULT = [{"TenGiayTo": "Bản sao chứng thực", "MaThanhPhanHoSo": "KQ1", "GiayToId": "G1", "DuongDanTepTinKetQua": ""}]

# One dossier per national status, with supplements, online payment and digitized components.
RECORDS = [
    record(
        "250804-0001",
        10,
        NgayKetThucXuLy="20250808100000",
        NgayTra="20250808140000",
        DanhSachGiayToKetQua=RESULT,
        TaiLieuNop=[
            {"TenTepDinhKem": "Tờ khai", "MaThanhPhanHoSo": "TP1", "DuongDanTaiTepTin": "f1,f2", "DuocSoHoa": 1},
            {"TenTepDinhKem": "Kèm theo", "MaThanhPhanHoSo": "TP2", "DuocSoHoa": 0, "DuocLayTuKhoDMQG": 1},
        ],
    ),
    record(
        "250804-0002",
        10,
        KenhThucHien=2,
        NgayTiepNhan="20250804090000",
        NgayHenTra="20250814090000",
        NgayKetThucXuLy="20250813100000",
        NgayTra="20250813100500",
        DuocThanhToanTrucTuyen=1,
        DanhSachHoSoBoSung=[supplement("20250805090000", "20250807090000", "20250811090000", "20250814090000")],
    ),
    record(
        "250804-0003",
        9,
        NgayHenTra="20250820100000",
        NgayKetThucXuLy="20250819100000",
        DanhSachHoSoBoSung=[
            supplement("20250805080000", "20250806100000", "20250811080000", "20250813100000"),
            supplement("20250807080000", "20250813100000", "20250813100000", "20250820100000"),
        ],
    ),
    record(
        "250805-0001", 3, KenhThucHien=2, NgayTiepNhan="20250805100000", NgayHenTra="", NgayKetThucXuLy="20250805150000"
    ),
    record(
        "250805-0002", 7, NgayTiepNhan="20250805080000", NgayHenTra="20250812080000", NgayKetThucXuLy="20250806080000"
    ),
    record(
        "250805-0003", 7, KenhThucHien=2, NgayTiepNhan="20250805090000", NgayHenTra="", NgayKetThucXuLy="20250805093000"
    ),
    record(
        "250806-0001",
        8,
        NgayTiepNhan="20250806080000",
        NgayHenTra="20250813080000",
        NgayKetThucXuLy="20250825080000",
        DanhSachHoSoBoSung=[supplement("20250807080000", before="20250813080000")],
    ),
    record("250806-0002", 4, NgayTiepNhan="20250806090000", NgayHenTra="20250813090000"),
    record("250806-0003", 2, NgayTiepNhan="20250806100000", NgayHenTra="20250813100000"),
    record(
        "250807-0001",
        5,
        NgayTiepNhan="20250807080000",
        NgayHenTra="20250814080000",
        DanhSachHoSoBoSung=[supplement("20250808080000", before="20250814080000")],
    ),
    record("250807-0002", 6, NgayTiepNhan="20250807090000", NgayHenTra="20250814090000"),
    record("250807-0003", 1, KenhThucHien=2, NgayTiepNhan="20250807100000", NgayHenTra=""),
    record(
        "250808-0001",
        10,
        KenhThucHien=2,
        NgayTiepNhan="20250808103000",
        NgayHenTra="20250815103000",
        NgayKetThucXuLy="20250814100000",
        NgayTra="20250814110000",
        DanhSachHoSoBoSung=[supplement("20250808080000", "20250808100000")],
    ),
]


def lines(records: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False) + "\n" for r in records]


def dossier(code: str) -> Dossier:
    return Dossier.objects.get(code=f"{UNIT}-{code}")


def actions(code: str) -> list[str]:
    return list(
        DossierEvent.objects.filter(dossier=dossier(code)).order_by("sequence").values_list("action", flat=True)
    )


def written() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Dossier, DossierEvent, DossierComponent, FeeLine, SupplementRequest, DailySequence, DossierStep)
    )


def test_import_maps_every_national_status_to_ours(world):
    summary = history_import(lines=lines(RECORDS))

    assert summary.created == len(RECORDS)
    statuses = {d.code[-11:]: d.status for d in Dossier.objects.all()}
    assert statuses == {
        "250804-0001": Status.RETURNED,
        "250804-0002": Status.RETURNED,
        "250804-0003": Status.RESOLVED,
        "250805-0001": Status.REFUSED,
        "250805-0002": Status.WITHDRAWN,
        "250805-0003": Status.WITHDRAWN,
        "250806-0001": Status.STOPPED,
        "250806-0002": Status.PROCESSING,
        "250806-0003": Status.PROCESSING,  # "accepted" is transient: processing at once
        "250807-0001": Status.AWAITING_SUPPLEMENT,
        "250807-0002": Status.AWAITING_PAYMENT,
        "250807-0003": Status.SUBMITTED,
        "250808-0001": Status.RETURNED,
    }
    assert summary.by_status == {
        "returned": 3,
        "resolved": 1,
        "refused": 1,
        "withdrawn": 2,
        "stopped": 1,
        "processing": 2,
        "awaiting_supplement": 1,
        "awaiting_payment": 1,
        "submitted": 1,
    }


def test_imported_dossier_keeps_the_record_times_units_components_and_fees(world):
    history_import(lines=lines(RECORDS))

    first = dossier("250804-0001")
    assert (first.receiving_unit, first.handling_unit, first.receiving_counter) == (
        world.unit,
        world.unit,
        world.counter,
    )
    assert first.accepted_at == first.submitted_at == local(2025, 8, 4, 8, 0)
    assert first.due_at == local(2025, 8, 11, 8, 0)
    assert (first.finished_at, first.returned_at) == (local(2025, 8, 8, 10, 0), local(2025, 8, 8, 14, 0))
    assert first.outcome == Outcome.APPROVED  # a result document was issued
    assert first.applicant_name == "Nguyễn Văn An"
    assert first.applicant_id_number == "001090012345"
    items = {c.component.code: c for c in first.components.all()}
    assert (items["TP1"].files, items["TP1"].digitized, items["TP1"].reused) == (["f1", "f2"], True, False)
    assert (items["TP2"].digitized, items["TP2"].reused) == (False, True)
    fee = first.fee_lines.get()
    assert (fee.code, fee.amount, fee.kind, fee.paid_at) == ("LP1", Decimal(50000), "le_phi", None)


def test_online_payment_is_recorded_on_the_fee_lines_and_synced_back(world):
    history_import(lines=lines(RECORDS))

    online = dossier("250804-0002")
    fee = online.fee_lines.get()
    assert (fee.method, fee.paid_at) == ("dvcqg", local(2025, 8, 4, 9, 0))
    assert dossier_record(online, status=10)["DuocThanhToanTrucTuyen"] == 1


def test_supplements_become_requests_and_events_with_the_due_times_they_moved(world):
    history_import(lines=lines(RECORDS))

    two = dossier("250804-0003")
    assert two.supplement_count == 2
    requests = list(two.supplement_requests.order_by("requested_at"))
    assert [r.supplied_at for r in requests] == [local(2025, 8, 6, 10, 0), local(2025, 8, 13, 10, 0)]
    assert [r.due_before for r in requests] == [local(2025, 8, 11, 8, 0), local(2025, 8, 13, 10, 0)]
    assert not any(r.before_acceptance for r in requests)
    assert actions("250804-0003") == [
        "submit",
        "accept",
        "request_supplement",
        "submit_supplement",
        "request_supplement",
        "submit_supplement",
        "resolve",
    ]
    restart = two.events.filter(action="submit_supplement").order_by("sequence").last()
    assert restart is not None
    assert restart.data["due_at"] == "2025-08-20T03:00:00.000000+00:00"


def test_a_supplement_at_reception_comes_before_the_acceptance(world):
    history_import(lines=lines(RECORDS))

    assert actions("250808-0001") == [
        "submit",
        "request_supplement",
        "submit_supplement",
        "accept",
        "resolve",
        "return_result",
    ]
    at_reception = dossier("250808-0001")
    assert at_reception.submitted_at == local(2025, 8, 8, 8, 0)
    assert at_reception.supplement_requests.get().before_acceptance


def test_event_chains_follow_the_record_instants(world):
    history_import(lines=lines(RECORDS))

    assert actions("250804-0001") == ["submit", "accept", "resolve", "return_result"]
    assert actions("250805-0001") == ["submit", "refuse"]
    assert actions("250805-0002") == ["submit", "accept", "withdraw"]
    assert actions("250805-0003") == ["submit", "withdraw"]
    assert actions("250806-0001") == ["submit", "accept", "request_supplement", "stop"]
    assert actions("250807-0002") == ["submit", "accept", "request_payment"]
    assert actions("250807-0003") == ["submit"]
    returned = dossier("250804-0001")
    times = list(returned.events.order_by("sequence").values_list("at", flat=True))
    assert times == [
        local(2025, 8, 4, 8, 0),
        local(2025, 8, 4, 8, 0),
        local(2025, 8, 8, 10, 0),
        local(2025, 8, 8, 14, 0),
    ]
    first = returned.events.get(sequence=1)
    assert first.data["imported"]["sha256"]
    assert first.actor is None
    assert all(e.data.get("imported") for e in DossierEvent.objects.all())


def test_open_dossiers_wait_in_the_workflow_step_an_officer_would_find(world):
    history_import(lines=lines(RECORDS))

    def waiting(code: str) -> str | None:
        step = dossier(code).steps.filter(finished_at__isnull=True).first()
        return step.kind if step else None

    assert waiting("250806-0002") == "processing"
    assert waiting("250807-0003") == "reception"
    assert waiting("250804-0003") == "return"  # resolved, the result not handed over yet
    assert waiting("250804-0001") is None  # closed history has no steps
    paused = dossier("250807-0001")
    assert paused.clock_paused_at == local(2025, 8, 8, 8, 0)


def test_imported_history_writes_no_outbox_messages(world):
    history_import(lines=lines(RECORDS))

    assert OutboxMessage.objects.count() == 0


def test_verify_audit_passes_after_import_and_still_catches_a_modified_event(world, capsys):
    history_import(lines=lines(RECORDS))

    call_command("verify_audit")
    assert f"OK: {len(RECORDS)} chains intact" in capsys.readouterr().out
    DossierEvent.objects.filter(dossier=dossier("250804-0002"), sequence=2).update(at=local(2025, 8, 4, 9, 1))
    with pytest.raises(CommandError, match="250804-0002"):
        call_command("verify_audit")


def test_second_import_of_the_same_file_creates_nothing(world):
    history_import(lines=lines(RECORDS))
    before = written()

    summary = history_import(lines=lines(list(reversed(RECORDS))))

    assert (summary.created, summary.unchanged, summary.conflicts) == (0, len(RECORDS), ())
    assert written() == before


def test_a_changed_record_is_a_conflict_and_history_is_not_rewritten(world):
    history_import(lines=lines(RECORDS))
    changed = record("250806-0002", 9, NgayTiepNhan="20250806090000", NgayHenTra="20250813090000")
    changed["NgayKetThucXuLy"] = "20250812090000"

    summary = history_import(lines=lines([changed, RECORDS[0]]))

    assert (summary.created, summary.unchanged, summary.conflicts) == (0, 1, (f"{UNIT}-250806-0002",))
    assert dossier("250806-0002").status == Status.PROCESSING


def test_a_live_dossier_with_the_same_code_is_a_conflict(world):
    live = register(world.officer, world.procedure)  # 000.00.21.H99-250909-0001, at 09:00
    clash = record("250909-0001", 4, NgayTiepNhan="20250909083000", NgayHenTra="20250916083000")

    summary = history_import(lines=lines([clash]))

    assert summary.conflicts == (live.code,)
    assert Dossier.objects.count() == 1


def test_a_live_intake_after_import_gets_the_next_number_of_that_prefix_and_day(world):
    morning = record(
        "250909-0007",
        10,
        NgayTiepNhan="20250909073000",
        NgayHenTra="20250916073000",
        NgayKetThucXuLy="20250909080000",
        NgayTra="20250909081500",
    )
    history_import(lines=lines([morning]))

    assert register(world.officer, world.procedure).code == f"{UNIT}-250909-0008"
    assert DailySequence.objects.get(prefix=UNIT).last_number == 8


def test_a_lower_imported_number_never_moves_the_sequence_back(world):
    def at_seven(number: str) -> dict[str, Any]:
        return record(f"250909-{number}", 4, NgayTiepNhan="20250909073000", NgayHenTra="20250916073000")

    history_import(lines=lines([at_seven("0005")]))
    history_import(lines=lines([at_seven("0003")]))

    assert register(world.officer, world.procedure).code == f"{UNIT}-250909-0006"


BAD_LINES = [
    ("NgayTiepNhan", {"NgayTiepNhan": "2025-08-04 08:00"}),
    ("MaTTHC", {"MaTTHC": "9.999999"}),
    ("MaHoSo", {"MaHoSo": "HS-2025-0001"}),
    ("MaHoSo", {"MaHoSo": f"{UNIT}-251399-0001"}),
    ("TrangThaiHoSo", {"TrangThaiHoSo": 11}),
    ("KenhThucHien", {"KenhThucHien": 4}),
    ("DonViXuLy", {"DonViXuLy": "UBND xã Không Có"}),
    ("MaDoiTuong", {"MaDoiTuong": "099190012345"}),
    ("NgayTra", {"TrangThaiHoSo": 10, "NgayKetThucXuLy": "20250808100000"}),
    ("NgayKetThucXuLy", {"TrangThaiHoSo": 9, "NgayKetThucXuLy": "20250801100000"}),
    ("NgayTiepNhan", {"NgayTiepNhan": "20260101080000"}),  # after the (frozen) present
    ("TaiLieuNop[0].MaThanhPhanHoSo", {"TaiLieuNop": [{"MaThanhPhanHoSo": "TP9"}]}),
    ("DanhSachHoSoBoSung[0].NgayYeuCau", {"DanhSachHoSoBoSung": [supplement("20250832080000")]}),
    ("DanhSachLePhi[0].Gia", {"DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": "năm mươi"}]}),
]


@pytest.mark.parametrize(("field", "change"), BAD_LINES, ids=[f"{f}:{next(iter(c))}" for f, c in BAD_LINES])
def test_a_bad_line_is_refused_naming_line_and_field_and_nothing_is_written(world, field, change):
    bad = {**RECORDS[7], **change}

    with pytest.raises(HistoryImportError) as refused:
        history_import(lines=lines([RECORDS[0], bad, RECORDS[1]]))

    assert [(p.line, p.field) for p in refused.value.problems] == [(2, field)]
    assert "2" in str(refused.value)
    assert field in str(refused.value)
    assert written() == (0, 0, 0, 0, 0, 0, 0)


def test_every_problem_of_the_file_is_listed_and_blank_lines_are_skipped(world):
    text = [*lines(RECORDS[:2]), "\n", "{not json\n", json.dumps([1, 2]) + "\n", *lines([RECORDS[0]])]

    with pytest.raises(HistoryImportError) as refused:
        history_import(lines=text)

    assert [(p.line, p.field) for p in refused.value.problems] == [(4, "JSON"), (5, "JSON"), (6, "MaHoSo")]


def test_a_history_that_breaks_the_lifecycle_is_refused(world):
    # A refusal after acceptance is not a move the lifecycle has (only withdraw or stop are).
    refused_late = record("250804-0001", 3, NgayKetThucXuLy="20250805080000", NgayHenTra="20250811080000")
    refused_late["DanhSachHoSoBoSung"] = [supplement("20250804090000")]

    with pytest.raises(HistoryImportError) as refused:
        history_check(lines=lines([refused_late]))

    assert refused.value.problems[0].field == "NgayKetThucXuLy"


def test_our_own_national_sync_record_can_be_read_back(world, clock):
    live = register(world.officer, world.procedure)
    clock.shift(3600)

    records = history_check(lines=lines([dossier_record(live, status=national_status(live.status))]))

    assert records[0].code == live.code
    assert records[0].status == Status.PROCESSING


def test_import_dossiers_command_prints_the_summary_and_refuses_bad_files(world, tmp_path: Path, capsys):
    good = tmp_path / "history.jsonl"
    good.write_text("".join(lines(RECORDS)), encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(lines([{**RECORDS[0], "TrangThaiHoSo": 0}])), encoding="utf-8")

    call_command("import_dossiers", str(good), verbosity=0)
    out = capsys.readouterr().out
    assert str(len(RECORDS)) in out
    assert "returned 3" in out
    with pytest.raises(CommandError, match="TrangThaiHoSo"):
        call_command("import_dossiers", str(bad), verbosity=0)
    assert dossier("250804-0001").events.get(sequence=1).data["imported"]["source"] == "history.jsonl"

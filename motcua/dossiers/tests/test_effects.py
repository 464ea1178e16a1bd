"""Outbox messages of dossier actions: same transaction, national-portal shapes, crash safety."""

import re

import pytest

from motcua.dossiers.factories import register
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import review
from motcua.dossiers.services.processing import dossier_forward
from motcua.dossiers.tests.conftest import snapshot
from motcua.integrations.models import OutboxMessage

pytestmark = pytest.mark.django_db

PORTAL_TIME = re.compile(r"^\d{14}$")


def sync_messages():
    return [m.payload for m in OutboxMessage.objects.filter(kind="dvcqg_sync").order_by("pk")]


def test_a_crash_after_the_outbox_write_rolls_back_the_action_and_its_messages(world, monkeypatch):
    dossier = register(world.citizen, world.procedure, receiving_unit=world.unit.code)
    before = snapshot(dossier)
    real = review.effects_enqueue

    def crash_after_writing(*args, **kwargs):
        real(*args, **kwargs)
        assert OutboxMessage.objects.count() > before[2]  # written …
        raise RuntimeError("worker died")  # … then the process dies before commit

    monkeypatch.setattr(review, "effects_enqueue", crash_after_writing)

    with pytest.raises(RuntimeError):
        review.dossier_accept(dossier=dossier, officer=world.officer)

    assert snapshot(dossier) == before
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUBMITTED


def test_registration_and_acceptance_sync_the_whole_dossier_with_national_codes(world):
    dossier = register(world.officer, world.procedure)

    submitted, accepted = sync_messages()
    assert submitted["service"] == accepted["service"] == "DongBoHoSoMC"
    assert (submitted["isUpdating"], accepted["isUpdating"]) == (False, True)
    record = accepted["data"][0]
    assert record["MaHoSo"] == dossier.code
    assert record["MaTTHC"] == "2.000815"
    assert record["KenhThucHien"] == 1
    assert (submitted["data"][0]["TrangThaiHoSo"], record["TrangThaiHoSo"]) == (1, 2)
    assert record["NgayTiepNhan"] == "20250909090000"
    assert record["NgayHenTra"] == "20250916090000"
    assert record["MaDoiTuong"] == "001090012345"
    assert record["TaiLieuNop"][0]["MaThanhPhanHoSo"] == "TP1"
    assert record["DanhSachLePhi"][0]["Gia"] == "50000.00"
    assert accepted["madonvi"] == "000.00.21.H99"


def test_a_move_inside_processing_is_a_progress_update(world):
    dossier = register(world.officer, world.procedure)

    dossier_forward(dossier=dossier, officer=world.specialist, comment="Trình lãnh đạo")

    progress = sync_messages()[-1]
    assert progress["service"] == "CapNhatTienDoHoSoMC"
    record = progress["data"][0]
    assert record["MaHoSo"] == dossier.code
    assert record["NoiDungXuLy"] == "Trình lãnh đạo"
    assert record["TrangThai"] == 4
    assert PORTAL_TIME.match(record["ThoiDiemXuLy"])
    assert PORTAL_TIME.match(record["NgayKetThucTheoQuyDinh"])


def test_every_message_has_its_own_idempotency_key(world):
    register(world.officer, world.procedure)

    keys = list(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys)) == 3


def test_no_email_without_an_address(world):
    from motcua.dossiers.factories import applicant

    register(world.officer, world.procedure, applicant=applicant(email=""))

    assert not OutboxMessage.objects.filter(kind="notify_email").exists()


def test_email_names_the_dossier_and_links_the_public_tracking(world):
    dossier = register(world.officer, world.procedure)

    payload = OutboxMessage.objects.get(kind="notify_email").payload
    assert payload["to"] == ["an@example.vn"]
    assert dossier.code in payload["subject"]
    assert f"/tra-cuu/{dossier.code}" in payload["body"]

"""The demo year of dossier history: deterministic, realistic in its shares, loaded through the import."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from motcua.accounts.identity import parse_id_number, validate_tax_code
from motcua.catalog.models import Procedure
from motcua.core.clock import VIETNAM
from motcua.demo.history import DEMO_SEED, history_generate, seed_history
from motcua.demo.seed import seed_all
from motcua.dossiers import codes
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services.due import processing_due
from motcua.dossiers.services.history import history_check
from motcua.integrations.models import OutboxMessage

YEAR_END = date(2026, 6, 30)
COUNT = 3000
PHONE = re.compile(r"^09\d{8}$")


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo province seeded once for the module, rolled back at its end (each test also rolls back)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        transaction.atomic(),
    ):
        seed_all(lambda _text: None, history=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def year(demo: None, django_db_blocker: Any) -> list[dict[str, Any]]:
    with django_db_blocker.unblock():
        return list(history_generate(year_end=YEAR_END, count=COUNT, seed=DEMO_SEED))


def share(records: list[dict[str, Any]], test: Any) -> float:
    return sum(1 for r in records if test(r)) / len(records)


def instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y%m%d%H%M%S").replace(tzinfo=VIETNAM)


@pytest.mark.django_db
def test_same_seed_gives_the_same_year_and_another_seed_another(year):
    again = list(history_generate(year_end=YEAR_END, count=200, seed=DEMO_SEED))
    other = list(history_generate(year_end=YEAR_END, count=200, seed=DEMO_SEED + 1))

    assert again == list(history_generate(year_end=YEAR_END, count=200, seed=DEMO_SEED))
    assert [r["MaHoSo"] for r in again] != [r["MaHoSo"] for r in other]


@pytest.mark.django_db
def test_the_year_is_a_year_of_valid_codes_numbered_per_prefix_and_day(year):
    assert len({r["MaHoSo"] for r in year}) == COUNT
    first, last = YEAR_END - timedelta(days=364), YEAR_END
    numbers: dict[tuple[str, date], list[int]] = {}
    for record in year:
        parsed = codes.parse_code(record["MaHoSo"])
        assert parsed is not None
        assert first <= parsed.day <= last
        numbers.setdefault((parsed.prefix, parsed.day), []).append(parsed.number)
        assert record["MaHoSo"].split("-")[0] in {f"000.00.{n:02d}.H99" for n in (4, 6, *range(21, 29))}
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in numbers.values())


@pytest.mark.django_db
def test_channels_are_about_45_online_50_direct_5_postal(year):
    assert 0.41 <= share(year, lambda r: r["KenhThucHien"] == 2) <= 0.49
    assert 0.46 <= share(year, lambda r: r["KenhThucHien"] == 1) <= 0.54
    assert 0.03 <= share(year, lambda r: r["KenhThucHien"] == 3) <= 0.07
    offline_only = {"2.000815", "2.000884"}  # certified copies and signatures are never filed online
    assert not any(r["MaTTHC"] in offline_only and r["KenhThucHien"] == 2 for r in year)


@pytest.mark.django_db
def test_certification_and_birth_registration_are_the_most_common(year):
    top = [code for code, _count in Counter(r["MaTTHC"] for r in year).most_common(3)]

    assert top[:2] == ["2.000815", "1.001193"]
    assert len({r["MaTTHC"] for r in year}) >= 25


@pytest.mark.django_db
def test_about_nine_in_ten_are_finished_on_time_and_some_early(year):
    decided = [r for r in year if r["TrangThaiHoSo"] in (9, 10)]
    on_time = share(decided, lambda r: instant(r["NgayKetThucXuLy"]) <= instant(r["NgayHenTra"]))
    early = share(
        decided,
        lambda r: instant(r["NgayHenTra"]) - instant(r["NgayKetThucXuLy"]) > timedelta(days=1),
    )

    assert 0.87 <= on_time <= 0.94
    assert early >= 0.1


@pytest.mark.django_db
def test_supplements_refusals_withdrawals_stops_and_open_dossiers_are_a_few(year):
    supplements = Counter(len(r["DanhSachHoSoBoSung"]) for r in year)
    statuses = Counter(r["TrangThaiHoSo"] for r in year)

    assert 0.02 <= supplements[1] / COUNT <= 0.06
    assert 0.002 <= supplements[2] / COUNT <= 0.012
    for status in (3, 7, 8):  # refused, withdrawn, stopped
        assert 0.003 <= statuses[status] / COUNT <= 0.03
    still_open = sum(statuses[s] for s in (1, 4, 5, 6, 9)) / COUNT
    assert 0.007 <= still_open <= 0.04


@pytest.mark.django_db
def test_due_dates_come_from_the_calendar_and_the_procedure_time(year):
    versions = {p.code: p.current_version for p in Procedure.objects.select_related("current_version")}
    plain = [r for r in year if r["NgayHenTra"] and not r["DanhSachHoSoBoSung"]][:300]
    for record in plain:
        version = versions[record["MaTTHC"]]
        due = processing_due(version=version, channel=record["KenhThucHien"], start=instant(record["NgayTiepNhan"]))
        if due.due_at is not None:
            assert instant(record["NgayHenTra"]) == due.due_at
        if version.immediate_result and instant(record["NgayTiepNhan"]).hour < 15:
            assert record["NgayHenTra"][:8] == record["NgayTiepNhan"][:8]  # due the same working day


@pytest.mark.django_db
def test_applicants_have_vietnamese_names_valid_id_numbers_and_phones(year):
    people = [r for r in year if r["LoaiDoiTuong"] == 1]
    for record in people:
        parts = record["ChuHoSo"].split()
        parsed = parse_id_number(record["MaDoiTuong"])
        filed = int(record["MaHoSo"].split("-")[1][:2]) + 2000
        assert len(parts) >= 3
        assert 14 <= filed - parsed.birth_year <= 80
        assert PHONE.match(record["SoDienThoai"])
    for record in year:
        if record["LoaiDoiTuong"] == 2:
            validate_tax_code(record["MaDoiTuong"])
    families = Counter(r["ChuHoSo"].split()[0] for r in people)
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert 0.25 <= families["Nguyễn"] / len(people) <= 0.4


@pytest.mark.django_db
def test_the_generated_year_passes_the_import_checks(year):
    records = history_check(lines=[json.dumps(r, ensure_ascii=False) for r in year])

    assert len(records) == COUNT


@pytest.mark.django_db
def test_seed_history_loads_through_the_import_and_a_rerun_changes_nothing(demo):
    said: list[str] = []

    first = seed_history(said.append, count=150)
    events = DossierEvent.objects.count()
    second = seed_history(said.append, count=150)

    assert (first.created, second.created, second.unchanged) == (150, 0, 150)
    assert Dossier.objects.count() == 150
    assert DossierEvent.objects.count() == events
    assert OutboxMessage.objects.count() == 0
    assert "150 created" in said[0]
    call_command("verify_audit")

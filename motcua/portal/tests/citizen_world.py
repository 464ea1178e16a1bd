"""Test data for the citizen pages: a commune with a counter, a procedure filed online there, two citizens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.factories import CitizenProfileFactory
from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.catalog.models import Procedure
from motcua.core.clock import VIETNAM
from motcua.documents.tests import samples
from motcua.dossiers.factories import (
    ID_NUMBER,
    CounterFactory,
    ProcedureFactory,
    UnitFactory,
    UserFactory,
    offer,
    staff,
)
from motcua.organizations.models import Unit

URLS = "motcua.portal.tests.urls_citizen_test"
# Tuesday 9 September 2025, 09:00 in Hà Nội: an ordinary working morning.
START = datetime(2025, 9, 9, 9, 0, tzinfo=VIETNAM)
PROFILE = {
    "full_name": "Đỗ Thị Mai",
    "id_number": "001190012345",  # Hà Nội, a woman born in 1990
    "date_of_birth": date(1990, 1, 15),
    "gender": "female",
    "address": "Số 12 đường Lê Lợi, phường Hòa Bình",
    "phone": "0912345678",
    "email": "mai.do@example.vn",
}


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    procedure: Procedure
    citizen: User
    other_citizen: User
    officer: User


def citizen_world() -> World:
    unit = UnitFactory(code="000.00.21.H99", name="UBND xã An Bình")
    counter = CounterFactory(unit=unit, name="Bộ phận Một cửa xã An Bình")
    other_unit = UnitFactory(code="000.00.22.H99", name="UBND xã Bình Minh")
    CounterFactory(unit=other_unit)
    procedure = ProcedureFactory(code="2.000815")
    offer(procedure, unit)
    citizen = UserFactory(username="mai", kind=AccountKind.CITIZEN, full_name="Đỗ Thị Mai")
    CitizenProfileFactory(user=citizen, **PROFILE)
    return World(
        unit=unit,
        other_unit=other_unit,
        procedure=procedure,
        citizen=citizen,
        other_citizen=UserFactory(username="lan", kind=AccountKind.CITIZEN),
        officer=staff(unit, Role.COUNTER_OFFICER, counter=counter, username="officer"),
    )


def pdf_upload(name: str = "to-khai.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.pdf_bytes(), "application/pdf")


def fake_pdf(name: str = "gia-mao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"this is not a PDF at all", "application/pdf")


__all__ = ["ID_NUMBER", "PROFILE", "START", "URLS", "World", "citizen_world", "fake_pdf", "pdf_upload"]

"""Fixtures of the counter tests: a ward with its counter, its officers, another ward, a procedure."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.accounts.testing import verified_staff_client
from motcua.catalog.models import Procedure
from motcua.catalog.rules import search_text
from motcua.core.clock import VIETNAM
from motcua.documents.models import Document, DocumentKind
from motcua.documents.selectors import stored_file_read
from motcua.dossiers.factories import CounterFactory, ProcedureFactory, UnitFactory, UserFactory, offer, staff
from motcua.organizations.models import Counter, Province, Unit

# Tuesday 9 September 2025, 09:00 in Vietnam: a working morning under the 2025 rules.
START = datetime(2025, 9, 9, 9, 0, tzinfo=VIETNAM)
ID_NUMBER = "001090012345"  # Hà Nội, a man born in 1990


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@dataclass
class CounterWorld:
    unit: Unit
    counter: Counter
    officer: User
    leader: User
    specialist: User
    citizen: User
    outsider: User  # a counter officer of another ward
    procedure: Procedure


@pytest.fixture
def world(db, clock) -> CounterWorld:
    province, _ = Province.objects.update_or_create(code="H99", defaults={"name": "Tỉnh An Lạc (mô phỏng)"})
    unit = UnitFactory(code="000.00.21.H99", name="Ủy ban nhân dân phường Hòa Bình", province=province)
    counter = CounterFactory(unit=unit, name="Bộ phận Một cửa phường Hòa Bình", phone="0210 3 852 111")
    other = UnitFactory(code="000.00.22.H99", name="Ủy ban nhân dân phường An Lạc", province=province)
    other_counter = CounterFactory(unit=other)
    procedure = ProcedureFactory(
        code="1.001193",
        current__name="Đăng ký khai sinh",
        current__search_text=search_text(name="Đăng ký khai sinh", code="1.001193"),
    )
    offer(procedure, unit)
    offer(procedure, other)
    officer = staff(unit, Role.COUNTER_OFFICER, counter=counter, username="demo-counter")
    User.objects.filter(pk=officer.pk).update(full_name="Nguyễn Thị Hằng")
    officer.refresh_from_db()
    return CounterWorld(
        unit=unit,
        counter=counter,
        officer=officer,
        leader=staff(unit, Role.UNIT_LEADER, username="leader"),
        specialist=staff(unit, Role.SPECIALIST, username="specialist"),
        citizen=UserFactory(username="citizen", kind=AccountKind.CITIZEN),
        outsider=staff(other, Role.COUNTER_OFFICER, counter=other_counter, username="outsider"),
        procedure=procedure,
    )


@pytest.fixture
def officer_client(client, world):
    return verified_staff_client(client, world.officer)


def pdf_text(document: Document) -> str:
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"],
        input=stored_file_read(document.stored_file),
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode().split())


def legal_forms(code: str) -> list[Document]:
    return list(Document.objects.filter(dossier_code=code, kind=DocumentKind.LEGAL_FORM).order_by("pk"))

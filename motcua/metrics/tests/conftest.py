"""Fixtures of the database tests (`test_db_*`): a small province whose dossiers go through the real services.

The province (000.00.00.H99) has two communes, An Bình (21) and Bình Minh (22), each with a
counter, a counter officer, a specialist and a leader; a controller sits at the province. Two
procedures are offered at both communes: a certified copy (field Chứng thực, 5 working days) and
a birth registration (field Hộ tịch, 5 working days). The clock starts on Tuesday 1 July 2025,
09:00 Vietnam time (the 2025 profile).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.catalog.factories import FieldFactory
from motcua.catalog.models import Procedure
from motcua.core.clock import VIETNAM
from motcua.dossiers.factories import CounterFactory, ProcedureFactory, UnitFactory, UserFactory, offer, register, staff
from motcua.dossiers.models import Dossier, Outcome
from motcua.dossiers.services import pauses, processing, review
from motcua.dossiers.services.review import dossier_accept
from motcua.organizations.models import Unit

START = datetime(2025, 7, 1, 9, 0, tzinfo=VIETNAM)


def vn(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VIETNAM)


@dataclass
class Commune:
    unit: Unit
    officer: User
    specialist: User
    leader: User


@dataclass
class Province:
    """The test province and the verbs a test tells its story with (each at the clock's instant)."""

    root: Unit
    a: Commune
    b: Commune
    controller: User
    citizen: User
    copy: Procedure  # chứng thực
    birth: Procedure  # hộ tịch
    clock: time_machine.Coordinates

    def at(self, when: datetime) -> None:
        self.clock.move_to(when)

    def direct(self, commune: Commune | None = None, procedure: Procedure | None = None, **kw: Any) -> Dossier:
        """A dossier received and accepted at the counter now."""
        commune = commune or self.a
        return register(commune.officer, procedure or self.copy, **kw)

    def postal(self, commune: Commune | None = None, procedure: Procedure | None = None) -> Dossier:
        return self.direct(commune, procedure, channel="postal")

    def online(self, commune: Commune | None = None, procedure: Procedure | None = None) -> Dossier:
        """A dossier filed online now (not accepted yet)."""
        commune = commune or self.a
        return register(self.citizen, procedure or self.copy, channel="online", receiving_unit=commune.unit.code)

    def commune_of(self, dossier: Dossier) -> Commune:
        return self.a if dossier.handling_unit_id == self.a.unit.pk else self.b

    def accept(self, dossier: Dossier) -> Dossier:
        return dossier_accept(dossier=dossier, officer=self.commune_of(dossier).officer)

    def refuse(self, dossier: Dossier) -> Dossier:
        return review.dossier_refuse(dossier=dossier, officer=self.commune_of(dossier).officer, reason="Sai thẩm quyền")

    def resolve(self, dossier: Dossier, outcome: str = Outcome.APPROVED) -> Dossier:
        reason = "Không đủ điều kiện" if outcome == Outcome.DENIED else ""
        return processing.dossier_resolve(
            dossier=dossier, officer=self.commune_of(dossier).leader, outcome=outcome, reason=reason
        )

    def return_result(self, dossier: Dossier) -> Dossier:
        return processing.dossier_return_result(dossier=dossier, officer=self.commune_of(dossier).officer)

    def supplement(self, dossier: Dossier) -> Dossier:
        return review.dossier_request_supplement(
            dossier=dossier, officer=self.commune_of(dossier).specialist, missing=["Bản sao giấy khai sinh"]
        )

    def supplied(self, dossier: Dossier) -> Dossier:
        return review.dossier_submit_supplement(dossier=dossier, actor=self.commune_of(dossier).officer)

    def payment(self, dossier: Dossier, amount: int = 100000) -> Dossier:
        return pauses.dossier_request_payment(
            dossier=dossier, officer=self.commune_of(dossier).specialist, amount=Decimal(amount)
        )

    def paid(self, dossier: Dossier, method: str = "online") -> Dossier:
        return pauses.dossier_confirm_payment(dossier=dossier, actor=self.commune_of(dossier).officer, method=method)

    def apologize(self, dossier: Dossier, new_due_at: datetime) -> Dossier:
        return pauses.dossier_apologize(
            dossier=dossier, officer=self.commune_of(dossier).specialist, reason="Cần xác minh", new_due_at=new_due_at
        )

    def withdraw(self, dossier: Dossier) -> Dossier:
        return processing.dossier_withdraw(dossier=dossier, actor=self.commune_of(dossier).officer, reason="Rút")

    def stop(self, dossier: Dossier) -> Dossier:
        return processing.dossier_stop(
            dossier=dossier, officer=self.commune_of(dossier).officer, reason="Quá hạn bổ sung"
        )


@pytest.fixture
def travel() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _commune(code: str, name: str, root: Unit, tag: str) -> Commune:
    unit = UnitFactory(code=code, name=name, parent=root)
    counter = CounterFactory(unit=unit, name=f"Bộ phận Một cửa {name}")
    return Commune(
        unit=unit,
        officer=staff(unit, Role.COUNTER_OFFICER, counter=counter, username=f"officer-{tag}"),
        specialist=staff(unit, Role.SPECIALIST, username=f"specialist-{tag}"),
        leader=staff(unit, Role.UNIT_LEADER, username=f"leader-{tag}"),
    )


def _procedure(code: str, field_code: str, field_name: str) -> Procedure:
    procedure = ProcedureFactory(code=code)
    version = procedure.current_version
    version.field = FieldFactory(code=field_code, name=field_name)
    version.save(update_fields=["field"])
    return procedure


@pytest.fixture
def province(db, travel) -> Province:
    root = UnitFactory(code="000.00.00.H99", name="Ủy ban nhân dân tỉnh An Lạc")
    a = _commune("000.00.21.H99", "UBND xã An Bình", root, "a")
    b = _commune("000.00.22.H99", "UBND xã Bình Minh", root, "b")
    copy = _procedure("2.000815", "G09-CT01", "Chứng thực")
    birth = _procedure("1.001193", "G09-HT01", "Hộ tịch")
    for procedure in (copy, birth):
        for commune in (a, b):
            offer(procedure, commune.unit)
    return Province(
        root=root,
        a=a,
        b=b,
        controller=staff(root, Role.CONTROLLER, username="controller"),
        citizen=UserFactory(username="citizen", kind=AccountKind.CITIZEN),
        copy=copy,
        birth=birth,
        clock=travel,
    )

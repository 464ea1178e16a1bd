"""A commune with its counter, staff and a procedure; dossiers made through the real services."""

from __future__ import annotations

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
from motcua.dossiers.factories import CounterFactory, ProcedureFactory, UnitFactory, UserFactory, offer, staff
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.integrations.models import OutboxMessage
from motcua.organizations.models import Counter, Unit

# Tuesday 9 September 2025, 09:00 in Hà Nội: an ordinary working morning.
START = datetime(2025, 9, 9, 9, 0, tzinfo=VIETNAM)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    unit: Unit
    counter: Counter
    other_unit: Unit
    officer: User  # counter officer
    specialist: User
    leader: User
    citizen: User
    outsider: User  # a specialist of another unit
    procedure: Procedure


@pytest.fixture
def world(db, clock) -> World:
    unit = UnitFactory(code="000.00.21.H99", name="UBND xã An Bình")
    counter = CounterFactory(unit=unit, name="Bộ phận Một cửa xã An Bình")
    other_unit = UnitFactory(code="000.00.22.H99", name="UBND xã Bình Minh")
    procedure = ProcedureFactory(code="2.000815")
    version = procedure.current_version
    version.name = "Đăng ký khai sinh"
    version.search_text = search_text(name=version.name, code=procedure.code)
    version.save(update_fields=["name", "search_text"])
    offer(procedure, unit)
    return World(
        unit=unit,
        counter=counter,
        other_unit=other_unit,
        officer=staff(unit, Role.COUNTER_OFFICER, counter=counter, username="officer"),
        specialist=staff(unit, Role.SPECIALIST, username="specialist"),
        leader=staff(unit, Role.UNIT_LEADER, username="leader"),
        citizen=UserFactory(username="citizen", kind=AccountKind.CITIZEN),
        outsider=staff(other_unit, Role.SPECIALIST, username="outsider"),
        procedure=procedure,
    )


@pytest.fixture
def login(client):
    """`login(user)`: the test client as that staff member, past the second factor."""

    def as_user(user: User):
        client.logout()
        return verified_staff_client(client, user)

    return as_user


def snapshot(dossier: Dossier) -> tuple[object, ...]:
    """Everything a refused action must leave unchanged: the row, its steps, events and outbox messages."""
    row = Dossier.objects.filter(pk=dossier.pk).values().get()
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("pk").values())
    outbox = OutboxMessage.objects.filter(reference=dossier.code).count()
    return row, steps, DossierEvent.objects.filter(dossier=dossier).count(), outbox

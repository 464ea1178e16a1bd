from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.catalog.models import Procedure
from motcua.core.clock import VIETNAM
from motcua.dossiers.factories import CounterFactory, ProcedureFactory, UnitFactory, UserFactory, offer, staff
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations.models import OutboxMessage
from motcua.organizations.models import Counter, Unit

# Tuesday 9 September 2025, 09:00 in Hà Nội: an ordinary working morning under the 2025 profile.
START = datetime(2025, 9, 9, 9, 0, tzinfo=VIETNAM)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    unit: Unit
    counter: Counter
    other_unit: Unit
    officer: User
    specialist: User
    leader: User
    citizen: User
    outsider: User  # a counter officer of another unit
    procedure: Procedure


@pytest.fixture
def world(db, clock) -> World:
    unit = UnitFactory(code="000.00.21.H99", name="UBND xã An Bình")
    counter = CounterFactory(unit=unit, name="Bộ phận Một cửa xã An Bình")
    other_unit = UnitFactory(code="000.00.22.H99", name="UBND xã Bình Minh")
    other_counter = CounterFactory(unit=other_unit)
    procedure = ProcedureFactory(code="2.000815")
    offer(procedure, unit)
    return World(
        unit=unit,
        counter=counter,
        other_unit=other_unit,
        officer=staff(unit, Role.COUNTER_OFFICER, counter=counter, username="officer"),
        specialist=staff(unit, Role.SPECIALIST, username="specialist"),
        leader=staff(unit, Role.UNIT_LEADER, username="leader"),
        citizen=UserFactory(username="citizen", kind=AccountKind.CITIZEN),
        outsider=staff(other_unit, Role.COUNTER_OFFICER, counter=other_counter, username="outsider"),
        procedure=procedure,
    )


class Outbox:
    def kinds(self, **filters: object) -> list[str]:
        return list(OutboxMessage.objects.filter(**filters).order_by("pk").values_list("kind", flat=True))

    def templates(self) -> list[str]:
        return [m.payload.get("template") for m in OutboxMessage.objects.filter(kind="notify_email").order_by("pk")]

    def count(self) -> int:
        return OutboxMessage.objects.count()


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


def snapshot(dossier: Dossier) -> tuple[dict[str, object], int, int]:
    """Everything a refused action must leave unchanged: the row, the events, the outbox."""
    row = Dossier.objects.filter(pk=dossier.pk).values().get()
    return row, DossierEvent.objects.filter(dossier=dossier).count(), OutboxMessage.objects.count()

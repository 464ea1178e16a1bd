"""A commune with two counters, two service areas, two officers, and an officer of another commune."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest
import time_machine

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.core.clock import VIETNAM
from motcua.dossiers.factories import CounterFactory, UnitFactory, staff
from motcua.organizations.models import Counter, Unit
from motcua.queueing.models import ServiceArea

# Tuesday 9 September 2025, 08:00 in Hà Nội.
START = datetime(2025, 9, 9, 8, 0, tzinfo=VIETNAM)


@dataclass
class Hall:
    unit: Unit
    counter: Counter
    counter2: Counter
    civil: ServiceArea  # A
    land: ServiceArea  # B
    officer: User
    officer2: User
    other_unit: Unit
    other_counter: Counter
    other_area: ServiceArea
    outsider: User  # counter officer of the other commune


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hall(db, clock) -> Hall:
    unit = UnitFactory(code="000.00.21.H99", name="UBND phường Hòa Bình")
    counter = CounterFactory(unit=unit, name="Quầy 1")
    counter2 = CounterFactory(unit=unit, name="Quầy 2")
    other_unit = UnitFactory(code="000.00.22.H99", name="UBND phường An Lạc")
    other_counter = CounterFactory(unit=other_unit, name="Quầy An Lạc")
    return Hall(
        unit=unit,
        counter=counter,
        counter2=counter2,
        civil=ServiceArea.objects.create(unit=unit, letter="A", name="Hộ tịch"),
        land=ServiceArea.objects.create(unit=unit, letter="B", name="Đất đai", position=1),
        officer=staff(unit, Role.COUNTER_OFFICER, counter=counter, username="quay1"),
        officer2=staff(unit, Role.COUNTER_OFFICER, counter=counter2, username="quay2"),
        other_unit=other_unit,
        other_counter=other_counter,
        other_area=ServiceArea.objects.create(unit=other_unit, letter="A", name="Hộ tịch An Lạc"),
        outsider=staff(other_unit, Role.COUNTER_OFFICER, counter=other_counter, username="anlac"),
    )

"""Demo queue: service areas and a few weeks of tickets at the demo commune and the provincial centre.

Arrivals are Poisson with a morning peak (office hours 07:30–11:30 and 13:30–17:00, Monday to
Friday, Mondays busier); the counters open per hour are fixed per weekday and served first come
first served, so the advisor has something to say: at the morning peak the observed wait passes
15 minutes where too few counters are open. Seeded: the same history every run; idempotent: a
unit that already has past tickets gets none added.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind, Role
from motcua.core import clock
from motcua.organizations.models import Counter, Membership, Unit
from motcua.queueing.models import CounterSession, PriorityReason, ServiceArea, Ticket, TicketSequence, TicketStatus
from motcua.queueing.rules import format_ticket

COMMUNE = "000.00.21.H99"
CENTRE = "000.00.01.H99"
# Arrivals per hour at the commune on an ordinary day; the centre gets `scale` times as many.
HOURLY = {7: 4, 8: 11, 9: 9, 10: 7, 11: 3, 13: 3, 14: 6, 15: 6, 16: 4}
WINDOWS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))


@dataclass(frozen=True)
class Site:
    unit: str
    areas: tuple[tuple[str, str, str], ...]  # letter, name, procedure fields
    officers: tuple[str, ...]  # who sits at counters 1, 2, … in the history
    scale: float
    mean_service: float  # minutes
    morning_counters: int  # counters open before noon (the rest open after 08:00 only)


SITES = (
    Site(
        COMMUNE,
        (
            ("A", "Hộ tịch, chứng thực", "Khai sinh, kết hôn, khai tử, chứng thực bản sao"),
            ("B", "Đất đai, xây dựng", "Đất đai, xây dựng, môi trường"),
            ("C", "Lĩnh vực khác", "Hộ kinh doanh, bảo trợ xã hội, các lĩnh vực khác"),
        ),
        officers=("demo-counter", "hoabinh-quay2"),
        scale=1.0,
        mean_service=7.0,
        morning_counters=1,
    ),
    Site(
        CENTRE,
        (
            ("A", "Tư pháp, hộ tịch", "Lý lịch tư pháp, quốc tịch, công chứng"),
            ("B", "Đất đai, tài nguyên, môi trường", "Đất đai, môi trường, khoáng sản"),
            ("C", "Xây dựng, giao thông", "Cấp phép xây dựng, giấy phép lái xe"),
            ("D", "Đầu tư, kinh doanh", "Đăng ký doanh nghiệp, đầu tư"),
        ),
        officers=("pvhcc-quay1", "pvhcc-quay2", "pvhcc-quay3", "pvhcc-quay4", "pvhcc-quay5"),
        scale=2.5,
        mean_service=10.0,
        morning_counters=3,
    ),
)
OFFICER_NAMES = ("Nguyễn Văn Hòa", "Trần Thị Thanh", "Lê Minh Đức", "Phạm Thị Hiền", "Võ Văn Tài")
Say = Callable[[str], None]


def seed_demo_queue(*, days: int = 28, seed: int = 766, today: date | None = None, say: Say | None = None) -> int:
    """Areas and counters for the two demo units, and `days` days of past tickets; the tickets made."""
    today = today or clock.local_today()
    made = 0
    for site in SITES:
        unit = Unit.objects.filter(code=site.unit).first()
        if unit is None:
            continue
        made += _seed_site(site, unit, days=days, rng=random.Random(f"{seed}-{site.unit}"), today=today)  # noqa: S311 - demo data
    if say:
        say(f"  {made} queue tickets")
    return made


@transaction.atomic
def _seed_site(site: Site, unit: Unit, *, days: int, rng: random.Random, today: date) -> int:
    areas = [
        ServiceArea.objects.update_or_create(
            unit=unit, letter=letter, defaults={"name": name, "procedure_fields": fields, "position": index}
        )[0]
        for index, (letter, name, fields) in enumerate(site.areas)
    ]
    seats = _counters(site, unit)
    if Ticket.objects.filter(area__unit=unit, day__lt=today).exists():
        return 0
    made = 0
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        if day.weekday() < 5:
            made += _seed_day(site, areas, seats, day, rng)
    return made


def _counters(site: Site, unit: Unit) -> list[tuple[Counter, User]]:
    """The unit's counters (its existing one first) with the officer who sits at each in the history."""
    first = unit.counters.order_by("pk").first() or Counter.objects.create(unit=unit, name=f"Quầy 1 {unit.short_name}")
    seats: list[tuple[Counter, User]] = []
    for number, username in enumerate(site.officers, start=1):
        counter = first if number == 1 else Counter.objects.get_or_create(unit=unit, name=f"Quầy số {number}")[0]
        seats.append((counter, _officer(username, OFFICER_NAMES[number - 1], unit, counter)))
    return seats


def _officer(username: str, full_name: str, unit: Unit, counter: Counter) -> User:
    user, _created = User.objects.get_or_create(
        username=username, defaults={"full_name": full_name, "kind": AccountKind.STAFF}
    )
    Membership.objects.get_or_create(
        user=user, unit=unit, role=Role.COUNTER_OFFICER, active_until=None, defaults={"counter": counter}
    )
    return user


def _local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=clock.VIETNAM)


def _poisson(rng: random.Random, mean: float) -> int:
    limit, product, count = math.exp(-mean), rng.random(), 0
    while product > limit:
        product *= rng.random()
        count += 1
    return count


def _arrivals(site: Site, day: date, rng: random.Random) -> list[datetime]:
    busier = 1.25 if day.weekday() == 0 else 1.0  # Mondays carry the weekend's errands
    times: list[datetime] = []
    for start, end in WINDOWS:
        moment = _local(day, start)
        while moment < _local(day, end):
            hour_end = min(_local(day, end), moment.replace(minute=0) + timedelta(hours=1))
            span = (hour_end - moment).total_seconds()
            mean = HOURLY.get(moment.hour, 0) * site.scale * busier * span / 3600
            times += [moment + timedelta(seconds=rng.uniform(0, span)) for _ in range(_poisson(rng, mean))]
            moment = hour_end
    return sorted(times)


def _seed_day(
    site: Site, areas: list[ServiceArea], seats: list[tuple[Counter, User]], day: date, rng: random.Random
) -> int:
    # The extra counters open at 08:30 on Mondays only, else at 09:00: the early peak shows in the advice.
    late = _local(day, time(8, 30) if day.weekday() == 0 else time(9, 0))
    opens = [_local(day, time(7, 30)) if i < site.morning_counters else late for i in range(len(seats))]
    lunch, afternoon, closes = _local(day, time(11, 45)), _local(day, time(13, 30)), _local(day, time(17, 15))
    free, morning_end = list(opens), list(opens)
    numbers = dict.fromkeys((a.pk for a in areas), 0)
    tickets: list[Ticket] = []
    for arrival in _arrivals(site, day, rng):
        if arrival >= afternoon and morning_end == opens:  # lunch: the morning sessions end
            morning_end = [max(lunch, f) for f in free]
            free = [max(afternoon, f) for f in free]
        area = rng.choices(areas, weights=[5, 3, 2, 2][: len(areas)])[0]
        numbers[area.pk] += 1
        ticket = Ticket(
            area=area,
            day=day,
            number=numbers[area.pk],
            code=format_ticket(area.letter, numbers[area.pk]),
            priority_reason=rng.choice(PriorityReason.values) if rng.random() < 0.07 else "",
            issued_at=arrival,
        )
        _serve(ticket, site, seats, free, closes, rng)
        tickets.append(ticket)
    Ticket.objects.bulk_create(tickets)
    for area in areas:
        TicketSequence.objects.update_or_create(area=area, day=day, defaults={"last_number": numbers[area.pk]})
    CounterSession.objects.bulk_create(
        session
        for i, (c, o) in enumerate(seats)
        for session in (
            CounterSession(counter=c, officer=o, opened_at=opens[i], closed_at=max(lunch, morning_end[i])),
            CounterSession(counter=c, officer=o, opened_at=afternoon, closed_at=max(closes, free[i])),
        )
    )
    return len(tickets)


def _serve(
    ticket: Ticket,
    site: Site,
    seats: list[tuple[Counter, User]],
    free: list[datetime],
    closes: datetime,
    rng: random.Random,
) -> None:
    """First come first served by the counter free soonest; `free` moves on."""
    index = min(range(len(seats)), key=lambda i: max(free[i], ticket.issued_at))
    counter, officer = seats[index]
    called = max(free[index], ticket.issued_at)
    if called >= closes:
        ticket.status = TicketStatus.SKIPPED  # still waiting at closing time: asked to come back
    elif rng.random() < 0.04:  # called, never came
        _fill(ticket, TicketStatus.SKIPPED, counter, officer, called, None, called + timedelta(minutes=2))
        free[index] = called + timedelta(minutes=2)
    else:
        served = called + timedelta(seconds=rng.uniform(20, 90))
        finished = served + timedelta(minutes=min(45.0, max(2.0, rng.expovariate(1 / site.mean_service))))
        _fill(ticket, TicketStatus.DONE, counter, officer, called, served, finished)
        free[index] = finished


def _fill(
    ticket: Ticket,
    status: str,
    counter: Counter,
    officer: User,
    called: datetime,
    served: datetime | None,
    finished: datetime,
) -> None:
    ticket.status, ticket.counter, ticket.officer = status, counter, officer
    ticket.called_at = ticket.announced_at = called
    ticket.served_at, ticket.finished_at = served, finished

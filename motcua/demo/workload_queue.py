"""Queue tickets of the generated workload (issue 6, `workload.py`): the kiosk ticket behind a counter filing.

A dossier filed at a counter whose receiving unit runs a queue (active service areas) was preceded
by a ticket: taken at the kiosk, called after the wait, served while the dossier was received, and
linked to the dossier (`Ticket.dossier`), as the console leaves it. The area is the one whose
procedure fields name the procedure's field, else the unit's last area ("other fields").

Numbers are given by `TicketNumbers` in the generator's own process, in the order the skeletons are
drawn (as the dossier codes), so chunks lived in parallel never collide on the per-area, per-day
number; `finish` raises the kiosk's counters past them. The times come from each chunk's own
stream (`TicketTimes`), apart from the dossiers' stream, so the dossiers are the same with or
without the queueing app.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any, Final, NamedTuple

from django.db import connection

from motcua.core.clock import VIETNAM
from motcua.core.text import fold
from motcua.demo.history import _Offer
from motcua.dossiers.models import Channel

# Waiting time at the kiosk (minutes): most short, a tail past the 15-minute target at peaks.
MEAN_WAIT: Final = 7.0
LONGEST_WAIT: Final = 90.0
PRIORITY_SHARE: Final = 0.05
OPENING: Final = clock_time(7, 0)


class Planned(NamedTuple):
    """A ticket numbered in the generator's process: its area, letter and number of the day."""

    area_id: int
    letter: str
    number: int


@dataclass(frozen=True)
class _Area:
    pk: int
    letter: str
    words: str  # the folded name and procedure fields, matched against a field name


def queueing_ready() -> bool:
    """The queueing app is installed and migrated: tickets can be generated."""
    from django.apps import apps

    if not apps.is_installed("motcua.queueing"):
        return False
    from motcua.queueing.models import Ticket

    return Ticket._meta.db_table in connection.introspection.table_names()


class TicketNumbers:
    """Which filings get a ticket, in which area, with which number (module docstring)."""

    def __init__(self, offers: list[_Offer]) -> None:
        self.ready = queueing_ready()
        self.numbers: dict[tuple[int, date], int] = {}
        self.areas: dict[int, list[_Area]] = {}
        self.counters: dict[int, list[int]] = {}
        if not self.ready:
            return
        from motcua.organizations.models import Counter
        from motcua.queueing.models import ServiceArea, TicketSequence

        for area in ServiceArea.objects.filter(is_active=True).order_by("unit_id", "position", "letter"):
            words = fold(f"{area.name} {area.procedure_fields}")
            self.areas.setdefault(area.unit_id, []).append(_Area(area.pk, area.letter, words))
        for pk, unit_id in (
            Counter.objects.filter(unit_id__in=list(self.areas)).order_by("pk").values_list("pk", "unit_id")
        ):
            self.counters.setdefault(unit_id, []).append(pk)
        self.numbers = {
            (area, day): number
            for area, day, number in TicketSequence.objects.values_list("area_id", "day", "last_number")
        }
        self.chosen: dict[tuple[int, int], _Area | None] = {}
        self.fields = {offer.version.pk: _field_words(offer) for offer in offers}

    def ticket(self, offer: _Offer, channel: int, receiving_id: int, submitted: datetime) -> Planned | None:
        """The ticket of a filing, or None (not at a counter, or no queue at the receiving unit)."""
        if not self.ready or channel != Channel.DIRECT or not self.counters.get(receiving_id):
            return None
        key = (offer.version.pk, receiving_id)
        if key not in self.chosen:
            self.chosen[key] = self._area(self.fields[offer.version.pk], self.areas.get(receiving_id, []))
        area = self.chosen[key]
        if area is None:
            return None
        day = submitted.astimezone(VIETNAM).date()
        number = self.numbers[(area.pk, day)] = self.numbers.get((area.pk, day), 0) + 1
        return Planned(area.pk, area.letter, number)

    @staticmethod
    def _area(field_words: list[str], areas: list[_Area]) -> _Area | None:
        for area in areas:
            if any(word in area.words for word in field_words):
                return area
        return areas[-1] if areas else None

    def finish(self) -> None:
        """Raise each (area, day) counter of the kiosk to the highest generated number."""
        if not self.ready or not self.numbers:
            return
        from motcua.demo.workload_rows import counters_raise
        from motcua.queueing.models import TicketSequence

        counters_raise(TicketSequence._meta.db_table, "area_id", self.numbers)


def _field_words(offer: _Offer) -> list[str]:
    """The folded words of the procedure's field name worth matching ("ho tich", "dat dai"), longest first."""
    field = offer.version.field
    if field is None:
        return []
    name = fold(field.name)
    parts = [p.strip() for p in name.replace(",", " - ").replace(" va ", " - ").split(" - ")]
    return sorted({p for p in parts if len(p) >= 4}, key=len, reverse=True)


class TicketTimes:
    """The times of the tickets of a chunk, from the chunk's own queue stream."""

    def __init__(self) -> None:
        self.rng = random.Random()  # noqa: S311 - replaced per chunk (`for_chunk`)

    def for_chunk(self, seed: int, chunk: int) -> None:
        self.rng = random.Random(f"workload-queue-{seed}-{chunk}")  # noqa: S311 - reproducible test data

    def row(self, planned: Planned, counters: list[int], dossier_id: int, submitted: datetime) -> dict[str, Any]:
        """The ticket as the console leaves it once the filing is received (done, linked to the dossier)."""
        rng = self.rng
        # Nothing before the kiosk opens: a filing at 07:01 was the first ticket of the day.
        opening = min(datetime.combine(submitted.astimezone(VIETNAM).date(), OPENING, tzinfo=VIETNAM), submitted)
        served = max(submitted - timedelta(seconds=rng.randrange(120, 720)), opening)
        called = max(served - timedelta(seconds=rng.randrange(10, 60)), opening)
        wait = min(rng.expovariate(1 / MEAN_WAIT), LONGEST_WAIT)
        issued = max(called - timedelta(minutes=wait), opening)
        priority = rng.choice(("elderly", "disabled", "pregnant", "child")) if rng.random() < PRIORITY_SHARE else ""
        from motcua.queueing.rules import format_ticket

        return {
            "area_id": planned.area_id,
            "day": submitted.astimezone(VIETNAM).date(),
            "number": planned.number,
            "code": format_ticket(planned.letter, planned.number),
            "priority_reason": priority,
            "status": "done",
            "issued_at": issued.replace(microsecond=0),
            "called_at": called,
            "served_at": served,
            "finished_at": submitted + timedelta(seconds=rng.randrange(60, 360)),
            "announced_at": called,
            "counter_id": rng.choice(counters),
            "officer_id": None,
            "dossier_id": dossier_id,
        }


__all__ = ["Planned", "TicketNumbers", "TicketTimes", "queueing_ready"]

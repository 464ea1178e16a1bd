"""Due-date computations per second: the working calendar against naive loops in the same run.

Goal (SPEC §4.2, §5.5): every dossier, step, pause and sweep asks the calendar for a due time or
the working time left, so it must be cheap. Measured over random starts in 2024–2027 and the
processing times of a real catalog (0.5–45 working days, 1–40 working hours, 1–60 days):

- `pure`: `WorkCalendar.compute` on a prebuilt calendar, with and without the explanation;
- `service`: `services.compute_due` as the rest of the code calls it (one override-table check
  per call), with and without the explanation, on a throwaway test database with six overrides;
- `working_hours_between`, pure and through the service (paused clocks, sweeps);
- baselines: a minute-by-minute walk (the obvious correct answer) and a day-by-day loop (what
  one writes next), both on the same day table. Every baseline answer is compared with ours.

Writes bench/results/calendar.json.

    DEBUG=1 .venv/bin/python bench/bench_calendar.py [--samples 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

import holidays  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from motcua.workcalendar import services  # noqa: E402
from motcua.workcalendar.arithmetic import WorkCalendar  # noqa: E402
from motcua.workcalendar.domain import VIETNAM  # noqa: E402
from motcua.workcalendar.public_holidays import package_year  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "calendar.json"
SESSIONS = [(7 * 60, 11 * 60 + 30), (13 * 60 + 30, 17 * 60)]  # minutes after midnight
AMOUNTS = {
    "working_days": [Decimal("0.5"), 1, 2, 3, 5, 7, 10, 12, 15, 20, 30, 45],
    "working_hours": [1, 2, 4, 8, 16, 24, 40],
    "days": [1, 3, 5, 7, 10, 15, 30, 45, 60],
}
OVERRIDES = [
    (date(2024, 12, 30), "day_off", "Nghỉ bão"),
    (date(2025, 3, 8), "working_day", "Làm bù"),
    (date(2025, 10, 17), "day_off", "Bầu cử"),
    (date(2026, 6, 13), "working_day", "Làm bù"),
    (date(2026, 11, 2), "day_off", "Ngày nghỉ của tỉnh"),
    (date(2027, 7, 24), "working_day", "Làm bù"),
]

Case = tuple[datetime, Decimal | int, str]


def make_cases(count: int, rng: random.Random) -> dict[str, list[Case]]:
    """Random minute-aligned starts in 2024–2027 (any hour, any day) with catalog-like amounts."""
    first, minutes = datetime(2024, 1, 1, tzinfo=VIETNAM), (date(2028, 1, 1) - date(2024, 1, 1)).days * 1440
    return {
        unit: [(first + timedelta(minutes=rng.randrange(minutes)), rng.choice(amounts), unit) for _ in range(count)]
        for unit, amounts in AMOUNTS.items()
    }


def ops_per_second(function: Callable[[Case], object], cases: list[Case], repeats: int = 5) -> dict[str, float]:
    """Median throughput over `repeats` passes through all cases."""
    rates = []
    for _ in range(repeats):
        began = time.perf_counter()
        for case in cases:
            function(case)
        rates.append(len(cases) / (time.perf_counter() - began))
    rate = statistics.median(rates)
    return {"ops_per_s": round(rate), "us_per_op": round(1e6 / rate, 2)}


class DayTable:
    """Working or not, per date: the package and the overrides, as the baselines see them."""

    def __init__(self) -> None:
        overrides = {day: kind == "working_day" for day, kind, _ in OVERRIDES}
        self.working: dict[date, bool] = {}
        day = date(2024, 1, 1)
        while day < date(2029, 1, 1):
            status = package_year(day.year).get(day)
            self.working[day] = overrides.get(day, status.working if status else day.weekday() < 5)
            day += timedelta(1)


def minute_walk(table: DayTable, case: Case) -> datetime:
    """The obvious answer for working time: step one minute at a time, counting minutes in office time."""
    start, amount, unit = case
    left = int(Decimal(amount) * (480 if unit == "working_days" else 60))
    moment = start
    while True:
        clock = moment.hour * 60 + moment.minute
        if table.working[moment.date()] and any(a <= clock < b for a, b in SESSIONS):
            left -= 1
            if left == 0:
                return moment + timedelta(minutes=1)
        moment += timedelta(minutes=1)


def day_loop(table: DayTable, case: Case) -> datetime:
    """The usual hand-written loop: walk day by day, taking each day's sessions in turn."""
    start, amount, unit = case
    if unit == "days":
        day = start.date() + timedelta(int(amount))
        while not table.working[day]:
            day += timedelta(1)
        return datetime(day.year, day.month, day.day, 17, tzinfo=VIETNAM)
    left = int(Decimal(amount) * (480 if unit == "working_days" else 60))
    day, clock = start.date(), start.hour * 60 + start.minute
    while True:
        if table.working[day]:
            for opens, closes in SESSIONS:
                begin = max(opens, clock)
                if begin < closes:
                    if left <= closes - begin:
                        return datetime(day.year, day.month, day.day, tzinfo=VIETNAM) + timedelta(minutes=begin + left)
                    left -= closes - begin
        day, clock = day + timedelta(1), 0


def check_agreement(calendar: WorkCalendar, table: DayTable, cases: list[Case], baseline: Callable) -> int:
    """How many baseline answers differ from the calendar's (expected: none)."""
    return sum(calendar.compute(start=s, amount=a, unit=u).due_at != baseline(table, (s, a, u)) for s, a, u in cases)


def with_overrides() -> WorkCalendar:
    for day, kind, reason in OVERRIDES:
        services.calendar_override_set(day=day, kind=kind, reason=reason, decision_number="bench")
    return services.get_calendar()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000, help="random cases per unit")
    parser.add_argument("--minute-samples", type=int, default=60, help="cases per unit for the minute walk")
    args = parser.parse_args()

    databases = setup_databases(verbosity=0, interactive=False)
    try:
        result = run(args.samples, args.minute_samples)
    finally:
        teardown_databases(databases, verbosity=0)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result["summary"], indent=2))
    return 0 if result["summary"]["disagreements"] == 0 else 1


def run(samples: int, minute_samples: int) -> dict:
    rng = random.Random(20260302)
    cases = make_cases(samples, rng)
    calendar = with_overrides()
    table = DayTable()
    for unit_cases in cases.values():  # load the years once, outside the timings
        calendar.compute(start=unit_cases[0][0], amount=unit_cases[0][1], unit=unit_cases[0][2])

    def pure(case: Case) -> object:
        return calendar.compute(start=case[0], amount=case[1], unit=case[2])

    def pure_explained(case: Case) -> object:
        return calendar.compute(start=case[0], amount=case[1], unit=case[2]).explanation

    def service(case: Case) -> object:
        return services.compute_due(start=case[0], amount=case[1], unit=case[2]).due_at

    def service_explained(case: Case) -> object:
        return services.compute_due(start=case[0], amount=case[1], unit=case[2]).explanation

    per_unit: dict[str, dict] = {}
    disagreements = 0
    for unit, unit_cases in cases.items():
        few = unit_cases[:minute_samples]
        per_unit[unit] = {
            "pure": ops_per_second(pure, unit_cases),
            "pure_with_explanation": ops_per_second(pure_explained, unit_cases),
            "service_compute_due": ops_per_second(service, unit_cases, repeats=3),
            "service_compute_due_with_explanation": ops_per_second(service_explained, unit_cases, repeats=3),
            "baseline_day_loop": ops_per_second(lambda c: day_loop(table, c), unit_cases),
        }
        disagreements += check_agreement(calendar, table, unit_cases, day_loop)
        if unit != "days":  # minutes mean nothing for calendar days
            per_unit[unit]["baseline_minute_walk"] = ops_per_second(lambda c: minute_walk(table, c), few, repeats=1)
            disagreements += check_agreement(calendar, table, few, minute_walk)
    return {
        "benchmark": "calendar",
        "goal": "due-date computations per second (SPEC §4.2): working calendar vs naive loops, same run",
        "machine": machine(),
        "cases": {"per_unit": samples, "minute_walk_per_unit": minute_samples, "starts": "2024-01-01..2027-12-31"},
        "amounts": {unit: [str(a) for a in amounts] for unit, amounts in AMOUNTS.items()},
        "overrides": len(OVERRIDES),
        "results": per_unit,
        "working_hours_between": between(calendar, rng, samples),
        "summary": summary(per_unit, disagreements),
    }


def between(calendar: WorkCalendar, rng: random.Random, samples: int) -> dict:
    """Working time between two instants up to 60 days apart (sweeps, paused clocks)."""
    pairs = [(s, s + timedelta(minutes=rng.randrange(60 * 1440))) for s, _, _ in make_cases(samples, rng)["days"]]
    return {
        "pure": ops_per_second(lambda pair: calendar.working_hours_between(*pair), pairs),
        "service": ops_per_second(lambda pair: services.working_hours_between(start=pair[0], end=pair[1]), pairs, 3),
    }


def summary(per_unit: dict[str, dict], disagreements: int) -> dict:
    working = ("working_days", "working_hours")
    return {
        "pure_ops_per_s": {unit: r["pure"]["ops_per_s"] for unit, r in per_unit.items()},
        "service_ops_per_s": {unit: r["service_compute_due"]["ops_per_s"] for unit, r in per_unit.items()},
        "speedup_pure_vs_minute_walk": {
            unit: round(per_unit[unit]["pure"]["ops_per_s"] / per_unit[unit]["baseline_minute_walk"]["ops_per_s"])
            for unit in working
        },
        "speedup_pure_vs_day_loop": {
            unit: round(r["pure"]["ops_per_s"] / r["baseline_day_loop"]["ops_per_s"], 1) for unit, r in per_unit.items()
        },
        "disagreements": disagreements,
    }


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_1min_at_end": round(os.getloadavg()[0], 2),
        "holidays": holidays.__version__,
        "database": connection.vendor,
    }


if __name__ == "__main__":
    sys.exit(main())

"""A year of realistic dossier history for the demo province, loaded through the real history import.

`history_generate` writes national-portal `DongBoHoSoMC` records (SPEC §7.2) for the demo
catalog: procedures weighted as a commune sees them (certified copies and birth registration
first), channels about 45 % online, 50 % direct and 5 % by post, due dates from the working
calendar and each version's processing time, about 90 % finished on time, some supplements, a
few refusals, withdrawals and stops, and whatever was still open at the end of the year.
`seed_history` writes them to a JSON-lines file and loads it with `history_import`, as a province
migrating its own history would. Same seed and year → same records → nothing new on a re-run.
"""

from __future__ import annotations

import json
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from django.conf import settings

from motcua.catalog.models import Offering, OnlineLevel, Procedure, ProcedureVersion
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.text import fold
from motcua.demo import people
from motcua.dossiers import codes
from motcua.dossiers.models import Channel, DossierEvent
from motcua.dossiers.services.codes import configured_profiles
from motcua.dossiers.services.due import processing_due, processing_time, working_hours_due
from motcua.dossiers.services.history import HistorySummary, history_import_file
from motcua.dossiers.sync import portal_time
from motcua.organizations.models import Unit, UnitKind
from motcua.workcalendar.services import compute_due, is_working_day, working_hours_between

Say = Callable[[str], None]

DEMO_SEED: Final = 766
DEMO_COUNT: Final = 3000
SOURCE_PREFIX: Final = "demo-history"

# Relative yearly volume per procedure at the demo's communes. Certified copies (chứng thực) and
# birth registration dominate a commune's one-stop desk; land and building permits are rarer.
WEIGHTS: Final = {
    "2.000815": 30.0,  # certified copy from the original
    "1.001193": 14.0,  # birth registration
    "2.000884": 8.0,  # certified signature
    "1.004873": 6.0,  # marital status certificate
    "2.000635": 5.0,  # copies of civil-status extracts, birth certificate copies
    "1.000656": 4.0,  # death registration
    "1.000894": 4.0,  # marriage registration
    "1.004194": 3.0,  # temporary residence
    "1.004222": 2.5,  # permanent residence
    "2.001035": 2.5,  # certified contracts on movable property and land use rights
    "1.001612": 2.0,  # household business registration
    "1.013978": 1.5,  # first land registration
    "1.013831": 1.5,  # land changes
    "2.001159": 1.5,  # stay notification
    "1.010041": 1.5,  # residence confirmation
    "2.000720": 1.5,  # household business changes
    "1.013225": 1.0,  # building permit
    "1.004859": 1.0,  # civil-status corrections
    "1.014061": 1.0,  # ID card
    "2.000908": 1.0,  # copies from the original register
}
DEFAULT_WEIGHT: Final = 0.4
CHANNEL_SHARES: Final = {Channel.ONLINE: 0.45, Channel.DIRECT: 0.50, Channel.POSTAL: 0.05}
# Procedures without a usable processing time in the catalog are due after this many working days.
FALLBACK_WORKING_DAYS: Final = 2
ORGANIZATION_PROCEDURES: Final = frozenset({"1.013225", "1.013831", "1.013978"})


@dataclass(frozen=True)
class _Offer:
    """One procedure as the generator uses it: its version, channels, units and weight."""

    version: ProcedureVersion
    weight: float
    channels: tuple[Channel, ...]
    handling: tuple[Unit, ...]
    handling_weights: tuple[float, ...]
    receiving_for: dict[int, Unit]
    components: tuple[tuple[str, str, bool], ...]  # code, name, required
    fees: tuple[tuple[str, Decimal, str, int | None], ...]  # name, amount, kind, channel
    result: tuple[str, str] | None  # code, name


@dataclass(frozen=True)
class _Supplement:
    requested: datetime
    supplied: datetime | None
    due_before: datetime | None
    due_after: datetime | None


@dataclass
class _Story:
    """One dossier's life as it happened, before it is cut at the end of the year."""

    offer: _Offer
    channel: Channel
    handling: Unit
    receiving: Unit
    submitted: datetime
    accepted: datetime | None = None
    supplements: list[_Supplement] = field(default_factory=list)
    due: datetime | None = None
    end: str = "returned"  # returned | refused | withdrawn | stopped
    finished: datetime | None = None
    returned: datetime | None = None
    code: str = ""


def history_generate(*, year_end: date, count: int, seed: int) -> Iterator[dict[str, Any]]:
    """`count` DongBoHoSoMC records for the year ending on `year_end` (local), oldest first.

    Reads the demo catalog and units (run `seed_demo` first). Deterministic for a given database,
    `year_end`, `count` and `seed`. Every instant is at or before the end of `year_end`.
    """
    horizon = datetime.combine(year_end, time(23, 59, 59), tzinfo=VIETNAM)
    if horizon > clock.now():
        raise ValueError("the history must end in the past: year_end is before today")
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    offers = _offers()
    if not offers:
        raise ValueError("no demo procedures: run seed_demo first")
    channel_given = _channel_table(offers)
    first_day = year_end - timedelta(days=364)
    days = [first_day + timedelta(days=n) for n in range(365)]
    working_days = [day for day in days if is_working_day(day)]
    stories = [_story(rng, offers, channel_given, days, working_days) for _ in range(count)]
    stories.sort(key=lambda s: (s.submitted, s.offer.version.procedure.code))
    _codes_assign(stories)
    for story in stories:
        _live(rng, story)
        yield _record(rng, story, horizon)


def seed_history(say: Say, count: int = DEMO_COUNT, seed: int = DEMO_SEED) -> HistorySummary:
    """Load the demo year through the history import; a re-run regenerates the same year (unchanged)."""
    year_end = _year_end_loaded(seed, count) or clock.local_today() - timedelta(days=1)
    source = f"{SOURCE_PREFIX} seed={seed} count={count} year_end={year_end.isoformat()}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for record in history_generate(year_end=year_end, count=count, seed=seed):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        summary = history_import_file(path=path, source=source)
    say(
        f"  history ({year_end - timedelta(days=364)} … {year_end}): {summary.created} created, "
        f"{summary.unchanged} unchanged, {len(summary.conflicts)} conflicts"
    )
    return summary


def _year_end_loaded(seed: int, count: int) -> date | None:
    """The year an earlier run loaded with this seed, so a later run regenerates the same one."""
    prefix = f"{SOURCE_PREFIX} seed={seed} count={count} year_end="
    events = DossierEvent.objects.filter(sequence=1, data__imported__source__startswith=prefix)
    source = events.values_list("data__imported__source", flat=True).first()
    return date.fromisoformat(str(source)[len(prefix) :]) if source else None


# The catalog as the generator sees it ---------------------------------------------------------


def _offers() -> list[_Offer]:
    center = Unit.objects.filter(kind=UnitKind.SERVICE_CENTER, active_until__isnull=True).order_by("code").first()
    found = []
    procedures = Procedure.objects.filter(current_version__isnull=False).select_related("current_version")
    for procedure in procedures.order_by("code"):
        version = procedure.current_version
        if version is None:
            continue
        offerings = list(Offering.objects.filter(procedure=procedure).select_related("unit").order_by("unit__code"))
        handling = [o.unit for o in offerings if o.handles and o.unit.active_until is None]
        if not handling:
            continue
        receives = {o.unit.pk for o in offerings if o.receives}
        found.append(
            _Offer(
                version=version,
                weight=WEIGHTS.get(procedure.code, DEFAULT_WEIGHT),
                channels=_channels(version),
                handling=tuple(handling),
                handling_weights=tuple(_unit_weight(u) for u in handling),
                receiving_for={u.pk: (u if u.pk in receives or center is None else center) for u in handling},
                components=tuple((c.code, c.name, c.required) for c in version.components.order_by("order", "code")),
                fees=tuple(
                    (f.name or "Lệ phí", f.amount, f.kind, f.channel)
                    for f in version.fees.filter(currency="VND").order_by("order", "pk")
                ),
                result=_result_type(version),
            )
        )
    return found


def _channels(version: ProcedureVersion) -> tuple[Channel, ...]:
    allowed = [Channel.DIRECT]
    if version.online_level != OnlineLevel.NONE:
        allowed.append(Channel.ONLINE)
    if version.postal_allowed:
        allowed.append(Channel.POSTAL)
    return tuple(allowed)


def _unit_weight(unit: Unit) -> float:
    """Urban wards file more than rural communes; departments receive the few provincial dossiers."""
    if unit.kind != UnitKind.COMMUNE:
        return 0.3
    return 1.5 if fold(unit.name).find("phuong") >= 0 else 1.0


def _result_type(version: ProcedureVersion) -> tuple[str, str] | None:
    for result in version.result_types.order_by("order", "pk"):
        if "tu choi" not in fold(result.name):  # a refusal notice is not what an approval issues
            return result.code, result.name
    return None


def _channel_table(offers: list[_Offer]) -> list[dict[Channel, float]]:
    """P(channel | procedure) meeting both the procedure weights and the overall channel shares.

    Iterative proportional fitting over the procedure × channel table, with the channels a
    procedure does not allow held at zero (certified copies cannot be filed online, so the
    procedures that can take more than 45 % online to keep the total at 45 %).
    """
    table = [{c: (o.weight if c in o.channels else 0.0) for c in CHANNEL_SHARES} for o in offers]
    total = sum(o.weight for o in offers)
    for _ in range(200):
        for channel, share in CHANNEL_SHARES.items():
            column = sum(row[channel] for row in table)
            if column:
                for row in table:
                    row[channel] *= share * total / column
        for row, offer in zip(table, offers, strict=True):
            line = sum(row.values())
            for channel in row:
                row[channel] *= offer.weight / line
    return [{c: v / o.weight for c, v in row.items()} for row, o in zip(table, offers, strict=True)]


# One dossier's life --------------------------------------------------------------------------


def _story(
    rng: random.Random,
    offers: list[_Offer],
    channel_given: list[dict[Channel, float]],
    days: list[date],
    working_days: list[date],
) -> _Story:
    index = rng.choices(range(len(offers)), weights=[o.weight for o in offers])[0]
    offer, shares = offers[index], channel_given[index]
    channel = rng.choices(list(shares), weights=list(shares.values()))[0]
    handling = rng.choices(offer.handling, weights=offer.handling_weights)[0]
    if channel == Channel.ONLINE:
        # Online filings come at any hour, fewer at weekends; counters work office hours.
        day = rng.choices(days, weights=[0.45 if d.weekday() >= 5 else 1.0 for d in days])[0]
        moment = time(rng.choices(range(24), weights=_ONLINE_HOURS)[0], rng.randrange(60), rng.randrange(60))
    else:
        day = rng.choice(working_days)
        seconds = rng.randrange(4 * 3600 + 1800) if rng.random() < 0.62 else 6 * 3600 + 1800 + rng.randrange(12600)
        moment = (datetime.combine(day, time(7, 0)) + timedelta(seconds=seconds)).time()
    submitted = datetime.combine(day, moment, tzinfo=VIETNAM)
    return _Story(offer, channel, handling, offer.receiving_for[handling.pk], submitted)


# Online filings by hour of day: a working-hours plateau and an evening peak.
_ONLINE_HOURS: Final = (1, 0.5, 0.3, 0.3, 0.3, 1, 2, 4, 6, 7, 7, 6, 4, 5, 6, 6, 5, 4, 4, 5, 6, 6, 4, 2)


def _codes_assign(stories: list[_Story]) -> None:
    """Codes by the rules in force on each day: prefix unit, local date, per-day number from 0001."""
    profiles = configured_profiles()
    numbers: dict[tuple[str, date], int] = {}
    for story in stories:
        day = codes.local_day(story.submitted)
        units = codes.PrefixInputs(
            receiving=story.receiving.code,
            handling=story.handling.code,
            inter_agency=story.offer.version.inter_agency,
            online=story.channel == Channel.ONLINE,
            portal=getattr(settings, "MOTCUA_DVCQG_UNIT_CODE", None),
        )
        prefix = codes.prefix_for(codes.profile_for(day, profiles), units)
        numbers[(prefix, day)] = numbers.get((prefix, day), 0) + 1
        story.code = codes.format_code(prefix, day, numbers[(prefix, day)])


def _live(rng: random.Random, story: _Story) -> None:
    """Reception, supplements, decision and return, on the working calendar."""
    version, channel = story.offer.version, story.channel
    if channel != Channel.DIRECT and rng.random() < 0.03:
        # Refused at reception (incomplete, wrong unit): within the 8 working hours it has.
        story.end, story.finished = "refused", _hours_after(story.submitted, rng.uniform(0.5, 7.5))
        return
    delay = {Channel.DIRECT: 0.0, Channel.ONLINE: rng.uniform(0.2, 6.0), Channel.POSTAL: rng.uniform(2.0, 14.0)}
    story.accepted = _hours_after(story.submitted, delay[channel]) if delay[channel] else story.submitted
    due = _due(version, channel, story.accepted)
    clock_start, roll = story.accepted, rng.random()
    if not version.immediate_result:
        for _ in range(2 if roll < 0.012 else 1 if roll < 0.075 else 0):
            clock_start, due = _supplement(rng, story, clock_start, due)
    story.due = due
    if roll > 0.993:
        story.end = "stopped"  # the supplement never came: closed 15 days after the notice
        asked = _hours_after(clock_start, rng.uniform(1, 12))
        story.supplements.append(_Supplement(asked, None, due, None))
        story.finished = _hours_after(asked + timedelta(days=15), rng.uniform(0, 8))
        return
    hours = float(max(working_hours_between(start=clock_start, end=due), Decimal("0.5")))
    if roll > 0.983:
        story.end, story.finished = "withdrawn", _hours_after(clock_start, hours * rng.uniform(0.1, 0.6))
        return
    story.finished = _finish(rng, story, clock_start, due, hours)
    story.returned = _returned(rng, story, story.finished)


def _supplement(rng: random.Random, story: _Story, clock_start: datetime, due: datetime) -> tuple[datetime, datetime]:
    """Ask within the first working days, get it back some days later: the full time restarts then."""
    hours = float(working_hours_between(start=clock_start, end=due))
    asked = _hours_after(clock_start, rng.uniform(0.5, max(1.0, min(24.0, hours * 0.5))))
    back = _hours_after(asked + timedelta(days=rng.randint(1, 8)), rng.uniform(0.05, 4.0))
    due_after = _due(story.offer.version, story.channel, back)
    story.supplements.append(_Supplement(asked, back, due, due_after))
    return back, due_after


def _finish(rng: random.Random, story: _Story, clock_start: datetime, due: datetime, hours: float) -> datetime:
    """About 91 % on time (a quarter of those well ahead); the late ones mostly by a little, a third by weeks."""
    roll = rng.random()
    if roll < 0.09:  # land and permits waiting on other agencies make the long tail
        extra = rng.uniform(0.5, max(2.0, hours * 0.35)) if roll < 0.06 else rng.uniform(16.0, 200.0)
        return _hours_after(due, extra)
    if story.offer.version.immediate_result:
        return _hours_after(clock_start, min(hours, rng.uniform(0.1, 1.5)))
    share = rng.uniform(0.15, 0.5) if roll < 0.32 else rng.uniform(0.5, 0.98)
    return min(_hours_after(clock_start, hours * share), due)


def _returned(rng: random.Random, story: _Story, finished: datetime) -> datetime:
    if story.channel == Channel.ONLINE and rng.random() < 0.55:
        return finished + timedelta(seconds=rng.randrange(60, 900))  # sent electronically
    if story.offer.version.immediate_result and rng.random() < 0.8:
        return finished + timedelta(seconds=rng.randrange(30, 600))  # handed over at the desk
    # The applicant comes back for it: half within two working days, some after weeks.
    roll = rng.random()
    hours = rng.uniform(0.5, 16.0) if roll < 0.5 else rng.uniform(16.0, 80.0) if roll < 0.8 else rng.uniform(80, 320)
    return _hours_after(finished, hours)


def _due(version: ProcedureVersion, channel: Channel, start: datetime) -> datetime:
    due = processing_due(version=version, channel=channel, start=start).due_at
    if due is None:  # the catalog has no usable time: a short default, as the unit would promise
        amount, unit = processing_time(version, channel)
        due = compute_due(start=start, amount=amount or FALLBACK_WORKING_DAYS, unit=unit or "working_days").due_at
    return due.replace(microsecond=0)


def _hours_after(start: datetime, hours: float) -> datetime:
    """`hours` working hours after `start`, to the second (the national format has no fractions)."""
    return working_hours_due(start=start, hours=Decimal(str(round(hours, 4)))).replace(microsecond=0)


# The record ------------------------------------------------------------------------------------


def _record(rng: random.Random, story: _Story, horizon: datetime) -> dict[str, Any]:
    """The DongBoHoSoMC record of the dossier as it stood at `horizon`: later steps had not happened."""
    status, supplements = _status_at(story, horizon)
    version, applicant = (
        story.offer.version,
        people.applicant(rng, story.offer.version.procedure.code, story.submitted.year),
    )
    if story.offer.version.procedure.code in ORGANIZATION_PROCEDURES and rng.random() < 0.12:
        applicant = people.organization(rng)
    accepted = story.accepted if story.accepted and story.accepted <= horizon else None
    finished = story.finished if story.finished and story.finished <= horizon else None
    returned = story.returned if story.returned and story.returned <= horizon else None
    decided = status in (9, 10)
    return {
        "MaHoSo": story.code,
        "MaTTHC": version.procedure.code,
        "TenTTHC": version.name,
        "MaLinhVuc": version.field.code if version.field else "",
        "TenLinhVuc": version.field.name if version.field else "",
        "KenhThucHien": int(story.channel),
        "ChuHoSo": applicant["name"],
        "LoaiDoiTuong": applicant["kind"],
        "MaDoiTuong": applicant["identity"],
        "Email": applicant["email"],
        "SoDienThoai": applicant["phone"],
        "TrichYeuHoSo": f"{version.name} — {applicant['name']}",
        "NgayTiepNhan": portal_time(accepted or story.submitted),
        "NgayHenTra": portal_time(_due_at(story, horizon)) if accepted else "",
        "TrangThaiHoSo": status,
        "NgayTra": portal_time(returned) if status == 10 else "",
        "NgayKetThucXuLy": portal_time(finished) if status in (3, 7, 8, 9, 10) else "",
        "DonViXuLy": story.handling.name,
        "TaiLieuNop": _documents(rng, story),
        "DanhSachLePhi": _fees(story),
        "DanhSachHoSoBoSung": supplements,
        "DanhSachGiayToKetQua": _results(story) if decided else [],
        "DuocThanhToanTrucTuyen": _paid_online(rng, story),
    }


def _status_at(story: _Story, horizon: datetime) -> tuple[int, list[dict[str, str]]]:
    """TrangThaiHoSo at `horizon`, and the supplement requests made by then."""
    rows = []
    for entry in story.supplements:
        if entry.requested > horizon:
            break
        back = entry.supplied is not None and entry.supplied <= horizon
        rows.append(
            {
                "NoiDungBoSung": "Bổ sung giấy tờ còn thiếu theo hướng dẫn",
                "NgayYeuCau": portal_time(entry.requested),
                "NgayTiepNhanBoSung": portal_time(entry.supplied) if back else "",
                "NgayHenTraTruoc": portal_time(entry.due_before),
                "NgayHenTraMoi": portal_time(entry.due_after) if back else "",
            }
        )
    if story.finished and story.finished <= horizon:
        ended = {"refused": 3, "withdrawn": 7, "stopped": 8}.get(story.end)
        if ended:
            return ended, rows
        return (10 if story.returned and story.returned <= horizon else 9), rows
    if story.accepted is None or story.accepted > horizon:
        return 1, rows
    waiting = rows and not rows[-1]["NgayTiepNhanBoSung"]
    return (5 if waiting else 4), rows


def _due_at(story: _Story, horizon: datetime) -> datetime | None:
    """The due time in force at `horizon`: a supplement not yet back has not moved it."""
    due = story.due
    for entry in reversed(story.supplements):
        if entry.supplied is not None and entry.supplied > horizon:
            due = entry.due_before
    return due


def _documents(rng: random.Random, story: _Story) -> list[dict[str, Any]]:
    online = story.channel == Channel.ONLINE
    chosen = [c for c in story.offer.components if c[2] or rng.random() < 0.2] or list(story.offer.components[:1])
    return [
        {
            "TenTepDinhKem": name,
            "MaThanhPhanHoSo": code,
            "DuongDanTaiTepTin": "",
            "DuocSoHoa": 1 if online or rng.random() < 0.7 else 0,
            "DuocLayTuKhoDMQG": 1 if rng.random() < 0.08 else 0,
        }
        for code, name, _required in chosen
    ]


def _fees(story: _Story) -> list[dict[str, Any]]:
    lines = [f for f in story.offer.fees if f[3] in (None, int(story.channel))]
    return [
        {
            "TenPhiLePhi": name,
            "MaPhiLePhi": "",
            "HinhThucThu": "Trực tuyến" if story.channel == Channel.ONLINE else "Tiền mặt",
            "Gia": str(amount),
            "LoaiPhiLePhi": 1 if kind == "phi" else 2,
        }
        for name, amount, kind, _channel in lines
    ]


def _paid_online(rng: random.Random, story: _Story) -> int | None:
    """Online dossiers with a fee are mostly paid online: through the national platform or the province's."""
    due = any(f[1] > 0 and f[3] in (None, int(story.channel)) for f in story.offer.fees)
    if story.channel != Channel.ONLINE or not due or rng.random() > 0.75:
        return None
    return 1 if rng.random() < 0.6 else 2


def _results(story: _Story) -> list[dict[str, str]]:
    if story.offer.result is None:
        return []
    code, name = story.offer.result
    return [{"TenGiayTo": name, "MaThanhPhanHoSo": code, "GiayToId": f"{story.code}-KQ01", "DuongDanTepTinKetQua": ""}]

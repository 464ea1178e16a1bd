"""Reading dossier history: JSON lines of national-portal `DongBoHoSoMC` records (SPEC §7.2) parsed,
resolved against the catalog and units, and walked through the lifecycle table. Writes nothing.

Every line is checked and its problems collected, so one run of `history_check` lists what is
wrong across the file (line numbers count from 1, as editors show them); within a line, a broken
basic field (code, procedure, status, dates) stops the checks that depend on it. `history.py`
writes what passes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from motcua.accounts.identity import IdentityError, normalize_digits, validate_id_number, validate_tax_code
from motcua.catalog.models import Component, Procedure, ProcedureVersion
from motcua.core import clock
from motcua.core.clock import VIETNAM
from motcua.core.errors import InvalidInput
from motcua.dossiers import audit, codes, lifecycle
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import ApplicantKind, Channel, Outcome
from motcua.dossiers.sync import ONLINE_PAYMENT
from motcua.organizations.codes import UnitCodeError, validate_unit_code
from motcua.organizations.models import Counter, Unit

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(stage, done, total); stage is "check" or "write"."""

PORTAL_TIME: Final = "%Y%m%d%H%M%S"
MAX_PROBLEMS: Final = 20  # shown in the message; all are kept on the exception
# Records a little ahead of our clock are a clock skew, not a record from the future.
FUTURE_TOLERANCE: Final = timedelta(minutes=5)
# TrangThaiHoSo → our status. "Accepted" (2) is transient here: an accepted dossier is processing.
STATUS_BY_CODE: Final = {
    code: (Status.PROCESSING if status == Status.ACCEPTED else status)
    for status, code in lifecycle.NATIONAL_STATUS.items()
    if code is not None
}
ACCEPTED_CODES: Final = frozenset({2, 4, 6, 8, 9, 10})  # reached only after acceptance
MAYBE_ACCEPTED_CODES: Final = frozenset({5, 7})  # accepted when the record has a due time
FINISH_REQUIRED: Final = frozenset({Status.REFUSED, Status.WITHDRAWN, Status.STOPPED, Status.RESOLVED, Status.RETURNED})
# DuocThanhToanTrucTuyen: 1 paid through the national portal's platform, 2 through the province's.
ONLINE_PAYMENT_METHODS: Final = {code: method for method, code in ONLINE_PAYMENT.items()}


@dataclass(frozen=True)
class Problem:
    """Why one field of one line was refused (lines count from 1, as editors show them)."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d, %(field)s: %(problem)s") % {
            "line": self.line,
            "field": self.field,
            "problem": self.message,
        }


class HistoryImportError(InvalidInput):
    """A history file with problems; nothing of it was written."""

    code = "invalid_history"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = [str(p) for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(_("%(count)d more problems not shown.") % {"count": len(problems) - MAX_PROBLEMS})
        super().__init__("\n".join(shown), field=problems[0].field if problems else None)


@dataclass(frozen=True)
class SupplementEntry:
    position: int  # index in the record's DanhSachHoSoBoSung, for problems
    requested_at: datetime
    supplied_at: datetime | None
    due_before: datetime | None
    due_after: datetime | None
    missing: str
    before_acceptance: bool


@dataclass(frozen=True)
class ComponentEntry:
    component: Component
    files: tuple[str, ...]
    digitized: bool
    reused: bool


@dataclass(frozen=True)
class FeeEntry:
    code: str
    name: str
    amount: Decimal
    kind: str
    method: str
    paid_at: datetime | None


@dataclass(frozen=True)
class PlannedEvent:
    action: Action
    from_status: Status
    to_status: Status
    at: datetime
    data: dict[str, Any]


@dataclass
class HistoryRecord:
    """One line, parsed, resolved and walked through the lifecycle: everything the write needs."""

    line: int
    code: str
    digest: str
    version: ProcedureVersion
    channel: Channel
    national_status: int
    status: Status
    applicant: dict[str, Any]
    receiving: Unit
    counter: Counter | None
    handling: Unit
    submitted_at: datetime
    accepted_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    outcome: str | None
    supplements: list[SupplementEntry]
    components: list[ComponentEntry]
    fees: list[FeeEntry]
    events: list[PlannedEvent] = field(default_factory=list)

    @property
    def prefix_day(self) -> tuple[str, date, int]:
        """The code's prefix, day and number (the code was checked when the line was read)."""
        parsed = codes.parse_code(self.code)
        if parsed is None:
            raise ValueError(self.code)
        return parsed.prefix, parsed.day, parsed.number


def history_check(*, lines: list[str], progress: ProgressCallback | None = None) -> list[HistoryRecord]:
    """Parse and resolve every line; raise HistoryImportError naming each problem. Writes nothing."""
    resolver = _Resolver()
    problems: list[Problem] = []
    records: list[HistoryRecord] = []
    seen: dict[str, int] = {}
    for number, text in enumerate(lines, start=1):
        if text.strip():
            reader = _Line(number, text, resolver)
            record = reader.record()
            problems.extend(reader.problems)
            if record is not None and record.code in seen:
                message = _("the same MaHoSo is already on line %(line)d.") % {"line": seen[record.code]}
                problems.append(Problem(number, "MaHoSo", message))
            elif record is not None:
                seen[record.code] = number
                records.append(record)
        if progress:
            progress("check", number, len(lines))
    if problems:
        raise HistoryImportError(problems)
    return records


def portal_instant(text: str) -> datetime:
    """`yyyyMMddHHmmss` in Vietnam time → an aware instant (ValueError when malformed)."""
    if len(text) != 14 or not text.isdigit():
        raise ValueError(text)
    return datetime.strptime(text, PORTAL_TIME).replace(tzinfo=VIETNAM)


def record_digest(record: dict[str, Any]) -> str:
    """The SHA-256 of a record's canonical JSON: key order and spacing do not matter."""
    return hashlib.sha256(audit.canonical(record).encode()).hexdigest()


class _Resolver:
    """Lookups shared by all lines of a file, each done once."""

    def __init__(self) -> None:
        self.procedures: dict[str, Procedure | None] = {}
        self.versions: dict[int, list[ProcedureVersion]] = {}
        self.components: dict[int, dict[str, Component]] = {}
        units = list(Unit.objects.filter(active_until__isnull=True))
        self.units_by_code = {u.code: u for u in units}
        self.units_by_name: dict[str, Unit] = {}
        for unit in units:
            self.units_by_name.setdefault(unit.name.strip().casefold(), unit)
        self.counters: dict[int, Counter | None] = {}

    def procedure(self, code: str) -> Procedure | None:
        if code not in self.procedures:
            self.procedures[code] = Procedure.objects.select_related("current_version").filter(code=code).first()
        return self.procedures[code]

    def version(self, procedure: Procedure, instant: datetime) -> ProcedureVersion | None:
        """The version in force on the local day of `instant`, else the current one."""
        if procedure.pk not in self.versions:
            found = ProcedureVersion.objects.filter(procedure=procedure).exclude(status=ProcedureVersion.Status.DRAFT)
            self.versions[procedure.pk] = list(found.select_related("field").order_by("-number"))
        day = instant.astimezone(VIETNAM).date()
        for version in self.versions[procedure.pk]:
            started = version.effective_from is None or version.effective_from <= day
            if started and (version.effective_until is None or day <= version.effective_until):
                return version
        return procedure.current_version

    def component(self, version: ProcedureVersion, code: str) -> Component | None:
        if version.pk not in self.components:
            known: dict[str, Component] = {}
            for item in version.components.all():
                if item.national_code:
                    known.setdefault(item.national_code, item)
                known[item.code] = item
            self.components[version.pk] = known
        return self.components[version.pk].get(code)

    def unit(self, value: str) -> Unit | None:
        return self.units_by_code.get(value.strip().upper()) or self.units_by_name.get(value.strip().casefold())

    def counter(self, unit: Unit) -> Counter | None:
        if unit.pk not in self.counters:
            self.counters[unit.pk] = unit.counters.filter(is_active=True).order_by("pk").first()
        return self.counters[unit.pk]


class _Line:
    """One line being read: typed field accessors that note problems instead of raising."""

    def __init__(self, number: int, text: str, resolver: _Resolver) -> None:
        self.number = number
        self.text = text
        self.resolver = resolver
        self.problems: list[Problem] = []
        self.raw: dict[str, Any] = {}

    def problem(self, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.number, field_name, message))

    def record(self) -> HistoryRecord | None:
        try:
            raw = json.loads(self.text)
        except json.JSONDecodeError as exc:
            self.problem("JSON", _("not valid JSON: %(error)s") % {"error": exc.msg})
            return None
        if not isinstance(raw, dict):
            self.problem("JSON", _("expected one JSON object (a DongBoHoSoMC record)."))
            return None
        self.raw = raw
        return _record_build(self, raw)

    # Typed accessors -------------------------------------------------------------------------

    def text_of(self, source: dict[str, Any], name: str, *, required: bool = False, max_length: int = 500) -> str:
        value = source.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this field is required."))
            return ""
        if not isinstance(value, str | int):
            self.problem(name, _("expected text."))
            return ""
        text = str(value).strip()
        if len(text) > max_length:
            self.problem(name, _("at most %(max)d characters.") % {"max": max_length})
        return text[:max_length]

    def instant(
        self, source: dict[str, Any], name: str, *, required: bool = False, promise: bool = False
    ) -> datetime | None:
        """A portal time; only promises (due times) may lie in the future."""
        value = source.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this field is required."))
            return None
        try:
            instant = portal_instant(str(value))
        except ValueError:
            self.problem(name, _("“%(value)s” is not a date in the form yyyyMMddHHmmss.") % {"value": value})
            return None
        if not promise and instant > clock.now() + FUTURE_TOLERANCE:
            self.problem(name, _("the date is in the future."))
        return instant

    def choice(self, source: dict[str, Any], name: str, allowed: Iterable[int], *, required: bool = True) -> int | None:
        value = source.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, _("this field is required."))
            return None
        try:
            number = int(str(value))
        except ValueError:
            number = -1
        allowed = set(allowed)
        if number not in allowed:
            values = ", ".join(str(a) for a in sorted(allowed))
            self.problem(name, _("“%(value)s” is not one of %(values)s.") % {"value": value, "values": values})
            return None
        return number

    def items(self, name: str) -> list[tuple[str, dict[str, Any]]]:
        """The objects of a list field, each with its field path for problems."""
        value = self.raw.get(name)
        if value is None or value == "":
            return []
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.problem(name, _("expected a list of objects."))
            return []
        return [(f"{name}[{index}]", item) for index, item in enumerate(value)]


def _record_build(line: _Line, raw: dict[str, Any]) -> HistoryRecord | None:
    code = _code(line)
    version = _version(line)
    status_code = line.choice(raw, "TrangThaiHoSo", STATUS_BY_CODE)
    channel_value = line.choice(raw, "KenhThucHien", Channel.values)
    applicant = _applicant(line)
    handling = _handling(line)
    received = line.instant(raw, "NgayTiepNhan", required=True)
    due = line.instant(raw, "NgayHenTra", promise=True)
    finished = line.instant(raw, "NgayKetThucXuLy")
    returned = line.instant(raw, "NgayTra")
    if line.problems or code is None or version is None or handling is None or received is None:
        return None
    if status_code is None or channel_value is None:
        return None
    status, channel = STATUS_BY_CODE[status_code], Channel(channel_value)
    accepted = status_code in ACCEPTED_CODES or (status_code in MAYBE_ACCEPTED_CODES and due is not None)
    receiving = _receiving(line, code, handling)
    record = HistoryRecord(
        line=line.number,
        code=code,
        digest=record_digest(raw),
        version=version,
        channel=channel,
        national_status=status_code,
        status=status,
        applicant=applicant,
        receiving=receiving,
        counter=line.resolver.counter(receiving) if channel == Channel.DIRECT else None,
        handling=handling,
        submitted_at=received,
        accepted_at=received if accepted else None,
        due_at=due if accepted else None,
        finished_at=finished if status in FINISH_REQUIRED else None,
        returned_at=returned if status == Status.RETURNED else None,
        outcome=Outcome.APPROVED
        if status in (Status.RESOLVED, Status.RETURNED) and raw.get("DanhSachGiayToKetQua")
        else None,
        supplements=_supplements(line, received if accepted else None),
        components=_components(line, version),
        fees=_fees(line, received),
    )
    _check_instants(line, record)
    if not line.problems:
        record.events = _events_plan(line, record)
    return None if line.problems else record


def _code(line: _Line) -> str | None:
    code = line.text_of(line.raw, "MaHoSo", required=True, max_length=60).upper()
    if not code:
        return None
    parsed = codes.parse_code(code)
    if parsed is None:
        line.problem("MaHoSo", _("“%(code)s” is not a dossier code <unit code>-YYMMDD-XXXX.") % {"code": code})
        return None
    try:
        validate_unit_code(parsed.prefix)
    except UnitCodeError as exc:
        line.problem("MaHoSo", str(exc.message))
        return None
    return code


def _version(line: _Line) -> ProcedureVersion | None:
    code = line.text_of(line.raw, "MaTTHC", required=True, max_length=30)
    if not code:
        return None
    procedure = line.resolver.procedure(code)
    if procedure is None:
        line.problem("MaTTHC", _("unknown procedure “%(code)s”.") % {"code": code})
        return None
    try:
        instant = portal_instant(str(line.raw.get("NgayTiepNhan") or ""))
    except ValueError:
        instant = clock.now()
    version = line.resolver.version(procedure, instant)
    if version is None:
        line.problem("MaTTHC", _("procedure “%(code)s” has no version to file under.") % {"code": code})
    return version


def _applicant(line: _Line) -> dict[str, Any]:
    raw = line.raw
    kind = line.choice(raw, "LoaiDoiTuong", (1, 2, 3), required=False) or 1
    name = line.text_of(raw, "ChuHoSo", required=True, max_length=200 if kind == 1 else 300)
    identity = normalize_digits(line.text_of(raw, "MaDoiTuong", max_length=20))
    email = line.text_of(raw, "Email", max_length=254)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            line.problem("Email", _("“%(value)s” is not a valid e-mail address.") % {"value": email})
    contact = {"applicant_email": email, "applicant_phone": line.text_of(raw, "SoDienThoai", max_length=30)}
    if kind == 1:
        _check_id_number(line, identity)
        return {
            "applicant_kind": ApplicantKind.PERSON,
            "applicant_name": name,
            "applicant_id_number": identity,
            **contact,
        }
    if identity:
        try:
            validate_tax_code(identity)
        except IdentityError as exc:
            line.problem("MaDoiTuong", str(exc.message))
    return {
        "applicant_kind": ApplicantKind.ORGANIZATION,
        "organization_name": name,
        "organization_tax_code": identity,
        **contact,
    }


def _check_id_number(line: _Line, value: str) -> None:
    """12-digit personal ID numbers are checked; 9-digit identity cards (CMND) were valid until 2024."""
    if not value or (len(value) == 9 and value.isdigit()):
        return
    try:
        validate_id_number(value)
    except IdentityError as exc:
        line.problem("MaDoiTuong", str(exc.message))


def _handling(line: _Line) -> Unit | None:
    value = line.text_of(line.raw, "DonViXuLy", required=True, max_length=300)
    if not value:
        return None
    unit = line.resolver.unit(value)
    if unit is None:
        line.problem("DonViXuLy", _("unknown unit “%(value)s” (give its code or its exact name).") % {"value": value})
    return unit


def _receiving(line: _Line, code: str, handling: Unit) -> Unit:
    """The unit that prefixes the code when we know it (2018: the receiving unit), else the handling one."""
    parsed = codes.parse_code(code)
    unit = line.resolver.units_by_code.get(parsed.prefix) if parsed else None
    return unit or handling


def _supplements(line: _Line, accepted_at: datetime | None) -> list[SupplementEntry]:
    entries = []
    for position, (path, item) in enumerate(line.items("DanhSachHoSoBoSung")):
        sub = _Sub(line, path)
        requested = sub.instant(item, ("NgayYeuCau", "NgayBoSung"), required=True)
        if requested is None:
            continue
        entries.append(
            SupplementEntry(
                position=position,
                requested_at=requested,
                supplied_at=sub.instant(item, ("NgayTiepNhanBoSung",)),
                due_before=sub.instant(item, ("NgayHenTraTruoc",), promise=True),
                due_after=sub.instant(item, ("NgayHenTraMoi",), promise=True),
                missing=line.text_of(item, "NoiDungBoSung", max_length=2000),
                before_acceptance=accepted_at is None or requested < accepted_at,
            )
        )
    return sorted(entries, key=lambda e: e.requested_at)


class _Sub:
    """Accessors for an object inside a list field: problems name `List[i].Field`."""

    def __init__(self, line: _Line, path: str) -> None:
        self.line, self.path = line, path

    def instant(
        self, item: dict[str, Any], names: tuple[str, ...], *, required: bool = False, promise: bool = False
    ) -> datetime | None:
        name = next((n for n in names if item.get(n) not in (None, "")), names[0])
        before = len(self.line.problems)
        value = self.line.instant(item, name, required=required, promise=promise)
        for index in range(before, len(self.line.problems)):
            problem = self.line.problems[index]
            self.line.problems[index] = Problem(problem.line, f"{self.path}.{problem.field}", problem.message)
        return value


def _flag(value: Any) -> bool:
    return str(value).strip().lower() in ("1", "true")


def _components(line: _Line, version: ProcedureVersion) -> list[ComponentEntry]:
    merged: dict[int, ComponentEntry] = {}
    for path, item in line.items("TaiLieuNop"):
        code = str(item.get("MaThanhPhanHoSo") or "").strip()
        component = line.resolver.component(version, code) if code else None
        if component is None:
            message = _("unknown component “%(code)s” of procedure %(procedure)s.")
            line.problem(f"{path}.MaThanhPhanHoSo", message % {"code": code, "procedure": version.procedure.code})
            continue
        files = tuple(f.strip() for f in str(item.get("DuongDanTaiTepTin") or "").split(",") if f.strip())
        earlier = merged.get(component.pk)
        merged[component.pk] = ComponentEntry(
            component=component,
            files=(earlier.files if earlier else ()) + files,
            digitized=_flag(item.get("DuocSoHoa")) or bool(earlier and earlier.digitized),
            reused=_flag(item.get("DuocLayTuKhoDMQG")) or bool(earlier and earlier.reused),
        )
    return list(merged.values())


def _fees(line: _Line, received: datetime) -> list[FeeEntry]:
    online = line.choice(line.raw, "DuocThanhToanTrucTuyen", (0, 1, 2), required=False)
    method = ONLINE_PAYMENT_METHODS.get(online or 0, "")
    entries = []
    for path, item in line.items("DanhSachLePhi"):
        try:
            amount = Decimal(str(item.get("Gia") if item.get("Gia") not in (None, "") else "0"))
        except InvalidOperation:
            amount = Decimal(-1)
        if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 12:
            line.problem(f"{path}.Gia", _("“%(value)s” is not an amount.") % {"value": item.get("Gia")})
            continue
        kind = {"1": "phi", "2": "le_phi"}.get(str(item.get("LoaiPhiLePhi") or ""), "")
        entries.append(
            FeeEntry(
                code=str(item.get("MaPhiLePhi") or "")[:60],
                name=str(item.get("TenPhiLePhi") or "")[:255] or _("Fee"),
                amount=amount.quantize(Decimal("0.01")),
                kind=kind,
                method=method or str(item.get("HinhThucThu") or "")[:30],
                paid_at=received if method else None,
            )
        )
    return entries


def _check_instants(line: _Line, record: HistoryRecord) -> None:
    """Times that contradict each other are refused: a history must be readable as a history."""
    parsed = codes.parse_code(record.code)
    if parsed and parsed.day > record.submitted_at.astimezone(VIETNAM).date():
        line.problem("MaHoSo", _("the code's date is after NgayTiepNhan."))
    if record.status in FINISH_REQUIRED and record.finished_at is None:
        line.problem("NgayKetThucXuLy", _("required for status %(status)d.") % {"status": record.national_status})
    if record.status == Status.RETURNED and record.returned_at is None:
        line.problem("NgayTra", _("required for status %(status)d.") % {"status": record.national_status})
    if record.due_at and record.accepted_at and record.due_at < record.accepted_at:
        line.problem("NgayHenTra", _("before NgayTiepNhan."))
    if record.finished_at and record.returned_at and record.returned_at < record.finished_at:
        line.problem("NgayTra", _("before NgayKetThucXuLy."))
    for entry in record.supplements:
        if entry.supplied_at and entry.supplied_at < entry.requested_at:
            line.problem(f"DanhSachHoSoBoSung[{entry.position}].NgayTiepNhanBoSung", _("before the request."))
    # A supplement asked at reception comes before the acceptance NgayTiepNhan records.
    if record.supplements:
        record.submitted_at = min(record.submitted_at, record.supplements[0].requested_at)


def _events_plan(line: _Line, record: HistoryRecord) -> list[PlannedEvent]:
    """The record's history as lifecycle moves, each checked against the transition table."""
    planner = _Planner(line, record)
    planner.move(Action.SUBMIT, record.submitted_at, "NgayTiepNhan", channel=record.channel.name.lower(), mode="import")
    for entry in [e for e in record.supplements if e.before_acceptance]:
        planner.supplement(entry)
    if record.accepted_at:
        first_due = next((e.due_before for e in record.supplements if not e.before_acceptance), None)
        planner.move(Action.ACCEPT, record.accepted_at, "NgayTiepNhan", due_at=first_due or record.due_at)
    for entry in [e for e in record.supplements if not e.before_acceptance]:
        planner.supplement(entry)
    planner.finish()
    if planner.current != record.status and not line.problems:
        current, wanted = lifecycle.status_label(planner.current), lifecycle.status_label(record.status)
        message = _("the history ends “%(current)s”, not “%(wanted)s”.") % {"current": current, "wanted": wanted}
        line.problem("TrangThaiHoSo", message)
    return planner.events


class _Planner:
    """Walks the lifecycle table from draft, noting each refused move as a problem of the line."""

    def __init__(self, line: _Line, record: HistoryRecord) -> None:
        self.line, self.record = line, record
        self.current = Status.DRAFT
        self.events: list[PlannedEvent] = []

    def move(self, action: Action, at: datetime, field_name: str, **data: Any) -> None:
        if self.line.problems:
            return
        try:
            target = lifecycle.next_status(self.current, action, accepted=self.accepted)
        except lifecycle.TransitionNotAllowed as exc:
            self.line.problem(field_name, exc.message)
            return
        if self.events and at < self.events[-1].at:
            self.line.problem(field_name, _("this happens before the previous step of the history."))
            return
        self.events.append(PlannedEvent(action, self.current, target, at, {"imported": True, **data}))
        self.current = target

    @property
    def accepted(self) -> bool:
        """The clock has started: the acceptance is already in the history."""
        return any(event.action == Action.ACCEPT for event in self.events)

    def supplement(self, entry: SupplementEntry) -> None:
        index = self.record.supplements.index(entry)  # in time order
        path = f"DanhSachHoSoBoSung[{entry.position}]"
        missing = [entry.missing] if entry.missing else []
        self.move(
            Action.REQUEST_SUPPLEMENT,
            entry.requested_at,
            f"{path}.NgayYeuCau",
            missing=missing,
            due_at=entry.due_before,
        )
        if entry.supplied_at is not None:
            later = [e.due_before for e in self.record.supplements[index + 1 :] if not e.before_acceptance]
            due = entry.due_after or (later[0] if later else self.record.due_at)
            data = {"previous_due_at": entry.due_before, "due_at": None if entry.before_acceptance else due}
            self.move(Action.SUBMIT_SUPPLEMENT, entry.supplied_at, f"{path}.NgayTiepNhanBoSung", **data)

    def finish(self) -> None:
        record = self.record
        finished = record.finished_at
        if record.status == Status.AWAITING_PAYMENT:
            # The record does not say when payment was asked: the last known instant stands for it.
            at = self.events[-1].at if self.events else record.submitted_at
            self.move(Action.REQUEST_PAYMENT, at, "TrangThaiHoSo", time_unknown=True, due_at=record.due_at)
        elif finished is not None and record.status in (Status.REFUSED, Status.WITHDRAWN, Status.STOPPED):
            action = {Status.REFUSED: Action.REFUSE, Status.WITHDRAWN: Action.WITHDRAW, Status.STOPPED: Action.STOP}
            self.move(action[record.status], finished, "NgayKetThucXuLy")
        elif finished is not None and record.status in (Status.RESOLVED, Status.RETURNED):
            results = [_result(item) for _path, item in self.line.items("DanhSachGiayToKetQua")]
            self.move(Action.RESOLVE, finished, "NgayKetThucXuLy", outcome=record.outcome, results=results)
            if record.returned_at is not None:
                self.move(Action.RETURN_RESULT, record.returned_at, "NgayTra")


def _result(item: dict[str, Any]) -> dict[str, str]:
    keys = ("TenGiayTo", "MaThanhPhanHoSo", "GiayToId", "DuongDanTepTinKetQua")
    return {key: str(item.get(key) or "") for key in keys}

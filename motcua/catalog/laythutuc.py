"""The national procedure database's `LayThuTuc` record, read into plain data and written back (SPEC §3.2, §7.2).

Pure: no Django models, no I/O. `records_parse` validates a whole file's records and either returns
them all as `ProcedureRecord`s or raises `InvalidRecords` listing every problem with its record
index and field path, so an import can refuse a bad file before writing anything.

`record_dump(record)` writes a record back in the same shape. `record_dump(records_parse([raw])[0])`
is the *canonical form* of `raw`: the keys the importer understands, normalised (stripped text,
integral numbers as integers, `Đồng` for VND), empty values left out, and the unknown top-level
keys (`NGUON`, `DOTINCAY`, …) kept verbatim. Its hash identifies the content, so importing the same
file twice, or importing what the exporter wrote, is recognised as "unchanged".
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from motcua.catalog.errors import ImportFileError, InvalidRecords, Problem
from motcua.core.text import fold

# National procedure codes look like 1.001193 / 2.000815 (SPEC §3.2); the prefix is one digit.
NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")
CHANNELS = (1, 2, 3)  # KENH: 1 direct, 2 online, 3 postal (SPEC §2 channel)
# The keys the importer reads; any other top-level key (NGUON, DOTINCAY, …) is kept verbatim.
KNOWN_KEYS = frozenset(
    {
        "MATTHC",
        "TENTTHC",
        "LINHVUCTHUCHIEN",
        "CAPTHUCHIEN",
        "COQUANTHUCHIEN",
        "CACHTHUCTHUCHIEN",
        "THANHPHANHOSO",
        "KETQUATHUCHIEN",
        "CANCUPHAPLY",
        "YEUCAU",
        "MOTADOITUONGTHUCHIEN",
    }
)
# Where the national API and its mirrors put the records inside an answer.
_WRAPPER_KEYS = ("data", "Data", "DATA", "result", "Result", "items", "records")
# The portal writes amounts in "Đồng"; other currencies by their ISO code (USD at embassies).
_VND_WORDS = frozenset({"dong", "vnd", "d", "vn dong"})


@dataclass(frozen=True)
class FeeLine:
    """One PHILEPHI line: an amount with its currency and the portal's per-unit text."""

    amount: Decimal
    currency: str = "VND"
    description: str = ""
    code: str = ""
    name: str = ""


@dataclass(frozen=True)
class TimeRow:
    """One THOIGIAN row of a channel: value and unit as the portal wrote them, description, fee lines."""

    value: Decimal | None = None
    unit_text: str = ""
    description: str = ""
    fees: tuple[FeeLine, ...] = ()


@dataclass(frozen=True)
class Channel:
    """One CACHTHUCTHUCHIEN entry: how the procedure can be filed (KENH) and its time rows."""

    kind: int
    times: tuple[TimeRow, ...] = ()


@dataclass(frozen=True)
class Document:
    """One GIAYTO row: a document the applicant provides, with counts of originals and copies."""

    name: str
    originals: int = 0
    copies: int = 0
    code: str = ""
    template_name: str = ""
    template_url: str = ""


@dataclass(frozen=True)
class DocumentGroup:
    """One THANHPHANHOSO group: a case label (TRUONGHOP) and its documents."""

    case: str
    documents: tuple[Document, ...]


@dataclass(frozen=True)
class Named:
    """A (code, name) pair: results (MAKETQUA/TENKETQUA), legal texts (SOVANBAN/TENVANBAN), bodies."""

    name: str
    code: str = ""


@dataclass(frozen=True)
class ProcedureRecord:
    """A validated LayThuTuc record; `raw` is what the file held, `extra` its unknown top-level keys."""

    code: str
    name: str
    field_name: str = ""
    field_code: str = ""
    levels: tuple[str, ...] = ()
    bodies: tuple[Named, ...] = ()
    channels: tuple[Channel, ...] = ()
    groups: tuple[DocumentGroup, ...] = ()
    results: tuple[Named, ...] = ()
    legal_basis: tuple[Named, ...] = ()
    requirements: str = ""
    subjects: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def records_unwrap(payload: Any) -> list[Any]:
    """The records of a decoded LayThuTuc answer: a list, one record, or a wrapper such as {"data": [...]}."""
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        if "MATTHC" in payload:
            return [payload]
        for key in _WRAPPER_KEYS:
            if key in payload:
                return records_unwrap(payload[key])
    raise ImportFileError(_("No procedure records found: expected a list of records, one record or {“data”: […]}."))


# --- reading ----------------------------------------------------------------------------------


class _Reader:
    """Reads one raw record, noting each problem instead of stopping at the first."""

    def __init__(self, index: int) -> None:
        self.index = index
        self.code = ""
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.index, path, message, self.code))

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False, max_length: int = 0) -> str:
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(path + key, _("is required"))
            return ""
        if not isinstance(value, str):
            self.fail(path + key, _("must be text"))
            return ""
        if max_length and len(value.strip()) > max_length:
            self.fail(path + key, _("is longer than %(max)d characters") % {"max": max_length})
        return value.strip()

    def number(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = False, below: int = 10**6
    ) -> Decimal | None:
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.fail(path + key, _("is required"))
            return None
        parsed = _decimal(value)
        if parsed is None:
            self.fail(path + key, _("must be a number"))
        elif parsed < 0:
            self.fail(path + key, _("must not be negative"))
        elif parsed >= below or parsed != parsed.quantize(Decimal("0.01")):
            # The columns hold two decimal places; refusing beats silently rounding an amount.
            self.fail(path + key, _("is out of range or has more than two decimal places"))
        return parsed

    def count(self, obj: dict[str, Any], key: str, path: str) -> int:
        value = self.number(obj, key, path)
        if value is None:
            return 0
        if value != value.to_integral_value() or value > 999:
            self.fail(path + key, _("must be a whole number, 0 or more"))
            return 0
        return int(value)

    def objects(self, obj: dict[str, Any], key: str, path: str, *, allow_single: bool = False) -> Iterator[tuple]:
        """Yield (index, item, item path) for a list of objects, noting non-objects."""
        value = obj.get(key)
        if value is None:
            return
        if allow_single and isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.fail(path + key, _("must be a list"))
            return
        for n, item in enumerate(value):
            if isinstance(item, dict):
                yield n, item, f"{path}{key}[{n}]."
            else:
                self.fail(f"{path}{key}[{n}]", _("must be an object"))


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def records_parse(raws: Sequence[Any]) -> list[ProcedureRecord]:
    """Validate all records of one file; return them parsed or raise `InvalidRecords` with every problem."""
    problems: list[Problem] = []
    records: list[ProcedureRecord] = []
    first_index: dict[str, int] = {}
    for index, raw in enumerate(raws):
        reader = _Reader(index)
        record = _record(reader, raw)
        if record and record.code in first_index:
            other = first_index[record.code]
            reader.fail("MATTHC", _("appears twice in the file (also record %(other)s)") % {"other": other})
        elif record:
            first_index[record.code] = index
        problems += reader.problems
        if record:
            records.append(record)
    if problems:
        raise InvalidRecords(problems)
    return records


def _record(reader: _Reader, raw: Any) -> ProcedureRecord | None:
    if not isinstance(raw, dict):
        reader.fail("(record)", _("must be an object"))
        return None
    code = reader.text(raw, "MATTHC", "", required=True)
    if code and not NATIONAL_CODE.match(code):
        reader.fail("MATTHC", _("is not a national procedure code such as 1.001193"))
    reader.code = code
    field_name, field_code = _field(reader, raw)
    record = ProcedureRecord(
        code=code,
        name=reader.text(raw, "TENTTHC", "", required=True),
        field_name=field_name,
        field_code=field_code,
        levels=_levels(reader, raw),
        bodies=tuple(_body(reader, b, p) for _n, b, p in reader.objects(raw, "COQUANTHUCHIEN", "")),
        channels=tuple(_channel(reader, c, p) for _n, c, p in reader.objects(raw, "CACHTHUCTHUCHIEN", "")),
        groups=_groups(reader, raw),
        results=tuple(_result(reader, r, p) for _n, r, p in reader.objects(raw, "KETQUATHUCHIEN", "")),
        legal_basis=tuple(_legal(reader, d, p) for _n, d, p in reader.objects(raw, "CANCUPHAPLY", "")),
        requirements=reader.text(raw, "YEUCAU", ""),
        subjects=reader.text(raw, "MOTADOITUONGTHUCHIEN", ""),
        extra={k: v for k, v in raw.items() if k not in KNOWN_KEYS},
        raw=raw,
    )
    return None if reader.problems else record


def _field(reader: _Reader, raw: dict[str, Any]) -> tuple[str, str]:
    # Only the first field counts: a procedure belongs to one field (lĩnh vực) in the catalog.
    for _n, item, path in reader.objects(raw, "LINHVUCTHUCHIEN", "", allow_single=True):
        name = reader.text(item, "TENLINHVUC", path, required=True, max_length=255)
        return name, reader.text(item, "MALINHVUC", path, max_length=40)
    return "", ""


def _levels(reader: _Reader, raw: dict[str, Any]) -> tuple[str, ...]:
    value = raw.get("CAPTHUCHIEN")
    if value is None:
        return ()
    if not isinstance(value, list):
        reader.fail("CAPTHUCHIEN", _("must be a list"))
        return ()
    levels = []
    for n, item in enumerate(value):
        # The real feed's inner shape is unconfirmed (shared/data/README.md): accept text or {TENCAP…}.
        if isinstance(item, dict):
            item = item.get("TENCAPTHUCHIEN") or item.get("TENCAP")
        if isinstance(item, str) and item.strip():
            levels.append(item.strip())
        else:
            reader.fail(f"CAPTHUCHIEN[{n}]", _("must be text"))
    return tuple(levels)


def _channel(reader: _Reader, item: dict[str, Any], path: str) -> Channel:
    kind = reader.number(item, "KENH", path, required=True)
    if kind is not None and kind not in CHANNELS:
        reader.fail(path + "KENH", _("must be 1 (direct), 2 (online) or 3 (postal)"))
    rows = (_time_row(reader, t, p) for _n, t, p in reader.objects(item, "THOIGIAN", path))
    # A row with nothing in it says nothing; dropping it keeps the canonical form stable.
    return Channel(kind=int(kind or 0), times=tuple(row for row in rows if row != TimeRow()))


def _time_row(reader: _Reader, item: dict[str, Any], path: str) -> TimeRow:
    return TimeRow(
        value=reader.number(item, "THOIGIANGIAIQUYET", path),
        unit_text=reader.text(item, "DONVITINH", path, max_length=60),
        description=reader.text(item, "MOTA", path),
        fees=tuple(_fee(reader, f, p) for _n, f, p in reader.objects(item, "PHILEPHI", path)),
    )


def _fee(reader: _Reader, item: dict[str, Any], path: str) -> FeeLine:
    return FeeLine(
        amount=reader.number(item, "SOTIEN", path, required=True, below=10**12) or Decimal(0),
        currency=_currency(reader, item, path),
        description=reader.text(item, "MOTA", path),
        code=reader.text(item, "MAPHILEPHI", path, max_length=60),
        name=reader.text(item, "TENPHILEPHI", path, max_length=255),
    )


def _currency(reader: _Reader, item: dict[str, Any], path: str) -> str:
    unit = reader.text(item, "DONVI", path, max_length=20)
    if not unit or fold(unit) in _VND_WORDS:
        return "VND"
    if re.fullmatch(r"[A-Za-z]{3}", unit):
        return unit.upper()
    reader.fail(path + "DONVI", _("is not a currency (Đồng, USD, …)"))
    return "VND"


def _groups(reader: _Reader, raw: dict[str, Any]) -> tuple[DocumentGroup, ...]:
    groups: list[DocumentGroup] = []
    for _n, item, path in reader.objects(raw, "THANHPHANHOSO", ""):
        case = reader.text(item, "TRUONGHOP", path)
        documents = tuple(_document(reader, d, p) for _m, d, p in reader.objects(item, "GIAYTO", path))
        if not documents:
            continue  # nothing to file under an empty group
        # Adjacent groups with one label are one group: the catalog keeps the label per document.
        if groups and groups[-1].case == case:
            groups[-1] = DocumentGroup(case, groups[-1].documents + documents)
        else:
            groups.append(DocumentGroup(case, documents))
    return tuple(groups)


def _document(reader: _Reader, item: dict[str, Any], path: str) -> Document:
    return Document(
        name=reader.text(item, "TENGIAYTO", path, required=True),
        originals=reader.count(item, "SOBANCHINH", path),
        copies=reader.count(item, "SOBANSAO", path),
        code=reader.text(item, "MAGIAYTO", path, max_length=50),
        template_name=reader.text(item, "TENMAUDON", path, max_length=255),
        template_url=reader.text(item, "URL", path, max_length=500),
    )


def _body(reader: _Reader, item: dict[str, Any], path: str) -> Named:
    return Named(reader.text(item, "TENDONVI", path, required=True), reader.text(item, "MADONVI", path, max_length=60))


def _result(reader: _Reader, item: dict[str, Any], path: str) -> Named:
    return Named(
        reader.text(item, "TENKETQUA", path, required=True), reader.text(item, "MAKETQUA", path, max_length=50)
    )


def _legal(reader: _Reader, item: dict[str, Any], path: str) -> Named:
    number = reader.text(item, "SOVANBAN", path)
    name = reader.text(item, "TENVANBAN", path, required=not number)
    return Named(name=name, code=number)


# --- writing ----------------------------------------------------------------------------------


def _compact(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != [] and v != {}}


def number_out(value: Decimal | None) -> int | float | None:
    """A JSON number for a decimal: integers stay integers so 2000 does not become 2000.0."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def record_dump(record: ProcedureRecord) -> dict[str, Any]:
    """The record in LayThuTuc shape (the canonical form when `record` came from `records_parse`)."""
    out = {
        "MATTHC": record.code,
        "TENTTHC": record.name,
        "LINHVUCTHUCHIEN": [_compact({"MALINHVUC": record.field_code, "TENLINHVUC": record.field_name})]
        if record.field_name
        else [],
        "CAPTHUCHIEN": list(record.levels),
        "COQUANTHUCHIEN": [_compact({"TENDONVI": b.name, "MADONVI": b.code}) for b in record.bodies],
        "CACHTHUCTHUCHIEN": [
            _compact({"KENH": c.kind, "THOIGIAN": [_time_out(t) for t in c.times]}) for c in record.channels
        ],
        "THANHPHANHOSO": [
            _compact({"TRUONGHOP": g.case, "GIAYTO": [_document_out(d) for d in g.documents]}) for g in record.groups
        ],
        "KETQUATHUCHIEN": [_compact({"MAKETQUA": r.code, "TENKETQUA": r.name}) for r in record.results],
        "CANCUPHAPLY": [_compact({"SOVANBAN": d.code, "TENVANBAN": d.name}) for d in record.legal_basis],
        "YEUCAU": record.requirements,
        "MOTADOITUONGTHUCHIEN": record.subjects,
    }
    return {**_compact(out), **record.extra}


def _time_out(row: TimeRow) -> dict[str, Any]:
    return _compact(
        {
            "THOIGIANGIAIQUYET": number_out(row.value),
            "DONVITINH": row.unit_text,
            "MOTA": row.description,
            "PHILEPHI": [_fee_out(f) for f in row.fees],
        }
    )


def _fee_out(fee: FeeLine) -> dict[str, Any]:
    return _compact(
        {
            "MAPHILEPHI": fee.code,
            "TENPHILEPHI": fee.name,
            "SOTIEN": number_out(fee.amount),
            "DONVI": "Đồng" if fee.currency == "VND" else fee.currency,
            "MOTA": fee.description,
        }
    )


def _document_out(doc: Document) -> dict[str, Any]:
    # Counts are always written: "0 bản chính, 1 bản sao" is information, not an empty value.
    return {
        **_compact({"MAGIAYTO": doc.code, "TENGIAYTO": doc.name}),
        "SOBANCHINH": doc.originals,
        "SOBANSAO": doc.copies,
        **_compact({"TENMAUDON": doc.template_name, "URL": doc.template_url}),
    }


def content_hash(record: ProcedureRecord) -> str:
    """SHA-256 of the canonical JSON of the record: equal content, equal hash, whatever the key order."""
    canonical = json.dumps(record_dump(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()

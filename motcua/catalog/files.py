"""Catalog files: LayThuTuc JSON as the national API answers it, and an xlsx workbook for people.

Both formats carry the same records (`laythutuc.record_dump`), so either one exported and imported
again changes nothing. The xlsx has one sheet per entity; child rows name their procedure by MATTHC.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from motcua.catalog.errors import ImportFileError
from motcua.catalog.laythutuc import KNOWN_KEYS, ProcedureRecord, record_dump, records_unwrap

__all__ = ["FORMATS", "ImportFileError", "json_read", "json_write", "records_read", "xlsx_read", "xlsx_write"]

FORMATS = ("json", "xlsx")

SHEETS: dict[str, tuple[str, ...]] = {
    "procedures": ("MATTHC", "TENTTHC", "MALINHVUC", "TENLINHVUC", "CAPTHUCHIEN", "YEUCAU", "MOTADOITUONGTHUCHIEN"),
    "bodies": ("MATTHC", "TENDONVI", "MADONVI"),
    # CACH numbers the record's channels and DONG its time rows; a channel without time rows has DONG blank.
    "times": ("MATTHC", "CACH", "KENH", "DONG", "THOIGIANGIAIQUYET", "DONVITINH", "MOTA"),
    "fees": ("MATTHC", "DONG", "KENH", "MAPHILEPHI", "TENPHILEPHI", "SOTIEN", "DONVI", "MOTA"),
    "components": ("MATTHC", "TRUONGHOP", "MAGIAYTO", "TENGIAYTO", "SOBANCHINH", "SOBANSAO", "TENMAUDON", "URL"),
    "results": ("MATTHC", "MAKETQUA", "TENKETQUA"),
    "legal_basis": ("MATTHC", "SOVANBAN", "TENVANBAN"),
    # Keys the catalog does not model (NGUON, DOTINCAY, …), one JSON value per row.
    "extra": ("MATTHC", "KHOA", "GIATRI_JSON"),
}


def format_guess(path: str | Path, given: str | None = None) -> str:
    """The file format: as given, else from the extension (.xlsx → xlsx, anything else → json)."""
    fmt = given or ("xlsx" if str(path).lower().endswith(".xlsx") else "json")
    if fmt not in FORMATS:
        raise ImportFileError(_("Unknown format %(format)s: use json or xlsx.") % {"format": fmt})
    return fmt


def records_read(path: str | Path, *, fmt: str | None = None) -> list[Any]:
    """The raw records of a catalog file (not yet validated: `procedure_import` does that)."""
    if format_guess(path, fmt) == "xlsx":
        return xlsx_read(path)
    return json_read(Path(path).read_bytes())


def json_read(data: bytes | str) -> list[Any]:
    """Raw records from LayThuTuc JSON: a list, one record, or the API's wrapper ({"data": [...]})."""
    try:
        payload = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFileError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from None
    return records_unwrap(payload)


def json_write(records: Iterable[ProcedureRecord], stream: IO[str]) -> None:
    """Write records as a LayThuTuc JSON list."""
    json.dump([record_dump(r) for r in records], stream, ensure_ascii=False, indent=2)
    stream.write("\n")


# --- xlsx -------------------------------------------------------------------------------------


def xlsx_write(records: Iterable[ProcedureRecord], target: str | Path | IO[bytes]) -> None:
    """Write records as a workbook with one sheet per entity (see SHEETS)."""
    book = Workbook()
    book.remove(book.active)
    sheets = {name: _sheet(book, name, columns) for name, columns in SHEETS.items()}
    for record in records:
        for name, row in _rows(record_dump(record)):
            sheets[name].append([_cell(row.get(column)) for column in SHEETS[name]])
    for sheet in sheets.values():
        _protect_text(sheet)
    book.save(target)


def _sheet(book: Workbook, name: str, columns: tuple[str, ...]) -> Any:
    sheet = book.create_sheet(name)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for number, column in enumerate(columns, start=1):
        wide = column in ("TENTTHC", "TENGIAYTO", "MOTA", "TENVANBAN")
        sheet.column_dimensions[get_column_letter(number)].width = 60 if wide else 16
    return sheet


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        # openpyxl refuses control characters; they cannot be stored in a workbook anyway.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _protect_text(sheet: Any) -> None:
    # A text starting with "=" must stay text: as a formula it would be lost (and run in a spreadsheet).
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"


def _rows(record: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    code = record["MATTHC"]
    field = (record.get("LINHVUCTHUCHIEN") or [{}])[0]
    yield "procedures", {**record, **field, "CAPTHUCHIEN": "\n".join(record.get("CAPTHUCHIEN", []))}
    for body in record.get("COQUANTHUCHIEN", []):
        yield "bodies", {"MATTHC": code, **body}
    yield from _time_rows(record)
    for group in record.get("THANHPHANHOSO", []):
        for doc in group.get("GIAYTO", []):
            yield "components", {"MATTHC": code, "TRUONGHOP": group.get("TRUONGHOP"), **doc}
    for result in record.get("KETQUATHUCHIEN", []):
        yield "results", {"MATTHC": code, **result}
    for doc in record.get("CANCUPHAPLY", []):
        yield "legal_basis", {"MATTHC": code, **doc}
    for key, value in record.items():
        if key not in KNOWN_KEYS:
            yield "extra", {"MATTHC": code, "KHOA": key, "GIATRI_JSON": json.dumps(value, ensure_ascii=False)}


def _time_rows(record: dict[str, Any]) -> Iterable[tuple[str, dict[str, Any]]]:
    code, row = record["MATTHC"], 0
    for n, channel in enumerate(record.get("CACHTHUCTHUCHIEN", []), start=1):
        base = {"MATTHC": code, "CACH": n, "KENH": channel.get("KENH")}
        if not channel.get("THOIGIAN"):
            yield "times", base
        for time in channel.get("THOIGIAN", []):
            row += 1
            yield "times", {**base, **time, "DONG": row}
            for fee in time.get("PHILEPHI", []):
                yield "fees", {"MATTHC": code, "DONG": row, "KENH": channel.get("KENH"), **fee}


def xlsx_read(source: str | Path | IO[bytes]) -> list[dict[str, Any]]:
    """Raw records from a workbook written by `xlsx_write` (or edited by hand in the same layout)."""
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception:  # openpyxl raises zipfile, KeyError and XML errors alike for a non-workbook
        raise ImportFileError(_("The file is not a readable xlsx workbook.")) from None
    try:
        tables = {name: _table(book, name) for name in SHEETS}
    finally:
        book.close()
    return _XlsxRecords(tables).build()


def _table(book: Any, name: str) -> list[tuple[int, dict[str, Any]]]:
    if name not in book.sheetnames:
        if name == "procedures":
            raise ImportFileError(_("Sheet %(sheet)s is missing.") % {"sheet": name})
        return []
    rows = book[name].iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    if "MATTHC" not in header:
        raise ImportFileError(_("Sheet %(sheet)s has no MATTHC column.") % {"sheet": name})
    table = []
    for number, values in enumerate(rows, start=2):
        row = {h: v for h, v in zip(header, values, strict=False) if h and v is not None and v != ""}
        if row:
            table.append((number, row))
    return table


class _XlsxRecords:
    """Rebuilds LayThuTuc records from the sheets' rows, checking that each row names a known procedure."""

    def __init__(self, tables: dict[str, list[tuple[int, dict[str, Any]]]]) -> None:
        self.tables = tables
        self.records: dict[Any, dict[str, Any]] = {}
        # Every procedures row becomes a record, duplicates too: validation then names the duplicate.
        self.ordered: list[dict[str, Any]] = []
        self.times: dict[tuple[Any, Any], dict[str, Any]] = {}

    def build(self) -> list[dict[str, Any]]:
        for _number, row in self.tables["procedures"]:
            record = self._procedure(row)
            self.ordered.append(record)
            self.records.setdefault(row.get("MATTHC"), record)
        self._children("bodies", "COQUANTHUCHIEN", ("TENDONVI", "MADONVI"))
        self._channels()
        self._fees()
        self._components()
        self._children("results", "KETQUATHUCHIEN", ("MAKETQUA", "TENKETQUA"))
        self._children("legal_basis", "CANCUPHAPLY", ("SOVANBAN", "TENVANBAN"))
        self._extra()
        return self.ordered

    def _procedure(self, row: dict[str, Any]) -> dict[str, Any]:
        record = {k: row[k] for k in ("MATTHC", "TENTTHC", "YEUCAU", "MOTADOITUONGTHUCHIEN") if k in row}
        if "TENLINHVUC" in row or "MALINHVUC" in row:
            record["LINHVUCTHUCHIEN"] = [{k: row[k] for k in ("MALINHVUC", "TENLINHVUC") if k in row}]
        levels = row.get("CAPTHUCHIEN")
        if levels is not None:
            record["CAPTHUCHIEN"] = [line.strip() for line in str(levels).splitlines() if line.strip()]
        return record

    def _owner(self, sheet: str, number: int, row: dict[str, Any]) -> dict[str, Any]:
        record = self.records.get(row.get("MATTHC"))
        if record is None:
            message = _("Sheet %(sheet)s, row %(row)s: no procedure %(code)s in sheet procedures.")
            raise ImportFileError(message % {"sheet": sheet, "row": number, "code": row.get("MATTHC")})
        return record

    def _children(self, sheet: str, key: str, columns: tuple[str, ...]) -> None:
        for number, row in self.tables[sheet]:
            self._owner(sheet, number, row).setdefault(key, []).append({c: row[c] for c in columns if c in row})

    def _channels(self) -> None:
        channels: dict[tuple[Any, Any], dict[str, Any]] = {}
        for number, row in self.tables["times"]:
            record = self._owner("times", number, row)
            channel_key = (row.get("MATTHC"), row.get("CACH"))
            if channel_key not in channels:
                channels[channel_key] = {k: row[k] for k in ("KENH",) if k in row} | {"THOIGIAN": []}
                record.setdefault("CACHTHUCTHUCHIEN", []).append(channels[channel_key])
            if "DONG" in row:
                time = {k: row[k] for k in ("THOIGIANGIAIQUYET", "DONVITINH", "MOTA") if k in row}
                channels[channel_key]["THOIGIAN"].append(time)
                self.times[(row.get("MATTHC"), row["DONG"])] = time

    def _fees(self) -> None:
        for number, row in self.tables["fees"]:
            self._owner("fees", number, row)
            time = self.times.get((row.get("MATTHC"), row.get("DONG")))
            if time is None:
                message = _("Sheet %(sheet)s, row %(row)s: no time row %(line)s in sheet times.")
                raise ImportFileError(message % {"sheet": "fees", "row": number, "line": row.get("DONG")})
            columns = ("MAPHILEPHI", "TENPHILEPHI", "SOTIEN", "DONVI", "MOTA")
            time.setdefault("PHILEPHI", []).append({c: row[c] for c in columns if c in row})

    def _components(self) -> None:
        for number, row in self.tables["components"]:
            groups = self._owner("components", number, row).setdefault("THANHPHANHOSO", [])
            case = row.get("TRUONGHOP", "")
            if not groups or groups[-1].get("TRUONGHOP", "") != case:
                groups.append({"TRUONGHOP": case, "GIAYTO": []})
            columns = ("MAGIAYTO", "TENGIAYTO", "SOBANCHINH", "SOBANSAO", "TENMAUDON", "URL")
            groups[-1]["GIAYTO"].append({c: row[c] for c in columns if c in row})

    def _extra(self) -> None:
        for number, row in self.tables["extra"]:
            record = self._owner("extra", number, row)
            try:
                record[str(row.get("KHOA"))] = json.loads(row.get("GIATRI_JSON", "null"))
            except (TypeError, json.JSONDecodeError):
                message = _("Sheet %(sheet)s, row %(row)s: GIATRI_JSON is not valid JSON.")
                raise ImportFileError(message % {"sheet": "extra", "row": number}) from None

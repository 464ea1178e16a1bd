"""Biểu II.06a as files: xlsx (openpyxl) and PDF (WeasyPrint, A4 landscape), Vietnamese only (a legal form).

Both carry the form's header (reporting unit, receiving unit, period, unit of measure), the three
header rows of the table with the column numbers (1)–(13) of SPEC §6.3, one row per field or
unit and the total. The PDF is rendered offline like the dossier forms (`dossiers.forms.render`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Final

from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from motcua.dossiers.forms.dates import vn_date
from motcua.dossiers.forms.render import html_to_pdf
from motcua.metrics.report_06a import Report06a
from motcua.metrics.services import ReportHeader

XLSX_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE: Final = "application/pdf"


@dataclass(frozen=True)
class HeaderCell:
    text: str
    row: int  # 0, 1 or 2 within the header
    column: int  # 1-based table column
    rows: int = 1
    columns: int = 1


def header_cells(header: ReportHeader) -> tuple[HeaderCell, ...]:
    """The three header rows of the table (TT 01/2020 form, practice.md §4.1)."""
    return (
        HeaderCell("TT", 0, 1, rows=3),
        HeaderCell(header.subject_header, 0, 2, rows=3),
        HeaderCell("Số hồ sơ nhận giải quyết", 0, 3, columns=4),
        HeaderCell("Kết quả giải quyết", 0, 7, columns=7),
        HeaderCell("Tổng số", 1, 3, rows=2),
        HeaderCell("Trong đó", 1, 4, columns=3),
        HeaderCell("Số hồ sơ đã giải quyết", 1, 7, columns=4),
        HeaderCell("Số hồ sơ đang giải quyết", 1, 11, columns=3),
        HeaderCell("Trực tuyến", 2, 4),
        HeaderCell("Trực tiếp, dịch vụ bưu chính", 2, 5),
        HeaderCell("Từ kỳ trước", 2, 6),
        HeaderCell("Tổng số", 2, 7),
        HeaderCell("Trước hạn", 2, 8),
        HeaderCell("Đúng hạn", 2, 9),
        HeaderCell("Quá hạn", 2, 10),
        HeaderCell("Tổng số", 2, 11),
        HeaderCell("Trong hạn", 2, 12),
        HeaderCell("Quá hạn", 2, 13),
    )


def report_06a_filename(*, unit_code: str, first: date, last: date, extension: str) -> str:
    return f"bieu-II.06a_{unit_code}_{first:%Y%m%d}-{last:%Y%m%d}.{extension}"


# --- xlsx --------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WIDTHS: Final = (6, 42, 11, 11, 14, 11, 11, 11, 11, 11, 11, 11, 11)


def report_06a_xlsx(report: Report06a, header: ReportHeader, *, issued_on: date) -> bytes:
    book = Workbook()
    sheet = book.active or book.create_sheet()
    sheet.title = "II.06a"
    _xlsx_heading(sheet, header, issued_on)
    top = 8
    for cell in header_cells(header):
        row, column = top + cell.row, cell.column
        sheet.cell(row=row, column=column, value=cell.text)
        if cell.rows > 1 or cell.columns > 1:
            sheet.merge_cells(
                start_row=row, start_column=column, end_row=row + cell.rows - 1, end_column=column + cell.columns - 1
            )
    numbers = top + 3
    for column in range(1, 14):
        sheet.cell(row=numbers, column=column, value=f"({column})")
    rows: list[tuple[int | None, str, tuple[int, ...]]] = [
        (line.number, line.label, line.row.columns()) for line in report.lines
    ]
    rows.append((None, "Tổng cộng", report.total.columns()))
    for offset, (number, label, values) in enumerate(rows, start=1):
        sheet.cell(row=numbers + offset, column=1, value=number)
        sheet.cell(row=numbers + offset, column=2, value=label)
        for column, value in enumerate(values, start=3):
            sheet.cell(row=numbers + offset, column=column, value=value)
    last = numbers + len(rows)
    for line in sheet.iter_rows(min_row=top, max_row=last, min_col=1, max_col=13):
        for cell in line:
            cell.border = _BOX
            cell.alignment = _CENTER if cell.row <= numbers or cell.column != 2 else Alignment(wrap_text=True)
            if cell.row <= numbers or cell.row == last:
                cell.font = Font(bold=True)
    for column, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_heading(sheet: object, header: ReportHeader, issued_on: date) -> None:
    lines = (
        (1, header.form_code, False),
        (2, header.title, True),
        (3, f"Kỳ báo cáo: {header.period_text}", False),
        (4, f"Đơn vị báo cáo: {header.reporting_unit}", False),
        (5, f"Đơn vị nhận báo cáo: {header.receiving_unit}", False),
        (6, f"Đơn vị tính: {header.unit_of_measure}", False),
        (7, f"Lập {vn_date(issued_on)}", False),
    )
    for row, text, bold in lines:
        cell = sheet.cell(row=row, column=1, value=text)  # type: ignore[attr-defined]
        cell.font = Font(bold=bold or row == 1)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=13)  # type: ignore[attr-defined]
        cell.alignment = Alignment(horizontal="center" if row in (2, 3) else "left")


# --- PDF ---------------------------------------------------------------------------------------


def report_06a_html(report: Report06a, header: ReportHeader, *, issued_on: date) -> str:
    cells = header_cells(header)
    return render_to_string(
        "metrics/report_06a.html",
        {
            "header": header,
            "header_rows": [[c for c in cells if c.row == row] for row in range(3)],
            "column_numbers": range(1, 14),
            "lines": report.lines,
            "total": report.total.columns(),
            "issued_on": vn_date(issued_on),
        },
    )


def report_06a_pdf(report: Report06a, header: ReportHeader, *, issued_on: date) -> bytes:
    return html_to_pdf(report_06a_html(report, header, issued_on=issued_on))

"""GET /api/v1/reports/06a (SPEC §8, §6.3): Biểu II.06a of a unit between two dates, as JSON, xlsx or PDF.

For staff whose scope contains the unit. Dates YYYY-MM-DD, both included; a range reaching
today is counted up to now. Bad dates, a reversed range, a start in the future or a range
longer than `MOTCUA_REPORT_MAX_DAYS` (default 3660): 400.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.api.auth import AUTHENTICATED
from motcua.api.routers.metrics import caller, in_scope, unit_or_404
from motcua.core import clock
from motcua.core.errors import InvalidInput, NotFound
from motcua.metrics.exports import PDF_TYPE, XLSX_TYPE, report_06a_filename, report_06a_pdf, report_06a_xlsx
from motcua.metrics.report_06a import GroupBy, Report06a, Row06a
from motcua.metrics.services import report_06a_maintained, report_dates, report_header

router = Router(auth=AUTHENTICATED)

FORMATS = ("json", "xlsx", "pdf")


class ReportQuery(Schema):
    unit: str = Field(..., description="Unit identifier code (its subtree is included)")
    first: str = Field(..., alias="from", description="First day, YYYY-MM-DD")
    last: str = Field(..., alias="to", description="Last day, YYYY-MM-DD (included)")
    format: str = Field("json", description="json | xlsx | pdf")
    group_by: str = Field("field", description="field | unit")


class ReportRow(Schema):
    label: str
    columns: dict[str, int]


class ReportOut(Schema):
    unit: str
    from_: str = Field(..., alias="from")
    to: str
    rows: list[ReportRow]
    total: dict[str, int]


def columns(row: Row06a) -> dict[str, int]:
    return {str(number): value for number, value in zip(range(3, 14), row.columns(), strict=True)}


def _choice(value: str, allowed: tuple[str, ...], field: str) -> str:
    if value not in allowed:
        message = _("“%(value)s” is not allowed here: use %(allowed)s.") % {
            "value": value[:20],
            "allowed": ", ".join(allowed),
        }
        raise InvalidInput(message, field=field)
    return value


@router.get(
    "/06a",
    response={200: ReportOut},
    by_alias=True,
    summary="Biểu II.06a: dossiers received and resolved, by field or unit",
)
def report(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    unit = unit_or_404(query.unit)
    fmt = _choice(query.format, FORMATS, "format")
    group_by = GroupBy(_choice(query.group_by, tuple(GroupBy), "group_by"))
    first, last = report_dates(first=query.first, last=query.last)
    if not in_scope(caller(request), unit):
        raise NotFound(_("No report of this unit is open to you."), field="unit")
    result = report_06a_maintained(unit=unit, first=first, last=last, group_by=group_by)
    if fmt == "json":
        return _json(unit.code, query, result)
    header = report_header(unit=unit, first=first, last=last, group_by=group_by)
    today = clock.local_today()
    if fmt == "xlsx":
        content, content_type = report_06a_xlsx(result, header, issued_on=today), XLSX_TYPE
    else:
        content, content_type = report_06a_pdf(result, header, issued_on=today), PDF_TYPE
    response = HttpResponse(content, content_type=content_type)
    name = report_06a_filename(unit_code=unit.code, first=first, last=last, extension=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _json(unit_code: str, query: ReportQuery, result: Report06a) -> dict[str, Any]:
    return {
        "unit": unit_code,
        "from": query.first,
        "to": query.last,
        "rows": [{"label": line.label, "columns": columns(line.row)} for line in result.lines],
        "total": columns(result.total),
    }

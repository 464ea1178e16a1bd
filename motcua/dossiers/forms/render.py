"""Print a form: data → Django template → HTML → PDF (WeasyPrint), with the code as barcode and QR.

The layout lives in templates (`dossiers/forms/<form>.html`), so a province can replace one by
putting a template of the same name in the project `templates/` dir; this module only prepares
the context: every datetime becomes a `VnDateTime` (`{{ x }}`, `{{ x.date }}`, `{{ x.short }}`),
tuples become lists, and each form gets its number, title, date line, tracking URL, barcode and
QR. The PDF is rendered offline: the only URLs allowed are `data:` ones, anything else aborts.
Forms are legal texts in Vietnamese and are not translated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Final

from django.template.loader import render_to_string

from motcua.documents.htmlpdf import PdfRenderError
from motcua.documents.htmlpdf import html_to_pdf as offline_html_to_pdf

from .barcodes import code128_svg, qr_svg, svg_data_uri, tracking_url
from .data import (
    ApologyData,
    ControlSlipData,
    FormData,
    Profile,
    ReceiptData,
    RefusalData,
    Signer,
    StepPhase,
    StopNoticeData,
    SupplementRequestData,
    TrackingBookData,
    TrackingRow,
)
from .dates import VnDateTime, vn_place_date


class FormKind(StrEnum):
    RECEIPT = "mau_01"
    SUPPLEMENT_REQUEST = "mau_02"
    REFUSAL = "mau_03"
    APOLOGY = "mau_04"
    CONTROL_SLIP = "mau_05"
    TRACKING_BOOK = "mau_06"
    STOP_NOTICE = "stop_notice"


class FormRenderError(PdfRenderError):
    """The PDF could not be produced (e.g. a template asked for an external resource)."""


@dataclass(frozen=True)
class FormSpec:
    """What differs between forms besides their data: template, paper, number and title per profile."""

    template: str
    data_type: type[FormData]
    paper: str  # "a5" or "a4-landscape"
    numbers: dict[Profile, str]  # "01" …; a profile missing here has no such form
    titles: dict[Profile, str]


_SAME = (Profile.TT01_2018, Profile.TT03_2025)

FORMS: Final[dict[FormKind, FormSpec]] = {
    FormKind.RECEIPT: FormSpec(
        "dossiers/forms/receipt.html",
        ReceiptData,
        "a5",
        {Profile.TT01_2018: "01", Profile.TT03_2025: "01"},
        dict.fromkeys(_SAME, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"),
    ),
    FormKind.SUPPLEMENT_REQUEST: FormSpec(
        "dossiers/forms/supplement_request.html",
        SupplementRequestData,
        "a5",
        {Profile.TT01_2018: "02", Profile.TT03_2025: "02"},
        dict.fromkeys(_SAME, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ"),
    ),
    FormKind.REFUSAL: FormSpec(
        "dossiers/forms/refusal.html",
        RefusalData,
        "a5",
        {Profile.TT01_2018: "03", Profile.TT03_2025: "03"},
        dict.fromkeys(_SAME, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ"),
    ),
    FormKind.APOLOGY: FormSpec(
        "dossiers/forms/apology.html",
        ApologyData,
        "a5",
        {Profile.TT01_2018: "04", Profile.TT03_2025: "04"},
        {
            Profile.TT01_2018: "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            # Renamed by TT 03/2025 Annex I (Decree 118/2025 Art. 19.6: one extension only).
            Profile.TT03_2025: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN\nTHỜI GIAN GIẢI QUYẾT",
        },
    ),
    FormKind.STOP_NOTICE: FormSpec(
        "dossiers/forms/stop_notice.html",
        StopNoticeData,
        "a5",
        {Profile.TT03_2025: "05"},  # new in 2025 (Decree 118/2025 Art. 21)
        {Profile.TT03_2025: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ"},
    ),
    FormKind.CONTROL_SLIP: FormSpec(
        "dossiers/forms/control_slip.html",
        ControlSlipData,
        "a5",
        {Profile.TT01_2018: "05", Profile.TT03_2025: "06"},  # renumbered in 2025
        dict.fromkeys(_SAME, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ"),
    ),
    FormKind.TRACKING_BOOK: FormSpec(
        "dossiers/forms/tracking_book.html",
        TrackingBookData,
        "a4-landscape",
        {Profile.TT01_2018: "06", Profile.TT03_2025: "07"},  # renumbered in 2025
        dict.fromkeys(_SAME, "SỔ THEO DÕI HỒ SƠ"),
    ),
}

_LEGAL_BASIS = {
    Profile.TT01_2018: "Thông tư số 01/2018/TT-VPCP",
    Profile.TT03_2025: "Thông tư số 03/2025/TT-VPCP",
}


def render_form_html(kind: FormKind, data: FormData) -> str:
    """The form as a standalone HTML document (no external resources)."""
    spec = FORMS[FormKind(kind)]
    if not isinstance(data, spec.data_type):
        raise TypeError(f"{kind} needs {spec.data_type.__name__}, got {type(data).__name__}")
    if data.profile not in spec.numbers:
        raise ValueError(f"{kind} does not exist under {data.profile}")
    return render_to_string(spec.template, form_context(spec, data))


def render_form(kind: FormKind, data: FormData) -> bytes:
    """The form as PDF bytes, A5 portrait (the tracking book A4 landscape)."""
    return html_to_pdf(render_form_html(kind, data))


def html_to_pdf(html: str) -> bytes:
    """Render HTML offline (only `data:` URLs load): the documents app's renderer, with form errors."""
    try:
        return offline_html_to_pdf(html)
    except PdfRenderError as exc:
        raise FormRenderError(f"form {exc}") from exc


def form_context(spec: FormSpec, data: FormData) -> dict[str, Any]:
    """Template variables: `d` (the data, presented), `form`, and the code's URL, barcode and QR."""
    profile = data.profile
    context: dict[str, Any] = {
        "d": present(data),
        "form": {
            "number": spec.numbers[profile],
            "title": spec.titles[profile],  # a "\n" marks where a long title should wrap
            "title_line": " ".join(spec.titles[profile].split()),
            "paper": spec.paper,
            "legal_basis": _LEGAL_BASIS[profile],
            "profile": str(profile),
        },
        "date_line": vn_place_date(data.issuer.place, data.issued_at),
        # How the unit names itself in running text: in full first, then by its short name if any.
        "issuer_text": data.issuer.name,
        "issuer_short": data.issuer.short_name or data.issuer.name,
    }
    code = getattr(data, "code", None)
    if code is not None:
        url = tracking_url(data.base_url, code)
        context["tracking_url"] = url
        context["barcode_uri"] = svg_data_uri(code128_svg(code))
        context["qr_uri"] = svg_data_uri(qr_svg(url))
    applicant = getattr(data, "applicant", None)
    if applicant is not None:
        context["applicant_signer"] = present(Signer(role="NGƯỜI NỘP HỒ SƠ", name=applicant.name))
    if isinstance(data, ControlSlipData):
        context["handover_steps"] = [present(s) for s in data.steps if s.phase == StepPhase.HANDOVER]
        context["result_steps"] = [present(s) for s in data.steps if s.phase == StepPhase.RESULT]
    if isinstance(data, TrackingBookData):
        context["rows"] = [_tracking_row(row, data) for row in data.rows]
        context["column_numbers"] = range(1, 15)
    return context


def _tracking_row(row: TrackingRow, book: TrackingBookData) -> dict[str, Any]:
    presented = present(row)
    # A narrow column: let the code wrap after its hyphens (UAX 14 forbids a break before digits).
    presented["code_wrappable"] = row.code.replace("-", "-\u200b")
    # The five "Ngày, tháng, năm" columns, in the book's order.
    presented["times"] = [
        presented[name] for name in ("received_at", "due_at", "transferred_at", "result_received_at", "returned_at")
    ]
    if book.row_qr:
        presented["qr_uri"] = svg_data_uri(qr_svg(tracking_url(book.base_url, row.code), border=1))
    return presented


def present(value: Any) -> Any:
    """Data as templates print it: dataclasses → dicts, datetimes → `VnDateTime`, tuples → lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: present(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, datetime):
        return VnDateTime(value)
    if isinstance(value, tuple | list):
        return [present(v) for v in value]
    return value

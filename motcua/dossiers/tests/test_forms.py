"""The legal forms print as real PDFs: right paper, Vietnamese text intact, code as text/barcode/QR."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import segno

from motcua.dossiers.forms import (
    ApologyData,
    ComponentLine,
    ControlSlipData,
    ControlStep,
    FormKind,
    FormRenderError,
    Issuer,
    Party,
    Profile,
    ReceiptData,
    RefusalData,
    Signer,
    StepPhase,
    StopNoticeData,
    StopReason,
    SupplementRequestData,
    Timeliness,
    TrackingBookData,
    TrackingRow,
    profile_for,
    render_form,
    render_form_html,
)
from motcua.dossiers.forms.barcodes import (
    code128_checksum,
    code128_modules,
    code128_svg,
    code128_values,
    qr_code,
    qr_svg,
    tracking_url,
)
from motcua.dossiers.forms.dates import vn_date, vn_datetime, vn_place_date, vn_short_date, vn_short_datetime
from motcua.dossiers.forms.render import html_to_pdf

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CODE = "000.00.06.H56-231027-0361"
BASE_URL = "https://dichvucong.example.gov.vn"
APPLICANT = Party(
    name="Nguyễn Thị Hằng",
    address="Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa",
    phone="0912 345 678",
    email="hang.nguyen@example.vn",
    id_number="038187000123",
)
PROCEDURE = "Đăng ký khai sinh có yếu tố nước ngoài"
ISSUER = Issuer(
    name="Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
    parent_name="Văn phòng Ủy ban nhân dân tỉnh Thanh Hóa",
    place="Thanh Hóa",
    short_name="Trung tâm",
)
RECEIVED = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 08:30 in Vietnam
DUE = datetime(2026, 3, 23, 10, 0, tzinfo=UTC)  # 17:00 in Vietnam
COMPONENTS = (
    ComponentLine("Tờ khai đăng ký khai sinh theo mẫu", originals=1),
    ComponentLine("Giấy chứng sinh", originals=1),
    ComponentLine("Hộ chiếu hoặc giấy tờ đi lại quốc tế của người mẹ", certified_copies=1, photocopies=1),
)
OFFICER = Signer(role="NGƯỜI TIẾP NHẬN HỒ SƠ", name="Phạm Văn Thuận")


def receipt(**changes) -> ReceiptData:
    data = ReceiptData(
        issuer=ISSUER,
        base_url=BASE_URL,
        code=CODE,
        issued_at=RECEIVED,
        applicant=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        due_at=DUE,
        processing_time="15 ngày làm việc",
        receiver=OFFICER,
        components=COMPONENTS,
        return_place="Quầy số 5, Trung tâm Phục vụ hành chính công tỉnh",
        fees="Không",
        ledger_book="01/2026",
        ledger_number="0361",
        document_number="0361/TNHS",
    )
    return replace(data, **changes)


def supplement_request() -> SupplementRequestData:
    return SupplementRequestData(
        issuer=ISSUER,
        base_url=BASE_URL,
        code=CODE,
        issued_at=RECEIVED + timedelta(days=2),
        applicant=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        items=(
            ComponentLine("Giấy chứng sinh", originals=1, note="Bản đã nộp bị mờ, không đọc được số hiệu"),
            ComponentLine("Văn bản ủy quyền có chứng thực", certified_copies=1),
        ),
        reason="Hồ sơ chưa đủ thành phần theo quy định; giấy tờ đã nộp không rõ nội dung.",
        guide=Signer(role="NGƯỜI HƯỚNG DẪN", name="Lê Thị Thu Hà"),
        help_contact="Trung tâm Phục vụ hành chính công tỉnh, điện thoại 0237 3 900 900",
        document_number="12/HDHS",
    )


def refusal() -> RefusalData:
    return RefusalData(
        issuer=ISSUER,
        base_url=BASE_URL,
        code=CODE,
        issued_at=RECEIVED,
        applicant=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        reason="Việc đăng ký khai sinh không thuộc thẩm quyền giải quyết của cơ quan đã chọn.",
        receiver=OFFICER,
        help_contact="điện thoại 0237 3 900 900",
    )


def apology(profile: Profile = Profile.TT03_2025) -> ApologyData:
    return ApologyData(
        issuer=ISSUER,
        base_url=BASE_URL,
        code=CODE,
        issued_at=DUE - timedelta(days=2),
        recipient=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        original_due_at=DUE,
        new_due_at=DUE + timedelta(days=3),
        reason="Cần xác minh thông tin về quốc tịch của người mẹ với cơ quan có thẩm quyền.",
        lead_unit_name="Sở Tư pháp tỉnh Thanh Hóa",
        return_place="Trung tâm Phục vụ hành chính công tỉnh",
        signer=Signer(role="GIÁM ĐỐC", name="Nguyễn Đức Trung", hint="(Ký, ghi rõ họ tên và đóng dấu)"),
        document_number="45/TTPVHCC-HCTH",
        distribution=("Như trên;", "Sở Tư pháp (để biết);", "Lưu: VT, HCTH."),
        profile=profile,
    )


def stop_notice(reason: StopReason = StopReason.APPLICANT_REQUEST) -> StopNoticeData:
    return StopNoticeData(
        issuer=ISSUER,
        base_url=BASE_URL,
        code=CODE,
        issued_at=RECEIVED + timedelta(days=5),
        recipient=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        requested_at=RECEIVED + timedelta(days=4, hours=2),
        supplement_requested_at=RECEIVED + timedelta(days=2),
        stopped_at=RECEIVED + timedelta(days=5),
        reason=reason,
        detail="Ông/Bà đề nghị dừng để bổ sung giấy tờ của người cha.",
        paper_and_fees="hồ sơ giấy được trả tại Quầy số 5; lệ phí đã nộp được hoàn trả theo quy định",
        signer=Signer(role="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", name="Trần Minh Đức", hint="(Ký, ghi rõ họ tên và đóng dấu)"),
        document_number="07/TB-TTPVHCC",
    )


def control_slip(profile: Profile = Profile.TT03_2025) -> ControlSlipData:
    counter = "Trung tâm Phục vụ hành chính công"
    justice = "Phòng Hộ tịch, Sở Tư pháp"
    return ControlSlipData(
        issuer=ISSUER,
        base_url=BASE_URL,
        code=CODE,
        issued_at=RECEIVED,
        applicant=APPLICANT,
        procedure_name=PROCEDURE,
        received_at=RECEIVED,
        due_at=DUE,
        processing_time="15 ngày làm việc",
        lead_unit_name="Sở Tư pháp tỉnh Thanh Hóa",
        coordinating_units=("Công an tỉnh Thanh Hóa",),
        steps=(
            ControlStep(
                StepPhase.HANDOVER,
                counter,
                justice,
                "Phạm Văn Thuận",
                "Hoàng Anh Tú",
                RECEIVED + timedelta(hours=3),
                Timeliness.ON_TIME,
                sender_signed=True,
                receiver_signed=True,
            ),
            ControlStep(
                StepPhase.HANDOVER,
                justice,
                "Lãnh đạo Sở Tư pháp",
                "Hoàng Anh Tú",
                "Đỗ Quang Huy",
                RECEIVED + timedelta(days=8),
                Timeliness.EARLY,
                note="Trình ký",
            ),
            ControlStep(
                StepPhase.RESULT,
                "Sở Tư pháp",
                counter,
                "Hoàng Anh Tú",
                "Phạm Văn Thuận",
                RECEIVED + timedelta(days=15),
                Timeliness.LATE,
                note="Chậm 1 ngày",
            ),
        ),
        profile=profile,
    )


def tracking_book(rows: int = 30) -> TrackingBookData:
    names = ("Nguyễn Thị Hằng", "Trần Văn Đức", "Lê Hoàng Yến", "Công ty TNHH Ánh Dương")
    return TrackingBookData(
        issuer=ISSUER,
        base_url=BASE_URL,
        issued_at=RECEIVED,
        year=2026,
        book_number="01",
        period="Từ ngày 01/3/2026 đến ngày 31/3/2026",
        rows=tuple(
            TrackingRow(
                seq=361 + i,
                code=f"000.00.06.H56-260302-{361 + i:04d}",
                procedure_name=PROCEDURE if i % 2 else "Cấp phiếu lý lịch tư pháp cho công dân Việt Nam",
                applicant_name=names[i % len(names)],
                address="Phường Hạc Thành, tỉnh Thanh Hóa",
                phone="0912 345 678",
                lead_unit_name="Sở Tư pháp",
                received_at=RECEIVED + timedelta(minutes=7 * i),
                due_at=DUE,
                transferred_at=RECEIVED + timedelta(hours=3),
                result_received_at=DUE - timedelta(days=1) if i % 3 == 0 else None,
                returned_at=DUE if i % 3 == 0 else None,
                collected_by=names[i % len(names)] if i % 3 == 0 else "",
            )
            for i in range(rows)
        ),
        keeper=Signer(role="NGƯỜI LẬP SỔ", name="Phạm Văn Thuận"),
    )


SAMPLES = {
    FormKind.RECEIPT: receipt,
    FormKind.SUPPLEMENT_REQUEST: supplement_request,
    FormKind.REFUSAL: refusal,
    FormKind.APOLOGY: apology,
    FormKind.CONTROL_SLIP: control_slip,
    FormKind.STOP_NOTICE: stop_notice,
    FormKind.TRACKING_BOOK: tracking_book,
}
TITLES = {
    FormKind.RECEIPT: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    FormKind.SUPPLEMENT_REQUEST: "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    FormKind.REFUSAL: "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    FormKind.APOLOGY: "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    FormKind.CONTROL_SLIP: "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    FormKind.STOP_NOTICE: "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    FormKind.TRACKING_BOOK: "SỔ THEO DÕI HỒ SƠ",
}
A5 = (419.53, 595.28)
A4_LANDSCAPE = (841.89, 595.28)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (Debian package poppler-utils / zbar-tools)")
    return path


def _run(*args: str | Path) -> str:
    return subprocess.run([str(a) for a in args], check=True, capture_output=True, text=True).stdout  # noqa: S603


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[FormKind, Path]:
    """Each form rendered once for the module (WeasyPrint takes ~0.3 s a page)."""
    out = tmp_path_factory.mktemp("forms")
    paths = {}
    for kind, sample in SAMPLES.items():
        path = out / f"{kind}.pdf"
        path.write_bytes(render_form(kind, sample()))
        paths[kind] = path
    return paths


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    info = _run(_tool("pdfinfo"), "-f", "1", "-l", "99", pdf)
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            w, _, h = line.split("size:")[1].split()[:3]
            sizes.append((float(w), float(h)))
    return sizes


def _text(pdf: Path) -> str:
    return _run(_tool("pdftotext"), "-enc", "UTF-8", pdf, "-")


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- PDFs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(FormKind))
def test_each_form_is_a_pdf_on_its_legal_paper_size(pdfs, kind):
    assert pdfs[kind].read_bytes().startswith(b"%PDF-")

    sizes = _page_sizes(pdfs[kind])

    expected = A4_LANDSCAPE if kind == FormKind.TRACKING_BOOK else A5
    assert sizes
    for width, height in sizes:
        assert width == pytest.approx(expected[0], abs=0.1)
        assert height == pytest.approx(expected[1], abs=0.1)


@pytest.mark.parametrize("kind", list(FormKind))
def test_each_form_prints_the_vietnamese_text_intact(pdfs, kind):
    text = _flat(_text(pdfs[kind]))

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH THANH HÓA" in text
    assert TITLES[kind] in text
    assert "Nguyễn Thị Hằng" in text
    if kind == FormKind.TRACKING_BOOK:
        # The code wraps after "H56-" in its narrow column, and pdftotext joins the hyphenated lines.
        assert "260302-0361" in text
        assert "Năm 2026 – Quyển số: 01" in text
    else:
        assert CODE in text
        assert PROCEDURE in text
        assert "Thanh Hóa, ngày" in text


def test_receipt_prints_times_components_and_both_signatures(pdfs):
    text = _flat(_text(pdfs[FormKind.RECEIPT]))

    assert "Mẫu số 01" in text
    assert "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 02 tháng 3 năm 2026." in text
    assert "5. Thời gian trả kết quả giải quyết hồ sơ: 17 giờ 00 phút, ngày 23 tháng 3 năm 2026." in text
    assert "Thanh Hóa, ngày 02 tháng 3 năm 2026" in text
    assert "Hộ chiếu hoặc giấy tờ đi lại quốc tế của người mẹ" in text
    assert "2. Số lượng hồ sơ: 01 bộ." in text
    assert "NGƯỜI NỘP HỒ SƠ" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text
    assert "Phạm Văn Thuận" in text
    assert f"{BASE_URL}/tra-cuu/{CODE}" in text


def test_control_slip_is_numbered_06_in_2025_and_05_in_2018():
    html_2025 = render_form_html(FormKind.CONTROL_SLIP, control_slip(Profile.TT03_2025))
    html_2018 = render_form_html(FormKind.CONTROL_SLIP, control_slip(Profile.TT01_2018))

    assert "Mẫu số 06" in html_2025
    assert "Mẫu số 05" in html_2018


def test_control_slip_prints_each_handover_with_its_outcome(pdfs):
    text = _flat(_text(pdfs[FormKind.CONTROL_SLIP]))

    assert "I. GIAO, NHẬN HỒ SƠ" in text
    assert "II. GIAO, NHẬN KẾT QUẢ" in text
    assert "Hoàng Anh Tú" in text
    for label in ("Đúng hạn", "Trước hạn", "Quá hạn"):
        assert label in text


def test_apology_is_named_per_profile():
    html_2018 = render_form_html(FormKind.APOLOGY, apology(Profile.TT01_2018))
    html_2025 = render_form_html(FormKind.APOLOGY, apology(Profile.TT03_2025))

    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in html_2018
    assert "hẹn lại thời gian trả kết quả giải quyết hồ sơ vào" in html_2018
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in html_2025
    assert "đề nghị gia hạn thời gian giải quyết hồ sơ" in html_2025


def test_stop_notice_cites_the_article_that_stops_the_dossier():
    on_request = render_form_html(FormKind.STOP_NOTICE, stop_notice(StopReason.APPLICANT_REQUEST))
    closed = render_form_html(FormKind.STOP_NOTICE, stop_notice(StopReason.SUPPLEMENT_NOT_RECEIVED))

    assert "Căn cứ Điều 21 Nghị định số 118/2025/NĐ-CP" in on_request
    assert "Mẫu số 05" in on_request
    assert "Căn cứ khoản 5 Điều 19 Nghị định số 118/2025/NĐ-CP" in closed
    assert "Đã quá 15 ngày" in closed


def test_stop_notice_does_not_exist_in_the_2018_profile():
    with pytest.raises(ValueError, match="does not exist"):
        render_form_html(FormKind.STOP_NOTICE, replace(stop_notice(), profile=Profile.TT01_2018))


def test_wrong_data_for_a_form_is_refused():
    with pytest.raises(TypeError, match="ReceiptData"):
        render_form_html(FormKind.RECEIPT, refusal())


def test_user_text_is_escaped_in_the_html():
    html = render_form_html(FormKind.RECEIPT, receipt(applicant=replace(APPLICANT, name="<b>X</b> & Y")))

    assert "&lt;b&gt;X&lt;/b&gt; &amp; Y" in html
    assert "<b>X</b>" not in html


def test_tracking_book_runs_over_pages_with_its_header_repeated(pdfs):
    pages = _run(_tool("pdftotext"), "-enc", "UTF-8", "-f", "2", "-l", "2", pdfs[FormKind.TRACKING_BOOK], "-")

    assert len(_page_sizes(pdfs[FormKind.TRACKING_BOOK])) >= 2
    assert "Mã hồ sơ" in pages  # the table header repeats on each page
    assert "Trang 2/" in pages
    assert "Mã hồ sơ ·" not in pages  # the A5 forms' running footer stays off the book


def test_the_renderer_fetches_nothing_from_the_network():
    html = '<html><body><img src="https://example.com/logo.png"><p>x</p></body></html>'

    with pytest.raises(FormRenderError, match="external resource"):
        html_to_pdf(html)


def test_forms_embed_no_external_url(pdfs):
    for kind, sample in SAMPLES.items():
        html = render_form_html(kind, sample())
        assert 'src="http' not in html
        assert "<link" not in html


def test_text_uses_one_serif_family_so_no_glyph_fell_back(pdfs):
    """Liberation Serif 1.x has no Vietnamese letters: Pango would borrow DejaVu for 'ằ', 'ễ'…"""
    listing = _run(_tool("pdffonts"), pdfs[FormKind.RECEIPT]).splitlines()[2:]  # after the table head
    fonts = {line.split()[0].split("+")[-1] for line in listing if line.strip()}  # drop the subset tag

    assert fonts
    assert all(font.startswith(("Liberation-Serif", "LiberationSerif", "TimesNewRoman", "Tinos")) for font in fonts), (
        fonts
    )


# -- pixels: the page is drawn, and the codes decode ------------------------------------------


def _gray_pixels(pdf: Path, tmp_path: Path, dpi: int = 100) -> tuple[int, int, bytes]:
    """Page 1 as 8-bit gray (PGM from pdftoppm): width, height, pixels."""
    prefix = tmp_path / "page"
    _run(_tool("pdftoppm"), "-gray", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", pdf, prefix)
    raw = (tmp_path / "page.pgm").read_bytes()
    fields = raw.split(maxsplit=4)  # P5, width, height, maxval, pixels
    assert fields[0] == b"P5"
    return int(fields[1]), int(fields[2]), fields[4]


@pytest.mark.parametrize("kind", list(FormKind))
def test_page_one_is_drawn(pdfs, kind, tmp_path):
    width, height, pixels = _gray_pixels(pdfs[kind], tmp_path)

    dark = sum(1 for p in pixels if p < 96)
    assert width * height == len(pixels)
    assert dark > 0.01 * len(pixels)  # text, rules, barcode and QR: well above 1 % ink


@pytest.mark.parametrize("kind", [k for k in FormKind if k != FormKind.TRACKING_BOOK])
def test_barcode_and_qr_on_the_printed_form_decode(pdfs, tmp_path, kind):
    zbarimg = _tool("zbarimg")
    _gray_pixels(pdfs[kind], tmp_path, dpi=300)

    decoded = _run(zbarimg, "--quiet", tmp_path / "page.pgm").splitlines()

    assert f"QR-Code:{BASE_URL}/tra-cuu/{CODE}" in decoded
    assert f"CODE-128:{CODE}" in decoded


def test_each_row_of_the_tracking_book_has_a_readable_qr(pdfs, tmp_path):
    zbarimg = _tool("zbarimg")
    _gray_pixels(pdfs[FormKind.TRACKING_BOOK], tmp_path, dpi=300)

    decoded = set(_run(zbarimg, "--quiet", tmp_path / "page.pgm").splitlines())

    first_page = {f"QR-Code:{BASE_URL}/tra-cuu/000.00.06.H56-260302-{seq:04d}" for seq in range(361, 371)}
    assert first_page <= decoded


# -- barcodes ---------------------------------------------------------------------------------


def test_code128_checksum_of_known_strings():
    # ABC-123: 104 + 1·33 + 2·34 + 3·35 + 4·13 + 5·17 + 6·18 + 7·19 = 688; 688 mod 103 = 70.
    assert code128_checksum("ABC-123") == 70
    # The example dossier code: 104 + Σ i·(ord(c) − 32) = 6124; 6124 mod 103 = 47 ('O').
    assert code128_checksum(CODE) == 47


def test_code128_symbol_structure():
    values = code128_values("ABC-123")

    assert values == [104, 33, 34, 35, 13, 17, 18, 19, 70, 106]
    modules = code128_modules("ABC-123")
    assert len(modules) == 11 * 9 + 13  # start + 7 data + checksum, then the 13-module stop
    assert modules.startswith("11010010000")  # start B: 2 1 1 2 1 4
    assert modules.endswith("1100011101011")  # stop: 2 3 3 1 1 1 2


def test_code128_svg_is_standalone_svg():
    svg = code128_svg(CODE)

    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'viewBox="0 0 330 40"' in svg  # 310 modules + 2 × 10 quiet zone


def test_code128_refuses_text_outside_set_b():
    with pytest.raises(ValueError, match="set B"):
        code128_values("Hằng")
    with pytest.raises(ValueError, match="at least one"):
        code128_values("")


def test_tracking_url_joins_base_and_code():
    assert tracking_url("https://dvc.example.vn/", CODE) == f"https://dvc.example.vn/tra-cuu/{CODE}"
    assert tracking_url("http://127.0.0.1:8000", "A B/C") == "http://127.0.0.1:8000/tra-cuu/A%20B%2FC"


def test_qr_encodes_the_tracking_url():
    url = tracking_url(BASE_URL, CODE)

    assert qr_code(url).matrix == segno.make(url, error="m", micro=False, boost_error=False).matrix
    assert not qr_code(url).is_micro


def test_qr_svg_draws_every_dark_module():
    url = tracking_url(BASE_URL, CODE)
    matrix = qr_code(url).matrix

    svg = qr_svg(url, border=4)

    dark = sum(sum(1 for cell in row if cell) for row in matrix)
    drawn = sum(int(run.split("v1")[0]) for run in svg.split('d="')[1].split('"')[0].split("h")[1:] if "v1" in run)
    assert drawn == dark
    assert f'viewBox="0 0 {len(matrix) + 8} {len(matrix) + 8}"' in svg


# -- Vietnamese dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 2, 8, 30, tzinfo=VN), "08 giờ 30 phút, ngày 02 tháng 3 năm 2026"),
        (datetime(2026, 1, 5, 0, 0, tzinfo=VN), "00 giờ 00 phút, ngày 05 tháng 01 năm 2026"),  # midnight
        (datetime(2026, 2, 9, 7, 5, tzinfo=VN), "07 giờ 05 phút, ngày 09 tháng 02 năm 2026"),  # Jan/Feb: 0
        (datetime(2026, 10, 31, 17, 0, tzinfo=VN), "17 giờ 00 phút, ngày 31 tháng 10 năm 2026"),
        (datetime(2026, 3, 1, 17, 0, tzinfo=UTC), "00 giờ 00 phút, ngày 02 tháng 3 năm 2026"),  # UTC+7 next day
        (datetime(2025, 12, 31, 16, 59, tzinfo=UTC), "23 giờ 59 phút, ngày 31 tháng 12 năm 2025"),
        (datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "00 giờ 00 phút, ngày 01 tháng 01 năm 2026"),  # new year
    ],
)
def test_vietnamese_datetime_phrasing(moment, expected):
    assert vn_datetime(moment) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2026, 3, 2), "ngày 02 tháng 3 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 12, 9), "ngày 09 tháng 12 năm 2026"),
    ],
)
def test_vietnamese_date_phrasing(value, expected):
    assert vn_date(value) == expected


def test_place_date_line_and_short_forms():
    moment = datetime(2026, 3, 1, 23, 15, tzinfo=UTC)  # 06:15 on 2 March in Vietnam

    assert vn_place_date("Thanh Hóa", moment) == "Thanh Hóa, ngày 02 tháng 3 năm 2026"
    assert vn_place_date("", moment) == "Ngày 02 tháng 3 năm 2026"
    assert vn_short_date(moment) == "02/03/2026"
    assert vn_short_datetime(moment) == "06:15 02/03/2026"


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="naive"):
        vn_datetime(datetime(2026, 3, 2, 8, 30))


def test_a_form_with_a_naive_datetime_is_refused():
    with pytest.raises(ValueError, match="naive"):
        render_form_html(FormKind.RECEIPT, receipt(due_at=datetime(2026, 3, 23, 17, 0)))


@pytest.mark.parametrize(
    ("accepted_at", "profile"),
    [
        (datetime(2025, 6, 30, 23, 59, tzinfo=VN), Profile.TT01_2018),
        (datetime(2025, 7, 1, 0, 0, tzinfo=VN), Profile.TT03_2025),
        (datetime(2025, 6, 30, 17, 0, tzinfo=UTC), Profile.TT03_2025),  # already 1 July in Vietnam
    ],
)
def test_profile_follows_the_acceptance_day_in_vietnam(accepted_at, profile):
    assert profile_for(accepted_at) == profile

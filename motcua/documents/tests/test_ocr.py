"""Digitization (OCR): scans in, one searchable PDF with Vietnamese text, thumbnails; bad pages do not sink the rest.

The scans are drawn here with Pillow at 300 dpi instead of being committed as binaries. Tests that
need the real tesseract (with `vie`) skip when it is not installed; the failure paths use a fake
`tesseract` on PATH.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from motcua.documents.ocr import THUMBNAIL_WIDTH, DigitizationResult, OcrUnavailable, PageResult, digitize

# Fonts with Vietnamese glyphs. Debian's fonts-liberation (1.07, in .../liberation/) has none:
# it draws "CỘNG" as "C□NG"; fonts-liberation2 does.
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
]
FONT = next((path for path in FONT_CANDIDATES if Path(path).exists()), None)
DPI = 300
A4 = (2480, 3508)  # pixels at 300 dpi
BIRTH_CERTIFICATE = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "",
    "GIẤY KHAI SINH",
    "Giấy khai sinh bản chính",
    "Họ và tên: Nguyễn Văn An",
    "Nơi sinh: Bệnh viện Đa khoa tỉnh Quảng Ngãi",
]


def _tesseract_has_vie() -> bool:
    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)  # noqa: S603
    return "vie" in listed.stdout.split()


needs_tesseract = pytest.mark.skipif(
    not _tesseract_has_vie() or FONT is None,
    reason="needs tesseract with Vietnamese data (scripts/install-system-deps.sh) and a Vietnamese font",
)


def _scan(lines: list[str], size: tuple[int, int] = (2480, 420), font_size: int = 50) -> Image.Image:
    """A clean grey 'scan' of `lines` at 300 dpi (50 px ≈ 12 pt, the size of an official form)."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT or "", font_size)
    for row, line in enumerate(lines):
        draw.text((200, 150 + row * font_size * 2), line, font=font, fill=0)
    return image


def _encode(image: Image.Image, format: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    return _encode(image, "PNG", dpi=(DPI, DPI))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext") or "/usr/bin/pdftotext"
    completed = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True)  # noqa: S603
    return _nfc(completed.stdout)


def _fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str) -> None:
    """Put a `tesseract` on PATH that lists `vie` and then does `behaviour` instead of OCR."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then echo "List of available languages in /fake (1):"; echo vie; exit 0; fi\n'
        f"{behaviour}\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")


@pytest.mark.slow
@needs_tesseract
def test_a4_vietnamese_scan_becomes_a_searchable_pdf_with_diacritics(tmp_path):
    scan = _scan(BIRTH_CERTIFICATE, size=A4, font_size=54)

    result = digitize([("khai-sinh.png", _png(scan))])

    assert result.failed_pages == []
    [page] = result.pages
    for expected in ("CỘNG HÒA", "VIỆT NAM", "khai sinh", "Nguyễn", "Quảng Ngãi"):  # key words, NFC
        assert expected in page.text
    assert page.text == _nfc(page.text)
    assert result.pdf is not None
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 1
    searchable = _pdf_text(result.pdf, tmp_path)
    assert "Nguyễn" in searchable
    assert "khai sinh" in searchable
    assert page.thumbnail_png is not None
    assert Image.open(io.BytesIO(page.thumbnail_png)).size == (THUMBNAIL_WIDTH, round(A4[1] * THUMBNAIL_WIDTH / A4[0]))


@pytest.mark.slow
@needs_tesseract
def test_corrupt_file_fails_alone_and_the_good_pages_are_kept(tmp_path):
    first = _png(_scan(["Họ và tên: Nguyễn Văn An"]))
    second = _encode(_scan(["Giấy khai sinh"]).convert("RGB"), "JPEG", quality=90, dpi=(DPI, DPI))
    calls: list[tuple[int, int]] = []

    result = digitize(
        [("to-khai.png", first), ("hong.jpg", b"\xff\xd8 not really a jpeg"), ("khai-sinh.jpg", second)],
        progress=lambda done, total: calls.append((done, total)),
    )

    assert result.failed_pages == [1]
    assert [page.index for page in result.pages] == [0, 1, 2]
    assert "Nguyễn" in result.pages[0].text
    assert "khai sinh" in result.pages[2].text
    broken = result.pages[1]
    assert broken.text == ""
    assert broken.thumbnail_png is None
    assert broken.error is not None
    assert "hong.jpg" in broken.error
    assert result.pdf is not None
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 2  # the undecodable file has no image to keep
    assert calls == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.slow
@needs_tesseract
def test_scanned_pdf_is_rasterized_and_ocred_page_by_page(tmp_path):
    first, second = _scan(["Họ và tên: Nguyễn Văn An"]), _scan(["Giấy khai sinh"])
    scanned = _encode(first, "PDF", resolution=float(DPI), save_all=True, append_images=[second])

    result = digitize([("scan.pdf", scanned)])

    assert result.failed_pages == []
    assert len(result.pages) == 2
    assert "Nguyễn" in result.pages[0].text
    assert "khai sinh" in result.pages[1].text
    assert result.text == f"{result.pages[0].text}\f{result.pages[1].text}"
    assert result.pdf is not None
    assert "Nguyễn" in _pdf_text(result.pdf, tmp_path)


@pytest.mark.slow
@needs_tesseract
def test_multipage_tiff_gives_one_page_per_frame():
    frames = [_scan(["Nơi sinh: Quảng Ngãi"]).convert("1"), _scan(["Họ và tên: Nguyễn Văn An"])]
    tiff = _encode(frames[0], "TIFF", save_all=True, append_images=frames[1:], dpi=(DPI, DPI))

    result = digitize([("ho-so.tif", tiff)])

    assert result.failed_pages == []
    assert "Quảng Ngãi" in result.pages[0].text
    assert "Nguyễn" in result.pages[1].text


@needs_tesseract
def test_photo_without_a_credible_dpi_gets_a_paper_sized_pdf_page():
    photo = _encode(_scan([], size=A4).convert("RGB"), "JPEG", dpi=(72, 72))  # what phones declare

    result = digitize([("anh-chup.jpg", photo)])

    assert result.pdf is not None
    box = PdfReader(io.BytesIO(result.pdf)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.3, 841.9), abs=1)  # A4 in points


def test_page_that_times_out_stays_in_the_pdf_without_text(tmp_path, monkeypatch):
    _fake_tesseract(tmp_path, monkeypatch, "exec sleep 30")

    result = digitize([("cham.png", _png(Image.new("L", (600, 200), 255)))], timeout_per_page=1)

    [page] = result.pages
    assert result.failed_pages == [0]
    assert page.error is not None
    assert "timed out" in page.error
    assert page.thumbnail_png is not None
    assert result.pdf is not None
    assert len(PdfReader(io.BytesIO(result.pdf)).pages) == 1


def test_tesseract_error_is_reported_with_its_message(tmp_path, monkeypatch):
    _fake_tesseract(tmp_path, monkeypatch, 'echo "Error in pixReadStream: boom" >&2; exit 1')
    image = _png(Image.new("L", (600, 200), 255))

    result = digitize([("a.png", image), ("b.png", image)])

    assert result.failed_pages == [0, 1]
    assert all("boom" in (page.error or "") for page in result.pages)
    assert result.pdf is not None


def test_missing_tesseract_raises_ocr_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(OcrUnavailable, match="tesseract is not installed"):
        digitize([("a.png", b"")])


def test_missing_language_data_raises_ocr_unavailable(tmp_path, monkeypatch):
    _fake_tesseract(tmp_path, monkeypatch, "exit 1")

    with pytest.raises(OcrUnavailable, match="tesseract-ocr-eng"):
        digitize([("a.png", b"")], language="vie+eng")


def test_no_sources_gives_an_empty_result(tmp_path, monkeypatch):
    _fake_tesseract(tmp_path, monkeypatch, "exit 1")

    assert digitize([]) == DigitizationResult(pdf=None, pages=[], failed_pages=[])


def test_text_joins_pages_with_form_feeds():
    pages = [PageResult(0, "một", None, None), PageResult(1, "", None, "hỏng"), PageResult(2, "ba", None, None)]

    assert DigitizationResult(pdf=None, pages=pages, failed_pages=[1]).text == "một\f\fba"

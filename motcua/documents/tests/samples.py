"""Sample files for the documents tests: good ones, and the malicious ones uploads must refuse."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def pdf_bytes(pages: int = 1, text: str = "Giay chung nhan") -> bytes:
    """A plain A4 PDF with a line of text on each page."""
    writer = PdfWriter()
    for number in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        content = DecodedStreamObject()
        content.set_data(f"BT /F1 14 Tf 72 760 Td ({text} {number + 1}) Tj ET".encode())
        page[NameObject("/Contents")] = writer._add_object(content)
        page[NameObject("/Resources")] = _helvetica()
    return _written(writer)


def _helvetica() -> DictionaryObject:
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    return DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_open_action_js() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.add_open_action(JavaScript("app.alert('hi');"))
    return _written(writer)


def pdf_with_attachment() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    return _written(writer)


def pdf_encrypted() -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_bytes()))
    writer.encrypt(user_password="secret", owner_password="owner")
    return _written(writer)


def handwritten_pdf(*bodies: bytes) -> bytes:
    """A PDF from raw object bodies (object 1 is the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] %s >>"


def pdf_with_js_name_tree() -> bytes:
    """Document-level JavaScript in the /Names tree, hidden behind a #-escaped name (/J#61vaScript)."""
    return handwritten_pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Names << /J#61vaScript 4 0 R >> >>",
        _PAGES,
        _PAGE % b"",
        b"<< /Names [(x) 5 0 R] >>",
        b"<< /S /JavaScript /JS (app.launchURL('http://example.invalid');) >>",
    )


def pdf_with_page_additional_action_js() -> bytes:
    return handwritten_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _PAGES,
        _PAGE % b"/AA << /O 4 0 R >>",
        b"<< /S /JavaScript /JS 5 0 R >>",
        b"<< /Length 4 >>\nstream\nvoid\nendstream",
    )


def pdf_with_file_attachment_annotation() -> bytes:
    return handwritten_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _PAGES,
        _PAGE % b"/Annots [4 0 R]",
        b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS (a.txt) >>",
    )


def pdf_flate_bomb(decoded_bytes: int) -> bytes:
    """A page whose content stream inflates to `decoded_bytes` from a few kilobytes."""
    packed = zlib.compress(b" " * decoded_bytes, 9)
    return handwritten_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _PAGES,
        _PAGE % b"/Contents 4 0 R",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    )


def pdf_huge_image_xobject() -> bytes:
    """An image XObject that declares 50 000 × 50 000 pixels (decoding it would need 7.5 GB)."""
    return handwritten_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        _PAGES,
        _PAGE % b"/Resources << /XObject << /Im1 4 0 R >> >>",
        b"<< /Type /XObject /Subtype /Image /Width 50000 /Height 50000 /ColorSpace /DeviceRGB"
        b" /BitsPerComponent 8 /Filter /DCTDecode /Length 2 >>\nstream\n\xff\xd8\nendstream",
    )


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 30), frames: int = 1) -> bytes:
    images = [Image.new("RGB", size, (index * 40 % 256, 120, 200)) for index in range(frames)]
    out = io.BytesIO()
    images[0].save(out, format=kind, save_all=frames > 1, append_images=images[1:])
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares width × height in its header and carries no pixel data at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


# --- scans for digitization tests -----------------------------------------------------------------

# Fonts with Vietnamese glyphs (Debian's fonts-liberation 1.x has none; fonts-liberation2 does).
SCAN_FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def scan_font() -> str | None:
    from pathlib import Path

    return next((path for path in SCAN_FONTS if Path(path).exists()), None)


def tesseract_has_vie() -> bool:
    import shutil
    import subprocess

    tesseract = shutil.which("tesseract")
    if tesseract is None:
        return False
    listed = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, check=False)  # noqa: S603
    return "vie" in listed.stdout.split()


def scan_png(lines: list[str], size: tuple[int, int] = (2480, 420), font_size: int = 50) -> bytes:
    """A clean grey 'scan' of `lines` at 300 dpi (50 px ≈ 12 pt), as PNG."""
    from PIL import ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(scan_font() or "", font_size)
    for row, line in enumerate(lines):
        draw.text((200, 150 + row * font_size * 2), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def truncated_jpeg() -> bytes:
    """A JPEG whose header is sound (uploads accept it) but whose pixel data stops half-way."""
    image = Image.new("RGB", (600, 400), (250, 250, 250))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, dpi=(300, 300))
    data = out.getvalue()
    return data[: len(data) // 2]

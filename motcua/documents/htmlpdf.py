"""HTML → PDF for the whole project (results, certification stamps, legal forms, reports), offline.

The one offline renderer: the legal forms of `motcua.dossiers.forms` and the II.06a report call it
too. WeasyPrint may fetch nothing but `data:` URLs, and Vietnamese official text is set in
Times New Roman, for which Debian's metric-compatible Liberation Serif 2 stands in (the templates'
CSS names both). Dates are phrased as Decree 30/2020 Annex I writes them.
"""

from __future__ import annotations

from datetime import date, datetime

import segno
from PIL import ImageFile

from motcua.core.clock import VIETNAM


class PdfRenderError(RuntimeError):
    """The PDF could not be produced (e.g. a template asked for an external resource)."""


def html_to_pdf(html: str) -> bytes:
    """Render HTML offline: a reference to anything but a `data:` URL stops the rendering."""
    # Imported here: WeasyPrint loads Pango through cffi, which only the PDF path needs.
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    strict_image_decoding()
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True, allow_redirects=False)
    try:
        pdf = HTML(string=html, base_url="data:,", url_fetcher=fetcher).write_pdf()
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: turn it into an error
        raise PdfRenderError(f"template refers to an external resource: {exc}") from exc
    if pdf is None:  # pragma: no cover - write_pdf returns bytes when no target is given
        raise PdfRenderError("WeasyPrint returned no PDF")
    return pdf


def strict_image_decoding() -> None:
    """Make Pillow refuse truncated images again, process-wide (its default).

    Importing WeasyPrint sets `PIL.ImageFile.LOAD_TRUNCATED_IMAGES = True` for the whole process; a
    half-transferred scan would then be decoded with its missing part grey and OCRed as if whole,
    instead of being reported as a failed page. Our templates load no raster images, so nothing of
    ours needs the flag. Called after WeasyPrint is imported and before digitizing.
    """
    ImageFile.LOAD_TRUNCATED_IMAGES = False


def qr_data_uri(content: str) -> str:
    """A full QR symbol (never Micro QR, which phone cameras do not read), level M, as an SVG data: URL."""
    return segno.make_qr(content, error="m", boost_error=False).svg_data_uri(border=4)


def vn_date(value: date | datetime) -> str:
    """'ngày 02 tháng 3 năm 2026': a zero before days under 10 and months 1 and 2 only."""
    day = value.astimezone(VIETNAM).date() if isinstance(value, datetime) else value
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_place_date(place: str, value: date | datetime) -> str:
    """The date line under the national motto: 'Hòa Bình, ngày 02 tháng 3 năm 2026'."""
    text = vn_date(value)
    return f"{place}, {text}" if place else "N" + text[1:]

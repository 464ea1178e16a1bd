"""Digitization: scans (PDF or images) → one searchable PDF with Vietnamese OCR, the text per page, thumbnails.

A library, not a service: bytes in, bytes out, no models and no storage. The background task that
digitizes a dossier component calls `digitize()` and stores what it returns (SPEC §3.5).

Every page is handled on its own: a page that cannot be decoded, that tesseract rejects or that
takes too long is reported in `failed_pages` with its error and the others carry on. A page whose
image could be decoded but not OCRed stays in the PDF as a plain image, so the digitized copy is
complete even when part of it is not searchable. A page is in the output PDF exactly when its
`thumbnail_png` is set (an undecodable file gives no image to put there).

Tools: the `tesseract` binary with the requested language data, and poppler's `pdfinfo` and
`pdftoppm` for PDF scans. They run as subprocesses in a private temporary directory per call.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter

THUMBNAIL_WIDTH: Final = 200
# One OpenMP thread per tesseract process: with its default threading tesseract is 5-7x slower
# on a 2-core machine because the threads fight over the cores (SPEC §5.1, bench/bench_ocr.py).
TESSERACT_ENV: Final = {"OMP_THREAD_LIMIT": "1"}

_LANGUAGE = re.compile(r"[A-Za-z_]+(?:\+[A-Za-z_]+)*")
# Phone photos and some scanners declare 72 or 96 dpi whatever the paper size: treat that as unknown.
_MIN_CREDIBLE_DPI: Final = 100
_MAX_DPI: Final = 2400  # tesseract ignores --dpi above this
_A4_INCHES: Final = (210 / 25.4, 297 / 25.4)
_EXIF_ORIENTATION: Final = 0x0112


class OcrUnavailable(RuntimeError):
    """The OCR tools are not installed (tesseract, its language data, or poppler for PDF scans).

    Permanent until an administrator installs them, so retrying the task does not help.
    """


@dataclass(frozen=True)
class PageResult:
    """One page of the digitized copy, in input order; in the PDF exactly when `thumbnail_png` is set."""

    index: int
    text: str
    thumbnail_png: bytes | None
    error: str | None


@dataclass(frozen=True)
class DigitizationResult:
    """The searchable PDF (None if no page could be decoded), every page's outcome, the failed indexes."""

    pdf: bytes | None
    pages: list[PageResult]
    failed_pages: list[int]

    @property
    def text(self) -> str:
        return "\f".join(page.text for page in self.pages)


@dataclass(frozen=True)
class _PageSource:
    """Where one page comes from: frame `number` (1-based) of an image, or page `number` of a PDF on disk."""

    name: str
    number: int
    image_bytes: bytes | None = None
    pdf_path: Path | None = None
    error: str | None = None  # the whole file was unreadable

    @property
    def label(self) -> str:
        return f"{self.name} (page {self.number})"


@dataclass(frozen=True)
class _Raster:
    """A decoded page: the file handed to tesseract, the image itself, and its resolution."""

    path: Path
    image: Image.Image
    dpi: int


class _PageFailed(Exception):
    pass


def digitize(
    sources: list[tuple[str, bytes]],
    *,
    language: str = "vie",
    dpi: int = 300,
    progress: Callable[[int, int], None] | None = None,
    timeout_per_page: int = 120,
) -> DigitizationResult:
    """OCR `sources` (filename, bytes) — PDFs, JPEG/PNG/TIFF (multi-page TIFF too) — into one searchable PDF.

    `dpi` is the resolution PDF pages are rasterized at, and the one assumed for images that do not
    declare a credible one. `progress(done, total)` is called after each page; an exception raised
    by it stops the run (a way to cancel). `timeout_per_page` bounds each tool run on a page (rasterizing
    a PDF page, then OCR). Raises `OcrUnavailable` if the tools are missing.
    """
    if not _MIN_CREDIBLE_DPI <= dpi <= _MAX_DPI:
        raise ValueError(f"dpi must be between {_MIN_CREDIBLE_DPI} and {_MAX_DPI}, not {dpi}")
    tesseract = _find_tesseract(language)
    # WeasyPrint turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported; a half-uploaded
    # scan must be reported as a failed page, not OCRed with its missing part painted grey.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-") as workdir:
        page_sources = list(_split_pages(sources, Path(workdir), timeout=timeout_per_page))
        results: list[PageResult] = []
        page_pdfs: list[bytes] = []
        for index, source in enumerate(page_sources):
            result, page_pdf = _digitize_page(
                index, source, tesseract=tesseract, language=language, dpi=dpi, timeout=timeout_per_page
            )
            results.append(result)
            if page_pdf is not None:
                page_pdfs.append(page_pdf)
            if progress is not None:
                progress(index + 1, len(page_sources))
    failed = [result.index for result in results if result.error is not None]
    return DigitizationResult(pdf=_merge(page_pdfs), pages=results, failed_pages=failed)


# --- tools ---------------------------------------------------------------------------------------


def _find_tesseract(language: str) -> str:
    if not _LANGUAGE.fullmatch(language):
        raise ValueError(f"not a tesseract language list: {language!r}")
    executable = shutil.which("tesseract")
    if executable is None:
        raise OcrUnavailable("tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-vie)")
    try:
        listed = subprocess.run(  # noqa: S603 - fixed arguments
            [executable, "--list-langs"], capture_output=True, text=True, timeout=60, env=_tesseract_env(), check=True
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise OcrUnavailable(f"tesseract does not run: {_describe(exc)}") from exc
    # The first line is a header ("List of available languages in ..."), then one code per line.
    installed = set(listed.stdout.splitlines()[1:])
    missing = [code for code in language.split("+") if code not in installed]
    if missing:
        packages = " ".join(f"tesseract-ocr-{code.lower().replace('_', '-')}" for code in missing)
        raise OcrUnavailable(
            f"tesseract language data missing: {', '.join(missing)} (Debian: apt-get install {packages})"
        )
    return executable


def _poppler(tool: str) -> str:
    executable = shutil.which(tool)
    if executable is None:
        raise OcrUnavailable(f"{tool} is needed for PDF scans (Debian: apt-get install poppler-utils)")
    return executable


def _tesseract_env() -> dict[str, str]:
    return {**os.environ, **TESSERACT_ENV}


def _run(command: list[str], *, timeout: float, env: dict[str, str] | None = None) -> str:
    """Run a tool; its stdout, or `_PageFailed` with the last line it complained with."""
    completed = subprocess.run(command, capture_output=True, timeout=timeout, env=env, check=False)  # noqa: S603
    if completed.returncode != 0:
        lines = completed.stderr.decode("utf-8", "replace").strip().splitlines()
        tool = Path(command[0]).name
        raise _PageFailed(f"{tool} failed: {lines[-1] if lines else f'exit status {completed.returncode}'}")
    return completed.stdout.decode("utf-8", "replace")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"{Path(str(exc.cmd[0])).name} timed out after {exc.timeout:g} s"
    return str(exc) or type(exc).__name__


# --- splitting the input into pages --------------------------------------------------------------


def _split_pages(sources: list[tuple[str, bytes]], workdir: Path, *, timeout: float) -> Iterator[_PageSource]:
    for position, (name, data) in enumerate(sources):
        # Sniff the bytes, not the name: scanners and browsers get extensions wrong.
        if b"%PDF-" in data[:1024]:
            path = workdir / f"source-{position}.pdf"
            path.write_bytes(data)
            yield from _pdf_pages(name, path, timeout=timeout)
        else:
            yield from _image_pages(name, data)


def _pdf_pages(name: str, path: Path, *, timeout: float) -> Iterator[_PageSource]:
    try:
        info = _run([_poppler("pdfinfo"), str(path)], timeout=timeout)
        match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        count = int(match.group(1)) if match else 0
    except (_PageFailed, subprocess.TimeoutExpired) as exc:
        yield _PageSource(name, 1, error=f"unreadable PDF: {_describe(exc)}")
        return
    if count == 0:
        yield _PageSource(name, 1, error="the PDF has no pages")
    for number in range(1, count + 1):
        yield _PageSource(name, number, pdf_path=path)


def _image_pages(name: str, data: bytes) -> Iterator[_PageSource]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
    except UnidentifiedImageError:
        yield _PageSource(name, 1, error="not an image or PDF we can read")
        return
    except Exception as exc:  # Pillow raises many kinds for damaged files
        yield _PageSource(name, 1, error=f"damaged image: {_describe(exc)}")
        return
    for number in range(1, frames + 1):
        yield _PageSource(name, number, image_bytes=data)


# --- one page ------------------------------------------------------------------------------------


def _digitize_page(
    index: int, source: _PageSource, *, tesseract: str, language: str, dpi: int, timeout: float
) -> tuple[PageResult, bytes | None]:
    with tempfile.TemporaryDirectory(prefix="motcua-ocr-page-") as workdir:
        try:
            raster = _rasterize(source, Path(workdir), dpi=dpi, timeout=timeout)
            thumbnail = _thumbnail(raster.image)
        except Exception as exc:  # a page we cannot decode must not lose the others
            return PageResult(index, "", None, f"{source.label}: {_describe(exc)}"), None
        try:
            text, page_pdf = _ocr(raster, tesseract=tesseract, language=language, timeout=timeout)
        except Exception as exc:
            error = f"{source.label}: {_describe(exc)}"
            image_pdf = _image_pdf(raster)  # keep the page in the copy, unsearchable
            return PageResult(index, "", thumbnail if image_pdf else None, error), image_pdf
    return PageResult(index, text, thumbnail, None), page_pdf


def _rasterize(source: _PageSource, workdir: Path, *, dpi: int, timeout: float) -> _Raster:
    if source.error is not None:
        raise _PageFailed(source.error)
    if source.pdf_path is not None:
        return _rasterize_pdf_page(source.pdf_path, source.number, workdir, dpi=dpi, timeout=timeout)
    if source.image_bytes is None:
        raise _PageFailed("nothing to read")
    return _decode_image_frame(source.image_bytes, source.number, workdir, default_dpi=dpi)


def _rasterize_pdf_page(pdf: Path, number: int, workdir: Path, *, dpi: int, timeout: float) -> _Raster:
    base = workdir / "page"
    pages = ["-f", str(number), "-l", str(number)]
    _run([_poppler("pdftoppm"), *pages, "-r", str(dpi), "-tiff", "-singlefile", str(pdf), str(base)], timeout=timeout)
    path = base.with_suffix(".tif")
    if not path.exists():
        raise _PageFailed("pdftoppm produced no image")
    image = Image.open(path)
    image.load()
    return _Raster(path, image, dpi)


def _decode_image_frame(data: bytes, number: int, workdir: Path, *, default_dpi: int) -> _Raster:
    image = Image.open(io.BytesIO(data))
    image.seek(number - 1)
    page_dpi = _image_dpi(image, default=default_dpi)
    upright = image.getexif().get(_EXIF_ORIENTATION, 1) == 1
    # Tesseract copies a JPEG into the PDF as is: no second lossy encoding, and the smallest file.
    passthrough = image.format == "JPEG" and image.mode in ("L", "RGB") and upright
    decoded = _normalized(ImageOps.exif_transpose(image))
    if passthrough:
        path = workdir / "page.jpg"
        path.write_bytes(data)
    else:
        # Lossless for the OCR; tesseract encodes it into the PDF as JPEG (grey/colour) or G4 (black and white).
        path = workdir / "page.tif"
        compression = "group4" if decoded.mode == "1" else None
        decoded.save(path, format="TIFF", dpi=(page_dpi, page_dpi), compression=compression)
    return _Raster(path, decoded, page_dpi)


def _image_dpi(image: Image.Image, *, default: int) -> int:
    try:
        declared = float(image.info["dpi"][0])
    except (KeyError, TypeError, ValueError, IndexError):
        declared = 0.0
    if _MIN_CREDIBLE_DPI <= declared <= _MAX_DPI:
        return round(declared)
    # Unknown resolution: assume the paper is no larger than A4, so the PDF page gets a paper size
    # (a 4000-pixel phone photo "at 72 dpi" would otherwise make a page 1.4 m tall).
    short_side, long_side = sorted(image.size)
    fit_a4 = max(short_side / _A4_INCHES[0], long_side / _A4_INCHES[1])
    return min(_MAX_DPI, max(default, round(fit_a4)))


def _normalized(image: Image.Image) -> Image.Image:
    """The page as black-and-white, grey or RGB: the modes tesseract, TIFF and the PDF all take."""
    if image.mode in ("1", "L", "RGB"):
        return image
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flattened = Image.new("RGB", rgba.size, "white")
        flattened.paste(rgba, mask=rgba.getchannel("A"))
        return flattened
    if image.mode.startswith("I") or image.mode == "F":  # 16-bit or float grey: scale, do not clip
        high = image.getextrema()[1]
        scale = 255 / float(high) if isinstance(high, int | float) and high > 255 else 1.0
        return image.convert("F").point(lambda value: value * scale).convert("L")
    return image.convert("RGB")


def _thumbnail(image: Image.Image) -> bytes:
    thumbnail = image.convert("L") if image.mode == "1" else image.copy()
    height = max(1, round(image.height * THUMBNAIL_WIDTH / image.width))
    thumbnail.thumbnail((THUMBNAIL_WIDTH, height))
    buffer = io.BytesIO()
    thumbnail.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _ocr(raster: _Raster, *, tesseract: str, language: str, timeout: float) -> tuple[str, bytes]:
    """The page's text and a one-page PDF: the image with the text as an invisible layer."""
    base = raster.path.with_name("ocr")
    command = [tesseract, str(raster.path), str(base), "--dpi", str(raster.dpi), "-l", language, "pdf", "txt"]
    _run(command, timeout=timeout, env=_tesseract_env())
    pdf_path, text_path = base.with_suffix(".pdf"), base.with_suffix(".txt")
    if not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise _PageFailed("tesseract produced no PDF")
    text = text_path.read_text(encoding="utf-8", errors="replace") if text_path.exists() else ""
    # Form feeds separate pages in DigitizationResult.text; search wants one composed form (NFC).
    return unicodedata.normalize("NFC", text.replace("\f", "")).strip(), pdf_path.read_bytes()


def _image_pdf(raster: _Raster) -> bytes | None:
    """A plain (unsearchable) PDF page of the image, at the page's physical size; None if even that fails."""
    try:
        buffer = io.BytesIO()
        raster.image.save(buffer, format="PDF", resolution=float(raster.dpi))
    except Exception:
        return None
    return buffer.getvalue()


def _merge(page_pdfs: list[bytes]) -> bytes | None:
    if not page_pdfs:
        return None
    writer = PdfWriter()
    for page_pdf in page_pdfs:
        writer.append(PdfReader(io.BytesIO(page_pdf)))
    writer.compress_identical_objects()  # every tesseract page embeds the same glyphless font
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()

"""Upload checks on raw bytes: what a file is (from its content, never its name) and whether we accept it.

Accepted: PDF, JPEG, PNG, TIFF within the size and page limits. Refused, each with its own
message: unknown or mislabelled content, damaged or password-protected PDFs, PDFs carrying
JavaScript or embedded files, and decompression bombs (images or PDF streams that would expand
to absurd sizes). Nothing here touches the database or the file store.
"""

from __future__ import annotations

import io
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from motcua.core.errors import InvalidInput

PDF, JPEG, PNG, TIFF = "application/pdf", "image/jpeg", "image/png", "image/tiff"
# Magic numbers at offset 0. A PDF must start with its header: a file with bytes before `%PDF-`
# is how polyglot files (valid as two formats at once) are built, and scanners never produce one.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)
_EXTENSIONS = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "tif": TIFF, "tiff": TIFF}
_KIND_NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}

# Dictionary keys and values that make a PDF run code or carry other files.
_SCRIPT_KEYS = frozenset({"/JS", "/JavaScript", "/XFA", "/RichMedia"})
_SCRIPT_ACTIONS = frozenset({"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute"})
_EMBED_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
_EMBED_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment"})
# A real document has thousands of objects; millions mean a file built to exhaust the parser.
_MAX_PDF_OBJECTS = 500_000


@dataclass(frozen=True)
class UploadLimits:
    """How big an upload may be; read from settings unless a caller passes its own."""

    max_bytes: int
    max_pages: int
    max_image_pixels: int
    max_pdf_decoded_bytes: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            max_bytes=settings.DOCUMENTS_MAX_UPLOAD_BYTES,
            max_pages=settings.DOCUMENTS_MAX_PAGES,
            max_image_pixels=settings.DOCUMENTS_MAX_IMAGE_PIXELS,
            max_pdf_decoded_bytes=settings.DOCUMENTS_MAX_PDF_DECODED_BYTES,
        )


@dataclass(frozen=True)
class FileFacts:
    """What validation learnt about an accepted file."""

    mime: str
    pages: int


def sniff_mime(content: bytes) -> str | None:
    """The MIME type the bytes announce by their magic number, or None for anything we do not accept."""
    for magic, mime in _SIGNATURES:
        if content.startswith(magic):
            return mime
    return None


def file_validate(content: bytes, *, filename: str = "", limits: UploadLimits | None = None) -> FileFacts:
    """Accept the upload and say what it is, or raise InvalidInput saying why not."""
    limits = limits or UploadLimits.from_settings()
    if not content:
        raise _refuse(_("The file is empty."), "file_empty")
    if len(content) > limits.max_bytes:
        raise _refuse(
            _("The file is too large (%(size).1f MB); the limit is %(limit).1f MB.")
            % {"size": len(content) / 2**20, "limit": limits.max_bytes / 2**20},
            "file_too_large",
        )
    mime = sniff_mime(content)
    if mime is None:
        raise _refuse(_("Only PDF, JPEG, PNG and TIFF files are accepted."), "file_type_not_allowed")
    _check_extension(filename, mime)
    pages = pdf_pages_validate(content, limits) if mime == PDF else image_pages_validate(content, limits)
    if pages > limits.max_pages:
        raise _refuse(
            _("The document has %(pages)d pages; the limit is %(limit)d.")
            % {"pages": pages, "limit": limits.max_pages},
            "too_many_pages",
        )
    return FileFacts(mime=mime, pages=pages)


def _refuse(message: str, code: str) -> InvalidInput:
    return InvalidInput(message, code=code, field="file")


def _check_extension(filename: str, mime: str) -> None:
    # A name that claims another known type is either a mistake or a disguise; say so rather than guess.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    claimed = _EXTENSIONS.get(extension)
    if claimed is not None and claimed != mime:
        raise _refuse(
            _("The file name ends in .%(extension)s but the content is %(kind)s.")
            % {"extension": extension, "kind": _KIND_NAMES[mime]},
            "file_type_mismatch",
        )


def image_pages_validate(content: bytes, limits: UploadLimits) -> int:
    """Frames of a JPEG/PNG/TIFF, after checking every frame's header dimensions (nothing is decoded)."""
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 MP; our own limit applies below, so the warning is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _image_frames(content, limits)
    except Image.DecompressionBombError:
        raise _bomb() from None
    except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError):
        raise _refuse(_("The image is damaged and cannot be read."), "image_damaged") from None


def _image_frames(content: bytes, limits: UploadLimits) -> int:
    with Image.open(io.BytesIO(content)) as image:
        frames = getattr(image, "n_frames", 1)
        if frames > limits.max_pages:
            return frames  # the caller refuses it for its pages; no need to read every header
        for index in range(frames):
            image.seek(index)
            width, height = image.size
            if width * height > limits.max_image_pixels:
                raise _bomb()
    return frames


def _bomb() -> InvalidInput:
    return _refuse(_("The file would expand to an unreasonable size when opened and is refused."), "decompression_bomb")


def pdf_pages_validate(content: bytes, limits: UploadLimits) -> int:
    """Pages of a PDF after refusing damaged, encrypted, scripted, attachment-carrying or bomb PDFs."""
    damaged = _refuse(_("The PDF is damaged and cannot be read."), "pdf_damaged")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        encrypted = reader.is_encrypted
    except Exception:
        raise damaged from None
    if encrypted:
        raise _refuse(_("The PDF is protected by a password; upload it without one."), "pdf_encrypted")
    try:
        pages = len(reader.pages)
        _scan_objects(reader, limits)
    except InvalidInput:
        raise
    except Exception:
        # pypdf raises many kinds of errors on broken structure; to the uploader they all mean one thing.
        raise damaged from None
    if pages == 0:
        raise damaged
    return pages


def _scan_objects(reader: PdfReader, limits: UploadLimits) -> None:
    budget = limits.max_pdf_decoded_bytes
    for obj in _reachable_dictionaries(reader):
        _check_active_content(obj)
        if isinstance(obj, StreamObject):
            budget -= _decoded_size(obj, budget, limits)
            if budget < 0:
                raise _bomb()


def _reachable_dictionaries(reader: PdfReader) -> Iterator[DictionaryObject]:
    """Every dictionary reachable from the trailer, each indirect object visited once."""
    seen: set[tuple[int, int]] = set()
    stack: list[Any] = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            if len(seen) > _MAX_PDF_OBJECTS:
                raise _bomb()
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            # dict.values, not DictionaryObject's: keep references unresolved so `seen` catches cycles.
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


def _check_active_content(obj: DictionaryObject) -> None:
    keys = set(obj.keys())
    if keys & _SCRIPT_KEYS or obj.get("/S") in _SCRIPT_ACTIONS:
        raise _refuse(
            _("The PDF contains JavaScript or other active content, which is not accepted."), "pdf_active_content"
        )
    if keys & _EMBED_KEYS or obj.get("/Type") in _EMBED_TYPES or obj.get("/Subtype") in _EMBED_TYPES:
        raise _refuse(
            _("The PDF contains embedded files or attachments, which are not accepted."), "pdf_embedded_files"
        )


def _decoded_size(stream: StreamObject, budget: int, limits: UploadLimits) -> int:
    """Bytes the stream expands to, counted without holding more than one chunk (stops past the budget)."""
    if stream.get("/Subtype") == "/Image":
        width, height = stream.get("/Width", 0), stream.get("/Height", 0)
        if isinstance(width, int) and isinstance(height, int) and width * height > limits.max_image_pixels:
            raise _bomb()
    raw: bytes = stream._data
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, ArrayObject) and filters else filters
    if first != "/FlateDecode":
        # Image codecs (DCT, JPX, CCITT, JBIG2) are bounded by the pixel check above; the text
        # encodings (ASCIIHex, ASCII85) shrink; LZW and RunLength are rare enough to count as raw.
        return len(raw)
    return _inflated_size(raw, budget)


def _inflated_size(raw: bytes, budget: int) -> int:
    inflater = zlib.decompressobj()
    total, pending = 0, raw
    try:
        while pending and total <= budget:
            total += len(inflater.decompress(pending, 1 << 20))
            pending = inflater.unconsumed_tail
    except zlib.error:
        # Broken compressed data is the renderer's problem, not a size risk.
        return len(raw)
    return total

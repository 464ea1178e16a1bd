import pytest

from motcua.core.errors import InvalidInput
from motcua.documents.models import StoredFile
from motcua.documents.services import stored_file_create
from motcua.documents.tests import samples
from motcua.documents.validation import UploadLimits, file_validate, sniff_mime

pytestmark = pytest.mark.django_db


def _refusal(content: bytes, filename: str = "upload.pdf") -> InvalidInput:
    with pytest.raises(InvalidInput) as refusal:
        stored_file_create(content=content, filename=filename)
    return refusal.value


@pytest.mark.parametrize(
    ("sample", "filename", "code"),
    [
        (lambda: b"", "empty.pdf", "file_empty"),
        (lambda: b"MZ\x90\x00 this is an executable", "ho-so.pdf", "file_type_not_allowed"),
        (lambda: b"<html><script>alert(1)</script></html>", "page.pdf", "file_type_not_allowed"),
        (lambda: b"GIF89a\x01\x00\x01\x00", "anh.gif", "file_type_not_allowed"),
        (lambda: b"junk before %PDF-1.7\n", "polyglot.pdf", "file_type_not_allowed"),
        (lambda: samples.image_bytes("PNG"), "scan.pdf", "file_type_mismatch"),
        (lambda: b"%PDF-1.7\nthis is not a pdf at all\n%%EOF", "broken.pdf", "pdf_damaged"),
        (lambda: samples.pdf_bytes()[:200], "truncated.pdf", "pdf_damaged"),
        (samples.pdf_encrypted, "locked.pdf", "pdf_encrypted"),
        (samples.pdf_with_open_action_js, "js.pdf", "pdf_active_content"),
        (samples.pdf_with_js_name_tree, "js-names.pdf", "pdf_active_content"),
        (samples.pdf_with_page_additional_action_js, "js-page.pdf", "pdf_active_content"),
        (samples.pdf_with_attachment, "attached.pdf", "pdf_embedded_files"),
        (samples.pdf_with_file_attachment_annotation, "annot.pdf", "pdf_embedded_files"),
        (samples.pdf_huge_image_xobject, "huge-image.pdf", "decompression_bomb"),
        (lambda: samples.png_header_only(20_000, 20_000), "bomb.png", "decompression_bomb"),
        (lambda: samples.png_header_only(12_000, 10_000), "big.png", "decompression_bomb"),
        (lambda: samples.png_header_only(100, 100)[:20], "cut.png", "image_damaged"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(sample, filename, code, settings):
    refusal = _refusal(sample(), filename)

    assert refusal.code == code
    assert refusal.field == "file"
    assert str(refusal.message)
    assert StoredFile.objects.count() == 0
    assert not settings.MEDIA_ROOT.exists() or not any(settings.MEDIA_ROOT.rglob("*"))


def test_file_over_the_size_limit_is_refused(settings):
    settings.DOCUMENTS_MAX_UPLOAD_BYTES = 1000

    refusal = _refusal(samples.pdf_bytes(pages=3))

    assert refusal.code == "file_too_large"


def test_pdf_over_the_page_limit_is_refused(settings):
    settings.DOCUMENTS_MAX_PAGES = 2

    assert _refusal(samples.pdf_bytes(pages=3)).code == "too_many_pages"


def test_tiff_over_the_page_limit_is_refused(settings):
    settings.DOCUMENTS_MAX_PAGES = 2

    assert _refusal(samples.image_bytes("TIFF", frames=3), "scan.tiff").code == "too_many_pages"


def test_flate_stream_inflating_past_the_budget_is_a_bomb(settings):
    settings.DOCUMENTS_MAX_PDF_DECODED_BYTES = 4 * 2**20
    bomb = samples.pdf_flate_bomb(decoded_bytes=16 * 2**20)
    assert len(bomb) < 64 * 1024

    assert _refusal(bomb).code == "decompression_bomb"


def test_flate_stream_within_the_budget_is_fine():
    facts = file_validate(samples.pdf_flate_bomb(decoded_bytes=2**20), filename="ok.pdf")

    assert (facts.mime, facts.pages) == ("application/pdf", 1)


def test_limits_can_be_given_without_settings():
    limits = UploadLimits(max_bytes=10**6, max_pages=1, max_image_pixels=10**6, max_pdf_decoded_bytes=10**6)

    with pytest.raises(InvalidInput):
        file_validate(samples.pdf_bytes(pages=2), filename="a.pdf", limits=limits)


@pytest.mark.parametrize(
    ("content", "mime"),
    [
        (b"%PDF-1.4\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"II*\x00", "image/tiff"),
        (b"MM\x00*", "image/tiff"),
        (b"PK\x03\x04", None),
    ],
)
def test_sniffing_reads_magic_numbers(content, mime):
    assert sniff_mime(content) == mime


def test_file_without_extension_is_judged_by_content():
    assert file_validate(samples.image_bytes("JPEG"), filename="scan").mime == "image/jpeg"

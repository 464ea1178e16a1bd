"""The digitization task: stored scans → searchable PDF, OCR text, thumbnails, progress; a bad page loses nothing else.

Tasks run at once in tests (ImmediateBackend, root conftest); the request enqueues on commit.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from motcua.core.errors import InvalidInput
from motcua.documents import tasks
from motcua.documents.digitization import digitization_request, document_search
from motcua.documents.models import DigitizationStatus, Document, DocumentKind, StoredFile
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import stored_file_create
from motcua.documents.tasks import digitize_upload
from motcua.documents.tests import samples
from motcua.documents.verification import pdf_verify

pytestmark = pytest.mark.django_db
needs_tesseract = pytest.mark.skipif(
    not samples.tesseract_has_vie() or samples.scan_font() is None,
    reason="needs tesseract with Vietnamese data (scripts/install-system-deps.sh) and a Vietnamese font",
)
DOSSIER = "000.00.21.H99-260302-0001"


def _store(content: bytes, filename: str) -> StoredFile:
    return stored_file_create(content=content, filename=filename)


def _request(files: list[StoredFile], django_capture_on_commit_callbacks, **options) -> Document:
    with django_capture_on_commit_callbacks(execute=True):
        document = digitization_request(stored_files=files, name="Tờ khai", dossier_code=DOSSIER, **options)
    document.refresh_from_db()
    return document


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext not installed (Debian package poppler-utils)")
    source = tmp_path / "out.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([pdftotext, str(source), "-"], capture_output=True, check=True)  # noqa: S603
    return unicodedata.normalize("NFC", done.stdout.decode())


def _fake_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behaviour: str) -> None:
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
def test_scans_become_one_searchable_pdf_with_text_thumbnails_and_progress(
    tmp_path, django_capture_on_commit_callbacks
):
    first = _store(samples.scan_png(["Họ và tên: Nguyễn Văn An"]), "trang-1.png")
    second = _store(samples.scan_png(["Nơi sinh: Quảng Ngãi"]), "trang-2.png")

    document = _request([first, second], django_capture_on_commit_callbacks)

    assert document.digitization_status == DigitizationStatus.DONE
    assert (document.progress_done, document.progress_total, document.progress_percent) == (2, 2, 100)
    assert document.error == ""
    assert document.failed_pages == []
    assert document.stored_file.mime == "application/pdf"
    pdf = stored_file_read(document.stored_file)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    searchable = _pdf_text(pdf, tmp_path)
    assert "Nguyễn" in searchable
    assert "Quảng Ngãi" in searchable
    assert "Nguyễn" in document.ocr_text
    assert "Quảng Ngãi" in document.ocr_text
    assert set(document.sources.all()) == {first, second}
    assert [StoredFile.objects.get(pk=pk).mime for pk in document.thumbnails] == ["image/png", "image/png"]
    assert list(document_search(text="nguyen van an")) == [document]
    assert list(document_search(text="QUANG NGAI", dossier_code=DOSSIER)) == [document]
    assert not document_search(text="Hà Nội").exists()


@pytest.mark.slow
@needs_tesseract
def test_a_page_that_fails_does_not_lose_the_others(tmp_path, django_capture_on_commit_callbacks):
    good = _store(samples.scan_png(["Họ và tên: Nguyễn Văn An"]), "to-khai.png")
    broken = _store(samples.truncated_jpeg(), "hong.jpg")  # uploads accept it; its pixels stop half-way
    last = _store(samples.scan_png(["Giấy khai sinh"]), "khai-sinh.png")

    document = _request([good, broken, last], django_capture_on_commit_callbacks)

    assert document.digitization_status == DigitizationStatus.PARTIAL
    assert (document.progress_done, document.progress_total) == (3, 3)
    assert [item["page"] for item in document.failed_pages] == [2]
    assert "hong.jpg" in document.error
    pdf = stored_file_read(document.stored_file)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    text = _pdf_text(pdf, tmp_path)
    assert "Nguyễn" in text
    assert "khai sinh" in text
    assert document.thumbnails[1] is None
    assert document.thumbnails[0] is not None


def test_progress_is_written_page_by_page(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    _fake_tesseract(tmp_path, monkeypatch, 'echo "Error: cannot OCR" >&2; exit 1')  # pages kept as images
    writes: list[dict] = []
    real = tasks._progress
    monkeypatch.setattr(
        tasks, "_progress", lambda document_id, **fields: (writes.append(fields), real(document_id, **fields))
    )
    files = [_store(samples.image_bytes("PNG", (600, 400)), f"{n}.png") for n in range(3)]

    document = _request(files, django_capture_on_commit_callbacks)

    assert writes[0]["status"] == DigitizationStatus.RUNNING
    assert [(w["progress_done"], w["progress_total"]) for w in writes[1:]] == [(1, 3), (2, 3), (3, 3)]
    assert document.digitization_status == DigitizationStatus.PARTIAL  # images kept, text missing
    assert len(document.failed_pages) == 3
    assert "cannot OCR" in document.error
    assert len(PdfReader(io.BytesIO(stored_file_read(document.stored_file))).pages) == 3


def test_when_no_page_can_be_read_the_document_fails_and_keeps_its_scan(django_capture_on_commit_callbacks):
    broken = _store(samples.truncated_jpeg(), "hong.jpg")

    document = _request([broken], django_capture_on_commit_callbacks)

    assert document.digitization_status == DigitizationStatus.FAILED
    assert document.stored_file == broken
    assert "hong.jpg" in document.error


def test_missing_ocr_tools_fail_the_document_without_raising(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setenv("PATH", str(tmp_path))
    scan = _store(samples.image_bytes(), "a.png")

    document = _request([scan], django_capture_on_commit_callbacks)

    assert document.digitization_status == DigitizationStatus.FAILED
    assert "tesseract" in document.error


def test_the_digitized_copy_is_signed_for_the_receiving_unit(
    unit, identity, trusted_root, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    _fake_tesseract(tmp_path, monkeypatch, "exit 1")
    scan = _store(samples.image_bytes("PNG", (600, 400)), "a.png")

    document = _request([scan], django_capture_on_commit_callbacks, sign_unit=unit)

    assert document.signed
    assert document.signed_by == identity
    verdict = pdf_verify(pdf=stored_file_read(document.stored_file), trust_roots=_roots(trusted_root))
    assert verdict.valid, verdict.reason


def test_a_redelivered_task_does_nothing(tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    _fake_tesseract(tmp_path, monkeypatch, "exit 1")
    scan = _store(samples.image_bytes(), "a.png")
    document = _request([scan], django_capture_on_commit_callbacks)

    again = digitize_upload.call([scan.pk], document.pk)

    assert again["skipped"] is True
    assert Document.objects.get(pk=document.pk).stored_file == document.stored_file


def test_nothing_to_digitize_is_refused():
    with pytest.raises(InvalidInput):
        digitization_request(stored_files=[], name="Tờ khai")


def test_the_request_waits_for_the_commit(django_capture_on_commit_callbacks):
    scan = _store(samples.image_bytes(), "a.png")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = digitization_request(stored_files=[scan], name="Tờ khai", kind=DocumentKind.COMPONENT_SCAN)

    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.digitization_status == DigitizationStatus.PENDING
    assert document.progress_percent == 0
    assert document.stored_file == scan


def _roots(pair):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    return [asn1_x509.Certificate.load(pair.cert.public_bytes(serialization.Encoding.DER))]

"""Certified electronic copies: OCR, the certification page, the unit's signature, a gap-free yearly book, the vault.

The end-to-end test runs the real tesseract; the numbering tests put a fixed digitization in its
place (seconds of OCR per copy add nothing to what they check).
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import OperationalError, connection

from motcua.core import clock
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.documents import certification
from motcua.documents.certification import OriginalFacts, certification_statement, certified_copy_issue
from motcua.documents.models import (
    CertificationEntry,
    DigitizationStatus,
    Document,
    DocumentKind,
    DocumentSequence,
    VaultSource,
)
from motcua.documents.ocr import DigitizationResult, PageResult
from motcua.documents.selectors import stored_file_read
from motcua.documents.tests import samples
from motcua.documents.vault import vault_for_owner
from motcua.documents.verification import result_verify

POSTGRES = connection.vendor == "postgresql"
needs_tesseract = pytest.mark.skipif(
    not samples.tesseract_has_vie() or samples.scan_font() is None,
    reason="needs tesseract with Vietnamese data (scripts/install-system-deps.sh) and a Vietnamese font",
)
BIRTH_CERTIFICATE = ["GIẤY KHAI SINH", "Họ và tên: Nguyễn Văn An", "Nơi sinh: Quảng Ngãi"]


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext not installed (Debian package poppler-utils)")
    source = tmp_path / "copy.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([pdftotext, str(source), "-"], capture_output=True, check=True)  # noqa: S603
    return unicodedata.normalize("NFC", done.stdout.decode())


def _fake_digitize(pages: int = 1, *, unreadable: tuple[int, ...] = ()):
    """A stand-in for `ocr.digitize`: a PDF of the readable pages, the text of each."""

    def digitize(sources, **_options) -> DigitizationResult:
        results = [
            PageResult(i, "" if i in unreadable else f"trang {i + 1}", None if i in unreadable else b"png", None)
            for i in range(pages)
        ]
        for i in unreadable:
            results[i] = PageResult(i, "", None, f"scan.png (page {i + 1}): damaged image")
        readable = pages - len(unreadable)
        return DigitizationResult(
            pdf=samples.pdf_bytes(pages=readable) if readable else None, pages=results, failed_pages=list(unreadable)
        )

    return digitize


@pytest.fixture
def fake_ocr(monkeypatch):
    monkeypatch.setattr(certification, "digitize", _fake_digitize())


def _certify(unit, officer, owner, **overrides) -> Document:
    values = {
        "unit": unit,
        "officer": officer,
        "scans": [("khai-sinh.png", samples.image_bytes())],
        "owner": owner,
        "title": "Giấy khai sinh",
    }
    return certified_copy_issue(**{**values, **overrides})


@pytest.mark.slow
@needs_tesseract
@pytest.mark.django_db
def test_a_certified_copy_is_searchable_stamped_numbered_signed_and_in_the_vault(
    unit, identity, trusted_root, officer, citizen, tmp_path
):
    scan = samples.scan_png(BIRTH_CERTIFICATE, size=(2480, 700))
    facts = OriginalFacts(type_code="KS", number="123/2001", issuer="UBND xã Hòa Bình")

    document = _certify(
        unit, officer, citizen, scans=[("khai-sinh.png", scan)], original=facts, place="Hòa Bình", dossier_code="D-1"
    )

    year = clock.local_today().year
    entry = CertificationEntry.objects.get()
    assert (entry.unit, entry.year, entry.number, entry.book) == (unit, year, 1, f"01/{year}-SCT/BS")
    assert (entry.document, entry.certified_by, entry.pages) == (document, officer, 1)
    assert entry.requester_name == "Nguyễn Văn An"
    text = _pdf_text(stored_file_read(document.stored_file), tmp_path)
    assert "Chứng thực bản sao đúng với bản chính." in text
    assert f"Số chứng thực: 1, Quyển số 01/{year}-SCT/BS" in text
    assert "NGƯỜI THỰC HIỆN CHỨNG THỰC" in text
    assert "Lê Văn Cường" in text
    assert "Nguyễn" in text  # the OCR layer of the scanned page
    assert "Nguyễn" in document.ocr_text
    assert document.kind == DocumentKind.CERTIFIED_COPY
    assert document.signed
    assert document.digitization_status == DigitizationStatus.DONE
    assert document.sources.count() == 1
    verdict = result_verify(result_code=document.result_code)
    assert verdict.valid, verdict.reason
    assert document.result_code == f"CT-{unit.code}-{year}-000001"
    [entry_in_vault] = vault_for_owner(citizen)
    assert entry_in_vault.document == document
    assert entry_in_vault.source == VaultSource.COUNTER_DIGITIZATION
    assert entry_in_vault.origin_dossier_code == document.dossier_code == "D-1"
    assert (entry_in_vault.type_code, entry_in_vault.number, entry_in_vault.issuer) == ("KS", "123/2001", facts.issuer)


@pytest.mark.django_db
def test_the_book_numbers_count_per_unit_and_year(
    unit, other_unit, identity, make_identity, officer, citizen, fake_ocr
):
    make_identity(other_unit)

    numbers = [_certify(unit, officer, citizen).certification.number for _ in range(3)]
    elsewhere = _certify(other_unit, officer, citizen).certification

    assert numbers == [1, 2, 3]
    assert elsewhere.number == 1
    assert elsewhere.book == f"01/{clock.local_today().year}-SCT/BS"


@pytest.mark.django_db
def test_a_certification_that_fails_gives_its_number_back(unit, identity, officer, citizen, fake_ocr, monkeypatch):
    def broken_vault(**_kwargs):
        raise RuntimeError("vault down")

    with monkeypatch.context() as patch:
        patch.setattr(certification, "vault_add", broken_vault)
        with pytest.raises(RuntimeError):
            _certify(unit, officer, citizen)

    assert not CertificationEntry.objects.exists()
    assert _certify(unit, officer, citizen).certification.number == 1


@pytest.mark.django_db
def test_a_scan_with_an_unreadable_page_is_refused_whole(unit, identity, officer, citizen, monkeypatch):
    monkeypatch.setattr(certification, "digitize", _fake_digitize(3, unreadable=(1,)))

    with pytest.raises(InvalidInput) as refused:
        _certify(unit, officer, citizen)

    assert refused.value.code == "scan_unreadable"
    assert not Document.objects.exists()
    assert not DocumentSequence.objects.exists()


@pytest.mark.django_db
def test_only_an_official_certifies(unit, identity, citizen, fake_ocr):
    with pytest.raises(PermissionDenied):
        _certify(unit, citizen.user, citizen)


@pytest.mark.django_db
def test_an_upload_that_is_not_a_scan_is_refused(unit, identity, officer, citizen, fake_ocr):
    with pytest.raises(InvalidInput):
        _certify(unit, officer, citizen, scans=[("a.pdf", b"not a pdf at all")])
    with pytest.raises(InvalidInput):
        _certify(unit, officer, citizen, scans=[])


def test_the_statement_reads_as_the_decree_writes_it():
    assert certification_statement(12, "01/2026-SCT/BS") == (
        "Chứng thực bản sao đúng với bản chính. Số chứng thực: 12, Quyển số 01/2026-SCT/BS"
    )


# PostgreSQL takes them all at once; SQLite serializes writers, fewer suffice.
THREADS = 16 if POSTGRES else 6


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_certifications_get_consecutive_numbers_without_gaps(unit, identity, officer, citizen, fake_ocr):
    start = threading.Barrier(THREADS)

    def certify_one(_: int) -> int:
        start.wait()
        try:
            return _retrying(lambda: _certify(unit, officer, citizen).certification.number)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        numbers = sorted(pool.map(certify_one, range(THREADS)))

    assert numbers == list(range(1, THREADS + 1))
    assert CertificationEntry.objects.count() == THREADS
    assert DocumentSequence.objects.get(kind=DocumentSequence.Kind.CERTIFICATION).last_number == THREADS
    assert vault_for_owner(citizen).count() == THREADS


def _retrying(action):
    # The in-memory SQLite test database answers "locked" at once instead of waiting.
    for _attempt in range(2000):
        try:
            return action()
        except OperationalError as exc:
            if POSTGRES or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("never got the lock")

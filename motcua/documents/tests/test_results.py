"""Issuing a signed result and verifying it later, by code or by the bytes someone holds."""

import io
import shutil
import subprocess
import threading
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from django.db import OperationalError, connection, transaction
from django.utils import translation
from pypdf import PdfReader

from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.documents.models import Document, DocumentKind, DocumentSequence, VaultSource
from motcua.documents.results import document_code_format, result_issue, result_template_names, verification_url
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import document_create, document_revoke, document_sign, stored_file_create
from motcua.documents.signing import pdf_sign
from motcua.documents.tests import samples
from motcua.documents.vault import vault_for_owner, vault_propose
from motcua.documents.verification import result_verify, upload_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(sample_pdf, identity, unit, trusted_root):
    stored = stored_file_create(content=sample_pdf, filename="giay-chung-nhan.pdf")
    document = document_create(
        kind=DocumentKind.RESULT, stored_file=stored, name="Giấy chứng nhận", dossier_code="H99.21-260101-0001"
    )
    return document_sign(
        document=document, identity=identity, unit=unit, reason="Kết quả", location="H99", result_code="KQ-2026-000001"
    )


def test_signing_a_document_stores_the_signed_bytes_as_a_new_file(issued, sample_pdf, identity):
    assert issued.signed
    assert issued.signed_by == identity
    assert issued.signed_at is not None
    assert issued.original_file is not None
    assert stored_file_read(issued.original_file) == sample_pdf
    assert issued.stored_file.sha256 != issued.original_file.sha256


def test_issued_result_verifies_by_code(issued, unit):
    verdict = result_verify(result_code="KQ-2026-000001")

    assert verdict.valid, verdict.reason
    assert verdict.hash_matches_issued is True
    assert not verdict.revoked
    assert [s.signer for s in verdict.signatures] == [unit.name]


def test_issued_result_verifies_from_its_bytes(issued):
    verdict = upload_verify(pdf=stored_file_read(issued.stored_file))

    assert verdict.valid, verdict.reason
    assert verdict.result_code == "KQ-2026-000001"


def test_a_validly_signed_pdf_that_was_never_issued_is_not_valid(sample_pdf, identity, unit, trusted_root):
    signed = pdf_sign(pdf=sample_pdf, identity=identity, unit=unit, reason="x", location="y")

    verdict = upload_verify(pdf=signed)

    assert not verdict.valid
    assert verdict.hash_matches_issued is False
    assert verdict.signatures[0].intact
    assert verdict.signatures[0].trusted


def test_revoked_result_is_reported_with_its_replacement(issued, sample_pdf, identity, unit):
    replacement = document_sign(
        document=document_create(
            kind=DocumentKind.RESULT,
            stored_file=stored_file_create(content=sample_pdf, filename="b.pdf"),
            name="Bản mới",
        ),
        identity=identity,
        unit=unit,
        reason="Cấp lại",
        location="H99",
        result_code="KQ-2026-000002",
    )
    document_revoke(document=issued, reason="Sai ngày sinh", replaced_by=replacement)

    verdict = result_verify(result_code="KQ-2026-000001")

    assert not verdict.valid
    assert verdict.revoked
    assert "Sai ngày sinh" in verdict.reason
    assert verdict.replaced_by == "KQ-2026-000002"


def test_unknown_result_code_is_not_found(db):
    with pytest.raises(NotFound):
        result_verify(result_code="KQ-NOPE")


def test_damaged_stored_copy_is_reported_not_raised(issued, settings):
    path = settings.MEDIA_ROOT / issued.stored_file.storage_key
    path.write_bytes(path.read_bytes() + b"\n% appended")

    with translation.override("en"):
        verdict = result_verify(result_code="KQ-2026-000001")

    assert not verdict.valid
    assert verdict.hash_matches_issued is False
    assert "damaged" in verdict.reason


def test_a_result_code_is_given_once(issued, sample_pdf, identity, unit):
    other = document_create(
        kind=DocumentKind.RESULT, stored_file=stored_file_create(content=sample_pdf, filename="c.pdf"), name="Khác"
    )

    with pytest.raises(Conflict):
        document_sign(
            document=other, identity=identity, unit=unit, reason="x", location="y", result_code="KQ-2026-000001"
        )


def test_a_revoked_document_cannot_be_signed_again(issued, identity, unit):
    document_revoke(document=issued, reason="Sai")

    with pytest.raises(Conflict):
        document_sign(document=issued, identity=identity, unit=unit, reason="x", location="y")


# --- result_issue: generated or uploaded, coded, QR-stamped, signed, in the vault ----------------------

BASE_URL = "https://dichvucong.h99.example.vn"


def _issue(unit, citizen, *, by=None, **overrides):
    values = {
        "unit": unit,
        "dossier_code": "000.00.21.H99-260302-0001",
        "owner": citizen,
        "title": "Giấy chứng nhận đăng ký hộ kinh doanh",
        "body_fields": {"Tên hộ kinh doanh": "Tạp hóa Bình An", "Địa chỉ": "Thôn 3, xã Hòa Bình"},
        "by": by,
        "result_type_code": "GCN-HKD",
        "place": "Hòa Bình",
    }
    return result_issue(**{**values, **overrides})


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not installed (Debian packages poppler-utils, zbar-tools)")
    return path


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    done = subprocess.run([_tool("pdftotext"), str(source), "-"], capture_output=True, check=True)  # noqa: S603
    return unicodedata.normalize("NFC", done.stdout.decode())


def _qr_codes_on_first_page(pdf: bytes, tmp_path: Path) -> list[str]:
    source, prefix = tmp_path / "qr.pdf", tmp_path / "page"
    source.write_bytes(pdf)
    pdftoppm, zbarimg = _tool("pdftoppm"), _tool("zbarimg")
    subprocess.run([pdftoppm, "-gray", "-r", "300", "-f", "1", "-l", "1", "-singlefile", source, prefix], check=True)  # noqa: S603
    done = subprocess.run([zbarimg, "--quiet", f"{prefix}.pgm"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout.splitlines()


@pytest.fixture
def public_url(settings):
    settings.PUBLIC_BASE_URL = BASE_URL + "/"
    return BASE_URL


def test_an_issued_result_is_signed_and_verifies_against_the_trust_root(unit, identity, trusted_root, citizen, officer):
    document = _issue(unit, citizen, by=officer)

    verdict = result_verify(result_code=document.result_code)

    assert verdict.valid, verdict.reason
    assert verdict.hash_matches_issued is True
    assert [s.signer for s in verdict.signatures] == [unit.name]
    assert document.kind == DocumentKind.RESULT
    assert document.signed_by == identity
    assert document.issued_by == officer
    assert document.dossier_code == "000.00.21.H99-260302-0001"


def test_result_codes_count_per_unit_and_year_from_one(unit, other_unit, identity, make_identity, citizen):
    make_identity(other_unit)
    year = clock.local_today().year

    codes = [_issue(unit, citizen).result_code for _ in range(3)]
    elsewhere = _issue(other_unit, citizen).result_code

    assert codes == [f"KQ-{unit.code}-{year}-{n:06d}" for n in (1, 2, 3)]
    assert elsewhere == f"KQ-{other_unit.code}-{year}-000001"
    sequence = DocumentSequence.objects.get(kind=DocumentSequence.Kind.RESULT, unit=unit, year=year)
    assert sequence.last_number == 3


class Boom(Exception):
    pass


@transaction.atomic
def _issue_then_crash(unit, citizen) -> None:
    _issue(unit, citizen)
    raise Boom


def test_a_result_that_fails_to_issue_gives_its_number_back(unit, identity, citizen):
    with pytest.raises(Boom):
        _issue_then_crash(unit, citizen)

    assert not Document.objects.exists()
    assert _issue(unit, citizen).result_code.endswith("-000001")


POSTGRES = connection.vendor == "postgresql"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_consecutive_codes(unit, identity, citizen):
    threads = 12 if POSTGRES else 4
    start = threading.Barrier(threads)

    def issue_one(_: int) -> str:
        start.wait()
        try:
            for _attempt in range(2000):
                try:
                    return _issue(unit, citizen).result_code
                except OperationalError as exc:  # in-memory SQLite answers "locked" at once instead of waiting
                    if POSTGRES or "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            raise AssertionError("never got the lock")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        codes = list(pool.map(issue_one, range(threads)))

    assert sorted(int(code.rsplit("-", 1)[1]) for code in codes) == list(range(1, threads + 1))
    assert Document.objects.filter(result_code__in=codes).count() == threads


def test_the_printed_result_carries_its_code_fields_and_a_qr_of_the_verification_page(
    unit, identity, citizen, public_url, tmp_path
):
    document = _issue(unit, citizen)
    pdf = stored_file_read(document.stored_file)
    url = f"{BASE_URL}/xac-thuc-ket-qua/{document.result_code}"

    text = _pdf_text(pdf, tmp_path)
    assert "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH" in text
    assert "Tạp hóa Bình An" in text
    assert "Cấp cho: Nguyễn Văn An" in text
    assert f"Số: {document.result_code}" in text
    assert "Hòa Bình, ngày" in text
    assert f"QR-Code:{url}" in _qr_codes_on_first_page(pdf, tmp_path)
    assert verification_url(document.result_code) == url


def test_an_uploaded_result_gets_the_qr_drawn_on_its_first_page_and_is_signed(
    unit, identity, trusted_root, citizen, sample_pdf, public_url, tmp_path
):
    document = _issue(unit, citizen, uploaded_pdf=sample_pdf)
    pdf = stored_file_read(document.stored_file)

    assert f"QR-Code:{BASE_URL}/xac-thuc-ket-qua/{document.result_code}" in _qr_codes_on_first_page(pdf, tmp_path)
    assert "Giay chung nhan 1" in _pdf_text(pdf, tmp_path)  # the upload's own content is still there
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    assert result_verify(result_code=document.result_code).valid


def test_an_upload_with_javascript_is_refused_and_nothing_is_issued(unit, identity, citizen):
    with pytest.raises(InvalidInput):
        _issue(unit, citizen, uploaded_pdf=samples.pdf_with_open_action_js())

    assert not Document.objects.exists()
    assert not DocumentSequence.objects.exists()


def test_a_unit_without_a_signing_certificate_cannot_issue(other_unit, citizen):
    with pytest.raises(InvalidInput) as refused:
        _issue(other_unit, citizen)

    assert refused.value.code == "no_signing_identity"
    assert not Document.objects.exists()


def test_the_result_is_delivered_to_the_owners_vault(unit, identity, citizen):
    document = _issue(unit, citizen, expires_on=date(2099, 12, 31))

    [entry] = vault_for_owner(citizen)
    assert entry.document == document
    assert entry.source == VaultSource.E_RESULT
    assert entry.type_code == "GCN-HKD"
    assert entry.number == document.result_code
    assert entry.issuer == unit.name
    assert entry.issued_on == clock.local_today()
    assert entry.expires_on == date(2099, 12, 31)
    assert entry.origin_dossier_code == "000.00.21.H99-260302-0001"


def test_a_revoked_result_verifies_as_revoked_and_leaves_the_proposals(unit, identity, trusted_root, citizen):
    document = _issue(unit, citizen)
    assert vault_propose(owner=citizen, type_codes=["GCN-HKD"])

    document_revoke(document=document, reason="Cấp nhầm địa chỉ")

    verdict = result_verify(result_code=document.result_code)
    assert verdict.revoked
    assert not verdict.valid
    assert "Cấp nhầm địa chỉ" in verdict.reason
    assert vault_propose(owner=citizen, type_codes=["GCN-HKD"]) == []


def test_a_result_type_gets_its_own_template_if_there_is_one():
    assert result_template_names("1.001.KS") == ["documents/results/1_001_KS.html", "documents/results/default.html"]
    assert result_template_names("../../etc/passwd") == [
        "documents/results/etc_passwd.html",
        "documents/results/default.html",
    ]
    assert result_template_names("") == ["documents/results/default.html"]


def test_the_code_format_keeps_six_digits_and_grows_past_them():
    assert document_code_format(prefix="KQ", unit_code="H99.21", year=2026, number=7) == "KQ-H99.21-2026-000007"
    assert document_code_format(prefix="KQ", unit_code="H99.21", year=2026, number=1234567).endswith("-1234567")

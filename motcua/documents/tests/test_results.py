"""Issuing a signed result and verifying it later, by code or by the bytes someone holds."""

import pytest

from motcua.core.errors import Conflict, NotFound
from motcua.documents.models import DocumentKind
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import document_create, document_revoke, document_sign, stored_file_create
from motcua.documents.signing import pdf_sign
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

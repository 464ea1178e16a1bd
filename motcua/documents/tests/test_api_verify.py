import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.documents.models import DocumentKind
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import document_create, document_sign, stored_file_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued_pdf(sample_pdf, identity, unit, trusted_root) -> bytes:
    document = document_create(
        kind=DocumentKind.RESULT, stored_file=stored_file_create(content=sample_pdf, filename="kq.pdf"), name="Kết quả"
    )
    document = document_sign(
        document=document, identity=identity, unit=unit, reason="Kết quả", location="H99", result_code="KQ-0001"
    )
    return stored_file_read(document.stored_file)


def _post(client, content: bytes, name: str = "kq.pdf", accept_language: str = "vi"):
    upload = SimpleUploadedFile(name, content, "application/pdf")
    return client.post("/api/v1/verify", {"file": upload}, headers={"accept-language": accept_language})


def test_uploading_an_issued_pdf_answers_valid_with_the_signer(client, issued_pdf, unit):
    response = _post(client, issued_pdf)

    assert response.status_code == 200
    body = response.json()
    assert body["valid"] is True
    assert body["hash_matches_issued"] is True
    assert body["revoked"] is False
    assert body["signatures"][0]["signer"] == unit.name
    assert body["signatures"][0]["intact"] is True
    assert body["signatures"][0]["trusted"] is True
    assert set(body["signatures"][0]) == {"signer", "unit", "signed_at", "intact", "trusted"}


def test_uploading_a_tampered_pdf_answers_modified(client, issued_pdf):
    tampered = issued_pdf.replace(b"Giay chung nhan 1", b"Giay chung nhan 7")

    body = _post(client, tampered, accept_language="en").json()

    assert body["valid"] is False
    assert "modified" in body["reason"]
    assert body["hash_matches_issued"] is False


def test_uploading_garbage_is_a_400_error_object(client):
    response = _post(client, b"\x00\x01 definitely not a pdf", "rac.pdf")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "not_a_pdf"


def test_uploading_an_unsigned_pdf_is_not_valid(client, sample_pdf):
    body = _post(client, sample_pdf).json()

    assert body["valid"] is False
    assert body["signatures"] == []
    assert body["reason"]


def test_uploading_without_a_file_is_a_400(client):
    response = client.post("/api/v1/verify", {})

    assert response.status_code == 400
    assert "error" in response.json()


def test_verify_by_result_code(client, issued_pdf):
    response = client.get("/api/v1/verify/KQ-0001")

    assert response.status_code == 200
    assert response.json()["valid"] is True
    assert response.json()["result_code"] == "KQ-0001"


def test_unknown_result_code_is_a_404_error_object(client):
    response = client.get("/api/v1/verify/KQ-9999")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "result_not_found"

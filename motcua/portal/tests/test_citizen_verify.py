"""The public verification page: upload a PDF or open a result code, and read the verdict plainly."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.documents.models import DocumentKind
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import document_create, document_revoke, document_sign, stored_file_create
from motcua.documents.tests import conftest as documents
from motcua.documents.tests import samples
from motcua.portal.tests.citizen_world import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]

# The documents tests' throw-away PKI: a session CA, trusted for the test, and a unit's signing identity.
_pki_settings = documents._pki_settings
root_ca = documents.root_ca
trusted_root = documents.trusted_root
make_identity = documents.make_identity
identity = documents.identity
unit = documents.unit


@pytest.fixture
def issued(identity, unit, trusted_root):
    stored = stored_file_create(content=samples.pdf_bytes(), filename="kq.pdf")
    document = document_create(kind=DocumentKind.RESULT, stored_file=stored, name="Giấy khai sinh")
    return document_sign(
        document=document, identity=identity, unit=unit, reason="Kết quả", location="H99", result_code="KQ-0001"
    )


def upload(client, content: bytes, name: str = "kq.pdf"):
    return client.post(reverse("portal:verify"), {"file": SimpleUploadedFile(name, content, "application/pdf")})


def test_the_page_offers_a_labelled_upload(client, db):
    html = client.get(reverse("portal:verify")).content.decode()

    assert 'for="id_file"' in html
    assert 'enctype="multipart/form-data"' in html


def test_garbage_is_refused_next_to_the_field(client, db):
    response = upload(client, b"\x00\x01 definitely not a pdf", "rac.pdf")

    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_file"' in html
    assert 'id="id_file_error"' in html


def test_an_unsigned_pdf_is_not_valid_and_says_why(client, db):
    response = upload(client, samples.pdf_bytes())

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="card verdict bad"' in html


def test_an_issued_signed_pdf_is_valid_with_its_signer(client, issued, unit):
    response = upload(client, stored_file_read(issued.stored_file))

    html = response.content.decode()
    assert 'class="card verdict ok"' in html
    assert unit.name in html
    assert "KQ-0001" in html


def test_the_result_code_page_answers_for_the_qr_on_a_copy(client, issued, unit):
    html = client.get(reverse("portal:verify", kwargs={"result_code": "KQ-0001"})).content.decode()

    assert 'class="card verdict ok"' in html
    assert unit.name in html


def test_a_revoked_result_is_not_valid_and_says_so(client, issued):
    document_revoke(document=issued, reason="Cấp nhầm")

    html = client.get(reverse("portal:verify", kwargs={"result_code": "KQ-0001"})).content.decode()

    assert 'class="card verdict bad"' in html
    assert "Cấp nhầm" in html


def test_an_unknown_result_code_is_a_friendly_404(client, db):
    response = client.get(reverse("portal:verify", kwargs={"result_code": "KQ-9999"}))

    assert response.status_code == 404
    assert "KQ-9999" in response.content.decode()

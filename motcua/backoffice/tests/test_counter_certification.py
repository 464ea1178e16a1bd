"""Certified electronic copies at the counter: the form, the book of the year, the entry page (SPEC §3.5)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.accounts.models import CitizenProfile
from motcua.backoffice.forms_certification import certification_fee
from motcua.documents import certification, pki
from motcua.documents.models import CertificationEntry, Document, StoredFile, VaultDocument
from motcua.documents.ocr import DigitizationResult, PageResult
from motcua.documents.results import verification_url
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import signing_identity_create
from motcua.documents.tests import samples

from .conftest import START

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]

PASSPHRASE = "test-pki-passphrase"
URL = "/can-bo/quay/chung-thuc/"
OWNER_ID = "001090000001"


@pytest.fixture(scope="module")
def root_ca() -> pki.KeyPair:
    return pki.root_ca_create(
        common_name="Test Root CA", organization="Tỉnh Thử Nghiệm", now=START - timedelta(days=30)
    )


@pytest.fixture(autouse=True)
def _pki_settings(settings, tmp_path):
    settings.DOCUMENTS_PKI_PASSPHRASE = PASSPHRASE
    settings.DOCUMENTS_PKI_DIR = tmp_path / "pki"
    settings.DOCUMENTS_TRUST_ROOTS = []


def _identity(unit, root_ca):
    pair = pki.signing_cert_issue(
        ca=root_ca,
        common_name=unit.name,
        organization="Tỉnh Thử Nghiệm",
        unit_code=unit.code,
        not_before=START - timedelta(days=1),
        not_after=START + timedelta(days=365),
    )
    return signing_identity_create(
        unit=unit,
        certificate_pem=pair.cert_pem(),
        chain_pem=root_ca.cert_pem(),
        p12_data=pki.pkcs12_bytes(pair=pair, chain=[root_ca.cert], passphrase=PASSPHRASE, name=unit.code),
        passphrase_env="DOCUMENTS_PKI_PASSPHRASE",
    )


@pytest.fixture
def signing(world, root_ca):
    return _identity(world.unit, root_ca)


@pytest.fixture(autouse=True)
def fake_ocr(monkeypatch):
    """Real OCR takes seconds a page and is tested in documents; here a fixed digitization of 3 pages."""

    def digitize(sources, **_options) -> DigitizationResult:
        pages = [PageResult(i, f"trang {i + 1}", b"png", None) for i in range(3)]
        return DigitizationResult(pdf=samples.pdf_bytes(pages=3), pages=pages, failed_pages=[])

    monkeypatch.setattr(certification, "digitize", digitize)


@pytest.fixture
def owner(db) -> CitizenProfile:
    return CitizenProfile.objects.create(id_number=OWNER_ID, full_name="Nguyễn Văn An")


def scan(name: str = "khai-sinh.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, samples.image_bytes(), "image/png")


def post_data(world, **overrides):
    data = {"unit": world.unit.code, "id_number": OWNER_ID, "title": "Giấy khai sinh", "scans": [scan()]}
    data.update(overrides)
    return data


def written() -> tuple[int, int, int, int]:
    return (
        CertificationEntry.objects.count(),
        Document.objects.count(),
        StoredFile.objects.count(),
        VaultDocument.objects.count(),
    )


def test_the_fee_follows_the_circular():
    assert [certification_fee(n) for n in (1, 2, 3, 10)] == [
        Decimal(2000),
        Decimal(4000),
        Decimal(5000),
        Decimal(12000),
    ]
    assert certification_fee(500) == Decimal(200000)


def test_the_page_shows_the_form_the_fee_and_an_empty_book(world, login):
    html = login(world.officer).get(URL).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert "Thông tư 226/2016/TT-BTC" in html
    assert "2.000" in html
    assert "200.000" in html
    assert world.unit.name in html


def test_the_owner_is_looked_up_by_id_number(world, login, owner):
    html = login(world.officer).get(URL, {"id_number": OWNER_ID}).content.decode()

    assert "Nguyễn Văn An" in html
    assert f'value="{OWNER_ID}"' in html


def test_a_copy_is_certified_numbered_and_shown_with_its_links(world, login, owner, signing):
    client = login(world.officer)

    response = client.post(URL, post_data(world, requester_name="Trần Thị Bình"))

    entry = CertificationEntry.objects.get()
    assert response.status_code == 302
    assert response.url == f"{URL}{entry.pk}/"
    assert (entry.unit, entry.number, entry.book, entry.pages) == (world.unit, 1, "01/2025-SCT/BS", 3)
    assert entry.requester_name == "Trần Thị Bình"
    assert VaultDocument.objects.get().document == entry.document
    html = client.get(response.url).content.decode()
    assert "Số chứng thực: 1, quyển số 01/2025-SCT/BS" in html
    assert "01/2025-SCT/BS" in html
    assert "5.000" in html  # 3 pages: 2.000 + 2.000 + 1.000
    assert f"{URL}{entry.pk}/tai-ve/" in html
    assert verification_url(entry.document.result_code) in html
    download = client.get(f"{URL}{entry.pk}/tai-ve/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download.content == stored_file_read(entry.document.stored_file)
    book = client.get(URL).content.decode()
    assert "Giấy khai sinh" in book
    assert "Trần Thị Bình" in book


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "id_title"),
        ({"scans": []}, "id_scans"),
        ({"id_number": "123"}, "id_id_number"),
        ({"id_number": "001090000009"}, "id_id_number"),  # valid, but nobody has it
        ({"unit": "000.00.22.H99"}, "id_unit"),  # not one of the officer's units
        ({"scans": [SimpleUploadedFile("virus.exe", b"MZ not a scan", "application/octet-stream")]}, "id_scans"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_written(world, login, owner, signing, overrides, field):
    before = written()

    response = login(world.officer).post(URL, post_data(world, **overrides))

    assert response.status_code == 422
    assert f'href="#{field}"' in response.content.decode()
    assert written() == before


def test_without_a_signing_certificate_nothing_is_numbered(world, login, owner):
    before = written()

    response = login(world.officer).post(URL, post_data(world))

    assert response.status_code == 422
    assert "chứng thư số" in response.content.decode() or "signing certificate" in response.content.decode()
    assert written() == before


def test_another_units_entry_is_404_and_not_listed(world, login, owner, signing, root_ca):
    login(world.officer).post(URL, post_data(world))
    entry = CertificationEntry.objects.get()

    outsider = login(world.outsider)
    assert outsider.get(f"{URL}{entry.pk}/").status_code in (403, 404)
    assert outsider.get(f"{URL}{entry.pk}/tai-ve/").status_code in (403, 404)


def test_only_counter_officers_use_the_page(world, login, owner):
    response = login(world.specialist).get(URL)

    assert response.status_code == 403

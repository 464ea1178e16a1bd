"""Digitization progress and the result on the staff dossier pages (SPEC §3.3, §3.6)."""

from __future__ import annotations

import pytest

from motcua.documents.models import DigitizationStatus, Document, DocumentKind
from motcua.documents.results import verification_url
from motcua.documents.services import stored_file_create
from motcua.documents.tests.samples import pdf_bytes
from motcua.dossiers.factories import register
from motcua.dossiers.models import DossierComponent

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.backoffice.tests.urls")]


@pytest.fixture
def dossier(world):
    return register(world.officer, world.procedure)


def _digitized(world, dossier, *, status=DigitizationStatus.RUNNING, done=2, total=5, error="") -> Document:
    stored = stored_file_create(content=pdf_bytes(), filename="scan.pdf", uploaded_by=world.officer)
    document = Document.objects.create(
        kind=DocumentKind.DIGITIZED_COPY,
        stored_file=stored,
        name="Bản số hóa",
        dossier_code=dossier.code,
        digitization_status=status,
        progress_done=done,
        progress_total=total,
        error=error,
    )
    item = DossierComponent.objects.filter(dossier=dossier).order_by("pk").first()
    item.digitized_document = document
    item.save(update_fields=["digitized_document"])
    return document


def test_the_dossier_page_shows_each_component_digitization_and_polls_while_running(world, dossier, login):
    _digitized(world, dossier)

    html = login(world.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "2/5 trang" in html
    assert '<progress max="100" value="40"' in html
    assert "40%" in html
    assert "Đang thực hiện" in html  # the task status, in Vietnamese
    assert f'hx-get="/can-bo/ho-so/{dossier.code}/so-hoa/"' in html
    assert 'hx-trigger="every 3s"' in html


def test_a_finished_digitization_stops_polling_and_shows_the_error(world, dossier, login):
    _digitized(world, dossier, status=DigitizationStatus.PARTIAL, done=4, total=5, error="Trang 3 không đọc được")

    response = login(world.specialist).get(f"/can-bo/ho-so/{dossier.code}/so-hoa/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "4/5 trang" in html
    assert "Trang 3 không đọc được" in html
    assert "hx-trigger" not in html


def test_the_counter_receipt_page_shows_the_progress(world, dossier, login):
    _digitized(world, dossier, done=1, total=4)

    html = login(world.officer).get(f"/can-bo/quay/ho-so/{dossier.code}/").content.decode()

    assert "1/4 trang" in html
    assert 'hx-trigger="every 3s"' in html


def test_no_scan_no_progress_block(world, dossier, login):
    html = login(world.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert 'id="h-digitization"' not in html


def test_another_units_staff_get_404_for_the_progress(world, dossier, login):
    _digitized(world, dossier)

    assert login(world.outsider).get(f"/can-bo/ho-so/{dossier.code}/so-hoa/").status_code == 404
    assert login(world.outsider).get("/can-bo/ho-so/KHONG-CO/so-hoa/").status_code == 404


def test_the_progress_needs_a_verified_staff_member(client, world, dossier):
    response = client.get(f"/can-bo/ho-so/{dossier.code}/so-hoa/")

    assert response.status_code in (302, 403)


def test_the_result_code_download_and_verification_links(world, dossier, login):
    stored = stored_file_create(content=pdf_bytes(), filename="kq.pdf", uploaded_by=world.leader)
    code = "KQ-000.00.21.H99-2025-000007"
    result = Document.objects.create(
        kind=DocumentKind.RESULT,
        stored_file=stored,
        name="Giấy khai sinh",
        dossier_code=dossier.code,
        signed=True,
        result_code=code,
    )

    html = login(world.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert code in html
    assert f"/api/v1/dossiers/{dossier.code}/documents/{result.pk}" in html
    assert verification_url(code).replace("&", "&amp;") in html


def test_a_revoked_result_is_not_offered(world, dossier, login):
    stored = stored_file_create(content=pdf_bytes(), filename="kq.pdf", uploaded_by=world.leader)
    Document.objects.create(
        kind=DocumentKind.RESULT,
        stored_file=stored,
        name="Giấy khai sinh",
        dossier_code=dossier.code,
        signed=True,
        result_code="KQ-000.00.21.H99-2025-000008",
        revoked=True,
    )

    html = login(world.specialist).get(f"/can-bo/ho-so/{dossier.code}/").content.decode()

    assert "KQ-000.00.21.H99-2025-000008" not in html.split('id="h-documents"')[0]
    assert "Chưa có kết quả" in html or "No result issued yet" in html

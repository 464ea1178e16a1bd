"""Receiving a dossier at the counter: one dossier per form, its printed form stored with it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.accounts.models import CitizenProfile
from motcua.accounts.testing import verified_staff_client
from motcua.backoffice.tests.counter_world import ID_NUMBER, clock, legal_forms, officer_client, pdf_text, world
from motcua.documents.models import Document, DocumentKind, StoredFile
from motcua.dossiers.factories import register
from motcua.dossiers.forms.render import html_to_pdf
from motcua.dossiers.models import Dossier

__all__ = ["clock", "officer_client", "world"]  # fixtures

pytestmark = pytest.mark.urls("motcua.backoffice.tests.urls_counter_test")

KEY = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def intake_url(world) -> str:
    return reverse("backoffice:counter-intake", args=[world.procedure.code])


def form(decision: str = "accept", **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "idempotency_key": KEY,
        "full_name": "Trần Văn Bình",
        "id_number": "001 090 012 345",
        "date_of_birth": "1990-05-17",
        "address": "12 Lê Lợi, phường Hòa Bình",
        "phone": "0912345678",
        "email": "binh@example.vn",
        "return_method": "counter",
        "decision": decision,
        "c0_originals": "1",
        "c0_copies": "0",
        "c1_originals": "0",
        "c1_copies": "0",
    }
    data.update(changes)
    return data


def test_the_counter_finds_a_procedure_by_code(officer_client, world):
    response = officer_client.get(reverse("backoffice:counter"), {"q": "1.001193"})

    assert response.status_code == 200
    assert intake_url(world) in response.content.decode()


def test_a_known_citizen_is_prefilled_from_the_profile(officer_client, world):
    CitizenProfile.objects.create(id_number=ID_NUMBER, full_name="Lê Thị Thu", address="5 Trần Phú")

    response = officer_client.get(intake_url(world), {"id_number": "001090 012345"})

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Lê Thị Thu"' in page
    assert 'value="5 Trần Phú"' in page
    assert 'name="idempotency_key"' in page


def test_accepting_registers_one_dossier_and_stores_the_receipt(officer_client, world):
    response = officer_client.post(intake_url(world), form())

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("backoffice:counter-dossier", args=[dossier.code])
    assert dossier.status == "processing"
    assert dossier.due_at is not None
    [receipt] = legal_forms(dossier.code)
    assert receipt.kind == DocumentKind.LEGAL_FORM
    assert receipt.stored_file.mime == "application/pdf"
    text = pdf_text(receipt)
    assert dossier.code in text
    assert "Trần Văn Bình" in text
    assert "Nguyễn Thị Hằng" in text  # the receiving officer signs the receipt
    assert "An Lạc, ngày 09 tháng 9 năm 2025" in text
    assert CitizenProfile.objects.get(id_number=ID_NUMBER).full_name == "Trần Văn Bình"


def test_the_print_page_links_the_receipt_pdf(officer_client, world):
    officer_client.post(intake_url(world), form())
    dossier = Dossier.objects.get()
    [receipt] = legal_forms(dossier.code)

    page = officer_client.get(reverse("backoffice:counter-dossier", args=[dossier.code])).content.decode()

    assert "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in page
    assert f"/api/v1/dossiers/{dossier.code}/documents/{receipt.pk}" in page
    pdf = officer_client.get(f"/api/v1/dossiers/{dossier.code}/documents/{receipt.pk}")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("inline")


def test_a_double_submit_gives_the_same_dossier(officer_client, world):
    first = officer_client.post(intake_url(world), form())
    second = officer_client.post(intake_url(world), form())

    assert Dossier.objects.count() == 1
    assert first.url == second.url
    assert len(legal_forms(Dossier.objects.get().code)) == 1


def test_each_rendering_of_the_form_is_a_new_dossier(officer_client, world):
    officer_client.post(intake_url(world), form())
    officer_client.post(intake_url(world), form(idempotency_key="another-rendering"))

    assert Dossier.objects.count() == 2


def test_a_scan_is_filed_with_its_component(officer_client, world):
    scan = SimpleUploadedFile("to-khai.pdf", html_to_pdf("<p>Tờ khai</p>"), content_type="application/pdf")

    officer_client.post(intake_url(world), form(c0_file=scan))

    dossier = Dossier.objects.get()
    document = Document.objects.get(dossier_code=dossier.code, kind=DocumentKind.COMPONENT_SCAN)
    assert document.name.startswith("Tờ khai")
    assert dossier.components.get(component__code="TP1").files == [str(document.stored_file_id)]


def test_a_missing_required_paper_is_flagged_and_nothing_is_written(officer_client, world):
    response = officer_client.post(intake_url(world), form(c0_originals="0"))

    assert response.status_code == 422
    assert 'id="id_c0_originals-error"' in response.content.decode()
    assert Dossier.objects.count() == 0


def test_an_invalid_id_number_is_shown_next_to_the_field(officer_client, world):
    response = officer_client.post(intake_url(world), form(id_number="12345"))

    page = response.content.decode()
    assert response.status_code == 422
    assert 'aria-invalid="true"' in page
    assert 'class="error-summary"' in page
    assert Dossier.objects.count() == 0


def test_a_scan_stays_attached_when_the_form_comes_back_with_errors(officer_client, world):
    scan = SimpleUploadedFile("giay-to.pdf", html_to_pdf("<p>Giấy tờ</p>"), content_type="application/pdf")

    refused = officer_client.post(intake_url(world), form(full_name="", c1_file=scan))
    stored = StoredFile.objects.get()
    accepted = officer_client.post(intake_url(world), form(c1_kept=str(stored.pk)))

    assert refused.status_code == 422
    assert "giay-to.pdf" in refused.content.decode()
    assert accepted.status_code == 302
    assert Dossier.objects.get().components.get(component__code="TP2").files == [str(stored.pk)]


def test_someone_elses_upload_cannot_be_attached(officer_client, world):
    foreign = StoredFile.objects.create(sha256="0" * 64, size=1, mime="application/pdf", storage_key="00/x")

    officer_client.post(intake_url(world), form(c1_kept=str(foreign.pk)))

    assert Dossier.objects.get().components.get(component__code="TP2").files == []


def test_asking_for_a_supplement_prints_mau_02_and_does_not_start_the_clock(officer_client, world):
    response = officer_client.post(
        intake_url(world),
        form("supplement", c0_originals="0", c0_missing="on", missing_other="Giấy chứng sinh bản chính"),
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.status == "awaiting_supplement"
    assert dossier.accepted_at is None
    [request] = legal_forms(dossier.code)
    assert request.name.startswith("Mẫu 02")
    text = pdf_text(request)
    assert "Giấy chứng sinh bản chính" in text
    assert dossier.code in text


def test_a_supplement_request_needs_the_missing_papers(officer_client, world):
    response = officer_client.post(intake_url(world), form("supplement"))

    assert response.status_code == 422
    assert Dossier.objects.count() == 0


def test_refusing_prints_mau_03_with_the_reason(officer_client, world):
    response = officer_client.post(intake_url(world), form("refuse", reason="Không thuộc thẩm quyền của phường."))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.status == "refused"
    [refusal] = legal_forms(dossier.code)
    assert refusal.name.startswith("Mẫu 03")
    assert "Không thuộc thẩm quyền của phường." in pdf_text(refusal)


def test_a_refusal_needs_a_reason(officer_client, world):
    response = officer_client.post(intake_url(world), form("refuse"))

    assert response.status_code == 422
    assert Dossier.objects.count() == 0


def test_a_form_not_printed_yet_can_be_printed_from_the_page(officer_client, world):
    dossier = register(world.officer, world.procedure)  # the after-commit task did not run here
    page_url = reverse("backoffice:counter-dossier", args=[dossier.code])

    print_url = reverse("backoffice:counter-form-print", args=[dossier.code, "mau_01"])
    before = officer_client.get(page_url).content.decode()
    response = officer_client.post(print_url)

    assert f'action="{print_url}"' in before
    assert response.status_code == 302
    assert len(legal_forms(dossier.code)) == 1


def test_a_specialist_is_not_a_counter_officer(client, world):
    response = verified_staff_client(client, world.specialist).get(reverse("backoffice:counter"))

    assert response.status_code == 403


def test_a_citizen_is_refused_the_counter(client, world):
    client.force_login(world.citizen)

    assert client.get(intake_url(world)).status_code == 403


def test_another_wards_counter_officer_gets_404_for_the_dossier(officer_client, client, world):
    officer_client.post(intake_url(world), form())
    code = Dossier.objects.get().code
    officer_client.logout()

    outsider = verified_staff_client(client, world.outsider)

    assert outsider.get(reverse("backoffice:counter-dossier", args=[code])).status_code == 404
    assert outsider.post(reverse("backoffice:counter-form-print", args=[code, "mau_01"])).status_code == 404


def test_an_unknown_procedure_is_404(officer_client):
    assert officer_client.get(reverse("backoffice:counter-intake", args=["9.999999"])).status_code == 404


def test_the_control_slip_prints_on_demand(officer_client, world):
    officer_client.post(intake_url(world), form())
    dossier = Dossier.objects.get()

    response = officer_client.post(reverse("backoffice:counter-form-print", args=[dossier.code, "mau_05"]))

    assert response.status_code == 302
    slip = legal_forms(dossier.code)[-1]
    assert slip.name == "Mẫu 06 – Phiếu kiểm soát quá trình giải quyết hồ sơ"  # renumbered in 2025
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdf_text(slip)


def test_an_unknown_form_is_404(officer_client, world):
    officer_client.post(intake_url(world), form())
    code = Dossier.objects.get().code

    assert officer_client.post(reverse("backoffice:counter-form-print", args=[code, "mau_99"])).status_code == 404

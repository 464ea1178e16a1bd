"""Legal forms stored with the dossier: issued after the action commits, once per event, signed when the unit can."""

from __future__ import annotations

import subprocess
from datetime import timedelta

import pytest

from motcua.core import clock as core_clock
from motcua.core.errors import Conflict
from motcua.documents import pki
from motcua.documents.models import Document, DocumentKind
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import signing_identity_create
from motcua.dossiers.factories import register
from motcua.dossiers.forms import FormKind
from motcua.dossiers.services.forms import dossier_form_issue, form_name
from motcua.dossiers.services.intake import dossier_intake
from motcua.dossiers.services.pauses import dossier_apologize
from motcua.dossiers.services.processing import dossier_stop
from motcua.dossiers.services.review import dossier_refuse, dossier_request_supplement
from motcua.dossiers.tests.conftest import World

PASSPHRASE = "forms-test-passphrase"


def pdf_text(document: Document) -> str:
    content = stored_file_read(document.stored_file)
    done = subprocess.run(
        ["/usr/bin/pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


def forms_of(code: str) -> list[Document]:
    return list(Document.objects.filter(dossier_code=code, kind=DocumentKind.LEGAL_FORM).order_by("pk"))


def registered_only(world: World):
    """A dossier the counter registered without accepting (to refuse it or ask for a supplement)."""
    from motcua.dossiers.factories import intake_input

    return dossier_intake(caller=world.officer, data=intake_input(world.procedure), accept=False).dossier


def test_counter_intake_issues_the_receipt_after_commit(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = register(world.officer, world.procedure)

    [receipt] = forms_of(dossier.code)
    assert receipt.name == "Mẫu 01 – Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
    assert receipt.stored_file.mime == "application/pdf"
    assert receipt.signed is False  # the unit has no signing identity: issued unsigned, not refused
    text = pdf_text(receipt)
    assert dossier.code in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Nguyễn Văn An" in text
    assert "5 ngày làm việc" in text


def test_nothing_is_printed_inside_the_action_transaction(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = register(world.officer, world.procedure)

    assert forms_of(dossier.code) == []
    assert callbacks  # the form task waits for the commit


def test_issuing_the_same_form_twice_gives_one_document(world):
    dossier = register(world.officer, world.procedure)

    first = dossier_form_issue(dossier=dossier, kind=FormKind.RECEIPT, actor=world.officer)
    again = dossier_form_issue(dossier=dossier, kind=FormKind.RECEIPT, actor=world.officer)

    assert first.pk == again.pk
    assert len(forms_of(dossier.code)) == 1


def test_refusal_at_the_counter_prints_mau_03_with_the_reason(world, django_capture_on_commit_callbacks):
    dossier = registered_only(world)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_refuse(dossier=dossier, officer=world.officer, reason="Không thuộc thẩm quyền của phường.")

    [refusal] = forms_of(dossier.code)
    assert refusal.name.startswith("Mẫu 03 – Phiếu từ chối")
    text = pdf_text(refusal)
    assert "Không thuộc thẩm quyền của phường." in text
    assert dossier.code in text


def test_supplement_request_prints_mau_02_listing_what_is_missing(world, django_capture_on_commit_callbacks):
    dossier = registered_only(world)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_request_supplement(dossier=dossier, officer=world.officer, missing=["Giấy chứng sinh bản chính"])

    [request] = forms_of(dossier.code)
    assert request.name.startswith("Mẫu 02 – Phiếu yêu cầu bổ sung")
    assert "Giấy chứng sinh bản chính" in pdf_text(request)


def test_each_supplement_request_gets_its_own_form(world):
    dossier = register(world.officer, world.procedure)
    dossier_request_supplement(dossier=dossier, officer=world.officer, missing=["Tờ khai"])
    first = dossier_form_issue(dossier=dossier, kind=FormKind.SUPPLEMENT_REQUEST)
    from motcua.dossiers.services.review import dossier_submit_supplement

    dossier_submit_supplement(dossier=dossier, actor=world.officer)
    dossier_request_supplement(dossier=dossier, officer=world.officer, missing=["Bản sao hộ chiếu"])
    second = dossier_form_issue(dossier=dossier, kind=FormKind.SUPPLEMENT_REQUEST)

    assert first.pk != second.pk
    assert "Bản sao hộ chiếu" in pdf_text(second)


def test_apology_prints_mau_04_with_the_new_date(world, clock, django_capture_on_commit_callbacks):
    dossier = register(world.officer, world.procedure)
    new_due = dossier.due_at + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        dossier_apologize(dossier=dossier, officer=world.officer, reason="Cần xác minh thêm.", new_due_at=new_due)

    apology = forms_of(dossier.code)[-1]
    assert apology.name.startswith("Mẫu 04 – Văn bản xin lỗi")
    assert "Cần xác minh thêm." in pdf_text(apology)


def test_stop_notice_and_control_slip_print_on_demand(world):
    dossier = register(world.officer, world.procedure)

    slip = dossier_form_issue(dossier=dossier, kind=FormKind.CONTROL_SLIP, actor=world.officer)
    dossier_stop(dossier=dossier, officer=world.officer, reason="Người nộp đề nghị dừng.")
    notice = dossier_form_issue(dossier=dossier, kind=FormKind.STOP_NOTICE, actor=world.officer)

    assert slip.name == form_name(FormKind.CONTROL_SLIP, notice_profile(dossier))
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in pdf_text(slip)
    assert "Người nộp đề nghị dừng." in pdf_text(notice)


def notice_profile(dossier):
    from motcua.dossiers.forms import profile_for

    return profile_for(dossier.accepted_at)


def test_a_form_nothing_called_for_is_refused(world):
    dossier = register(world.officer, world.procedure)

    with pytest.raises(Conflict) as refused:
        dossier_form_issue(dossier=dossier, kind=FormKind.REFUSAL)
    assert refused.value.code == "form_not_due"
    assert len(forms_of(dossier.code)) == 0


@pytest.fixture
def unit_identity(world, settings, tmp_path):
    settings.DOCUMENTS_PKI_PASSPHRASE = PASSPHRASE
    now = core_clock.now()
    ca = pki.root_ca_create(common_name="Test Root CA", organization="Tỉnh Thử Nghiệm", now=now - timedelta(days=1))
    pair = pki.signing_cert_issue(
        ca=ca,
        common_name=world.unit.name,
        organization="Tỉnh Thử Nghiệm",
        unit_code=world.unit.code,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=365),
        key_kind="ec",
    )
    p12 = pki.pkcs12_bytes(pair=pair, chain=[ca.cert], passphrase=PASSPHRASE, name=world.unit.code)
    return signing_identity_create(
        unit=world.unit,
        certificate_pem=pair.cert_pem(),
        chain_pem=ca.cert_pem(),
        p12_data=p12,
        passphrase_env="DOCUMENTS_PKI_PASSPHRASE",
    )


def test_the_form_is_signed_with_the_units_identity(world, unit_identity):
    dossier = register(world.officer, world.procedure)

    receipt = dossier_form_issue(dossier=dossier, kind=FormKind.RECEIPT, actor=world.officer)

    assert receipt.signed is True
    assert receipt.signed_by == unit_identity
    assert receipt.original_file is not None  # the unsigned print stays in the store
    assert b"/ByteRange" in stored_file_read(receipt.stored_file)
    assert dossier.code in pdf_text(receipt)

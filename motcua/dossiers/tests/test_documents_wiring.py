"""Issue 4 end to end on the dossier side: a counter scan digitized into the applicant's vault, reused in the
next dossier through the portal wizard and counted, and a resolved dossier's signed result that pyHanko
and poppler's `pdfsig` validate and that stops verifying when one byte changes."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageDraw, ImageFont
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from motcua.accounts.models import CitizenProfile
from motcua.accounts.services import citizen_profile_upsert
from motcua.catalog.models import Component, ResultType
from motcua.core import clock as core_clock
from motcua.core.errors import InvalidInput
from motcua.documents import pki
from motcua.documents.models import (
    DigitizationStatus,
    Document,
    DocumentKind,
    VaultDocument,
    VaultReuse,
    VaultSource,
)
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import signing_identity_create, stored_file_create
from motcua.documents.tests import samples
from motcua.documents.vault import vault_propose
from motcua.documents.verification import pdf_verify, result_verify, trust_roots_load
from motcua.dossiers.document_selectors import digitization_progress, dossier_result, vault_proposals
from motcua.dossiers.factories import ID_NUMBER, applicant, intake_input, register
from motcua.dossiers.models import Dossier, DossierComponent, Outcome
from motcua.dossiers.services.counter import CounterDecision, Decision, counter_intake
from motcua.dossiers.services.intake import ComponentInput, dossier_intake
from motcua.dossiers.services.processing import dossier_forward, dossier_resolve
from motcua.dossiers.services.review import dossier_accept
from motcua.dossiers.tests.test_api import BODY, Api
from motcua.metrics.collect import records_for
from motcua.portal.tests.citizen_world import URLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls(URLS)]
needs_ocr = pytest.mark.skipif(
    not samples.tesseract_has_vie() or samples.scan_font() is None or shutil.which("pdftotext") is None,
    reason="needs tesseract with Vietnamese data, a Vietnamese font and pdftotext (scripts/install-system-deps.sh)",
)
TYPE_CODE = "GIAY_KHAI_SINH"
PASSPHRASE = "dossier-test-pki"
PERSON = {
    "full_name": "Nguyễn Văn An",
    "id_number": ID_NUMBER,
    "date_of_birth": "1990-01-15",
    "phone": "0912345678",
    "email": "an@example.vn",
    "address": "12 Phố Huế, Hà Nội",
}
SCAN_LINES = ["GIẤY KHAI SINH", "Họ và tên: Nguyễn Văn An", "Nơi sinh: Quảng Ngãi"]


@pytest.fixture
def root_ca(world) -> pki.KeyPair:
    """A CA valid in the frozen clock of the dossier tests, trusted by the verifier."""
    return pki.root_ca_create(
        common_name="Dossier Test Root CA", organization="Tỉnh Thử Nghiệm", now=core_clock.now() - timedelta(days=1)
    )


@pytest.fixture
def signing(world, root_ca, settings, tmp_path):
    """The unit's PKCS#12 identity (valid for ten years, so poppler judges it valid on the real date too)."""
    settings.DOCUMENTS_PKI_PASSPHRASE = PASSPHRASE
    root = tmp_path / "root-ca.pem"
    root.write_text(root_ca.cert_pem())
    settings.DOCUMENTS_TRUST_ROOTS = [str(root)]
    now = core_clock.now()
    pair = pki.signing_cert_issue(
        ca=root_ca,
        common_name=world.unit.name,
        organization="Tỉnh Thử Nghiệm",
        unit_code=world.unit.code,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=3650),
    )
    return signing_identity_create(
        unit=world.unit,
        certificate_pem=pair.cert_pem(),
        chain_pem=root_ca.cert_pem(),
        p12_data=pki.pkcs12_bytes(pair=pair, chain=[root_ca.cert], passphrase=PASSPHRASE, name=world.unit.code),
        passphrase_env="DOCUMENTS_PKI_PASSPHRASE",
    )


@pytest.fixture
def typed(world):
    """The procedure's first component is a birth certificate (a document type the vault can match)."""
    Component.objects.filter(version=world.procedure.current_version, code="TP1").update(document_type_code=TYPE_CODE)
    return world


def scan_jpeg(lines: list[str]) -> bytes:
    """A grey 300 dpi 'scan' of the lines, as a JPEG (what a counter scanner sends)."""
    image = Image.new("L", (2480, 160 + 100 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(samples.scan_font() or "", 50)
    for row, line in enumerate(lines):
        draw.text((200, 80 + row * 100), line, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, dpi=(300, 300))
    return out.getvalue()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "searchable.pdf"
    path.write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return unicodedata.normalize("NFC", done.stdout.decode())


def counter_file(world, django_capture_on_commit_callbacks, *, key: str = "k1", decision=Decision.ACCEPT):
    """The applicant hands in the birth certificate; the officer scans it (JPEG) and accepts the dossier."""
    scan = stored_file_create(content=scan_jpeg(SCAN_LINES), filename="khai-sinh.jpg", uploaded_by=world.officer)
    data = intake_input(world.procedure, components=[ComponentInput(code="TP1", originals=1)])
    with django_capture_on_commit_callbacks(execute=True):
        result = counter_intake(
            officer=world.officer,
            data=data,
            decision=CounterDecision(decision=decision, reason="Không thuộc thẩm quyền"),
            idempotency_key=key,
            scans={"TP1": [scan]},
        )
    return result.dossier


def wizard_url(name: str, code: str) -> str:
    return reverse(f"portal:{name}", kwargs={"procedure_code": code})


def portal_file(client, world, *, vault_choice: str | None):
    """The citizen files the same procedure online, taking TP1 from the vault (or attaching a PDF)."""
    code = world.procedure.code
    client.force_login(world.citizen)
    step_one = {"receiving_unit": world.unit.code, "return_method": "electronic"}
    assert client.post(wizard_url("filing-start", code), step_one).status_code == 302
    assert client.post(wizard_url("filing-applicant", code), PERSON).status_code == 302
    page = client.get(wizard_url("filing-components", code))
    assert page.status_code == 200
    posted: dict[str, object] = {"action": "continue"}
    if vault_choice is None:
        posted["file-0"] = SimpleUploadedFile("to-khai.pdf", samples.pdf_bytes(), "application/pdf")
    else:
        posted["vault-0"] = vault_choice
    response = client.post(wizard_url("filing-components", code), posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    review = client.get(wizard_url("filing-review", code))
    submitted = client.post(wizard_url("filing-review", code))
    assert submitted.status_code == 302, submitted.content.decode()[:2000]
    return Dossier.objects.get(owner=world.citizen), page, review


def resolve(world, dossier: Dossier, **options) -> Dossier:
    dossier_forward(dossier=dossier, officer=world.specialist, comment="Đủ điều kiện")
    return dossier_resolve(dossier=dossier, officer=world.leader, **options)


def flags(dossier: Dossier):
    (record,) = records_for([dossier.pk])
    return record.flags


# --- the whole of "Done when" --------------------------------------------------------------------------


@pytest.mark.slow
@needs_ocr
def test_a_counter_scan_becomes_searchable_is_reused_online_and_the_signed_result_verifies(
    typed, signing, client, tmp_path, django_capture_on_commit_callbacks
):
    world = typed
    # 1. At the counter: the JPEG scan becomes a searchable, signed PDF in the applicant's vault.
    first = counter_file(world, django_capture_on_commit_callbacks)
    component = DossierComponent.objects.get(dossier=first, component__code="TP1")
    copy = component.digitized_document
    assert component.digitized is True
    assert component.reused is False
    assert component.vault_document is None
    assert copy is not None
    copy.refresh_from_db()
    assert copy.digitization_status == DigitizationStatus.DONE
    assert copy.signed is True
    assert copy.stored_file.mime == "application/pdf"
    searchable = pdf_text(stored_file_read(copy.stored_file), tmp_path)
    assert "Nguyễn Văn An" in searchable
    assert "Quảng Ngãi" in searchable
    progress = digitization_progress(dossier=first)
    assert (progress.pages_done, progress.pages_total, progress.percent, progress.finished) == (1, 1, 100, True)
    owner = CitizenProfile.objects.get(id_number=ID_NUMBER)
    entry = VaultDocument.objects.get(citizen=owner, document=copy)
    assert (entry.source, entry.type_code, entry.origin_dossier_code) == (
        VaultSource.COUNTER_DIGITIZATION,
        TYPE_CODE,
        first.code,
    )
    assert flags(first).components_digitized is True
    assert flags(first).reused is False

    # 2. Online, the same person's next dossier is offered the copy, takes it, and the reuse is counted.
    citizen_profile_upsert(id_number=ID_NUMBER, full_name="Nguyễn Văn An", user=world.citizen)
    second, page, review = portal_file(client, world, vault_choice=str(entry.pk))
    assert f'name="vault-0" value="{entry.pk}"' in page.content.decode()
    assert entry.title in review.content.decode()
    assert second.pk != first.pk
    reused = DossierComponent.objects.get(dossier=second, component__code="TP1")
    assert (reused.reused, reused.vault_document, reused.files) == (True, entry.pk, [])
    entry.refresh_from_db()
    assert entry.reuse_count == 1
    assert VaultReuse.objects.filter(vault_document=entry, dossier_code=second.code).count() == 1
    dossier_accept(dossier=second, officer=world.officer)
    assert flags(second).reused is True
    assert flags(second).components_digitized is True

    # 3. The first dossier is resolved: a signed result with its code, QR link and a place in the vault.
    resolved = resolve(world, first, outcome=Outcome.APPROVED, note="Cấp bản sao trích lục")
    result = dossier_result(dossier=resolved)
    assert result is not None
    assert result.result_code.startswith(f"KQ-{world.unit.code}-2025-")
    assert resolved.events.get(action="resolve").data["result_code"] == result.result_code
    assert VaultDocument.objects.get(citizen=owner, document=result).source == VaultSource.E_RESULT
    signed = stored_file_read(result.stored_file)
    printed = pdf_text(signed, tmp_path)
    assert result.result_code in printed
    assert "Nguyễn Văn An" in printed
    assert flags(resolved).e_result is True
    assert result_verify(result_code=result.result_code).valid is True

    # pyHanko's own validator, against the trust root.
    (embedded,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    status = validate_pdf_signature(
        embedded, ValidationContext(trust_roots=trust_roots_load(), allow_fetching=False, revocation_mode="soft-fail")
    )
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.bottom_line
    # poppler's pdfsig (its own CMS code: an independent check of the same bytes).
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(signed)
    checked = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    assert "Signature is Valid" in checked.stdout, checked.stdout + checked.stderr

    # 4. One byte flipped inside the signed range: the public verification says it was modified.
    second_line = signed.index(b"\n") + 2  # the binary comment after %PDF-x.y: covered, and still a comment
    assert signed[second_line - 1 : second_line] == b"%"
    tampered = bytearray(signed)
    tampered[second_line] ^= 0x01
    upload = SimpleUploadedFile("ket-qua.pdf", bytes(tampered), "application/pdf")
    body = client.post("/api/v1/verify", {"file": upload}, headers={"accept-language": "en"}).json()
    assert body["valid"] is False
    assert "modified after signing" in body["reason"]
    assert pdf_verify(pdf=bytes(tampered), trust_roots=trust_roots_load()).valid is False
    path.write_bytes(bytes(tampered))
    rechecked = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)  # noqa: S603, S607
    assert "Signature is Valid" not in rechecked.stdout


# --- resolve ---------------------------------------------------------------------------------------------


def test_an_uploaded_result_pdf_is_stamped_signed_and_delivered(world, signing):
    dossier = register(world.officer, world.procedure)
    ResultType.objects.create(version=world.procedure.current_version, code="GP", name="Giấy phép", order=1)

    resolved = resolve(world, dossier, outcome=Outcome.APPROVED, result_pdf=samples.pdf_bytes(pages=2))

    result = dossier_result(dossier=resolved)
    assert result is not None
    assert (result.kind, result.signed, result.name) == (DocumentKind.RESULT, True, "Giấy phép")
    owner = CitizenProfile.objects.get(id_number=ID_NUMBER)
    assert VaultDocument.objects.get(citizen=owner, document=result).type_code == "GP"


def test_a_denied_dossier_gets_no_result_but_its_reason(world, signing):
    dossier = register(world.officer, world.procedure)

    resolved = resolve(world, dossier, outcome=Outcome.DENIED, reason="Không đủ điều kiện cấp phép")

    assert dossier_result(dossier=resolved) is None
    assert not Document.objects.filter(dossier_code=resolved.code, kind=DocumentKind.RESULT).exists()
    assert resolved.events.get(action="resolve").data["reason"] == "Không đủ điều kiện cấp phép"


def test_a_unit_without_a_certificate_resolves_with_a_paper_result(world):
    dossier = register(world.officer, world.procedure)

    resolved = resolve(world, dossier, outcome=Outcome.APPROVED)

    assert resolved.outcome == Outcome.APPROVED
    assert dossier_result(dossier=resolved) is None


def test_an_electronic_result_the_unit_cannot_sign_refuses_the_decision_and_changes_nothing(world):
    dossier = register(world.officer, world.procedure)
    ResultType.objects.create(
        version=world.procedure.current_version, code="GP", name="Giấy phép", electronic_required=True
    )
    dossier_forward(dossier=dossier, officer=world.specialist)
    before = Dossier.objects.filter(pk=dossier.pk).values().get()

    with pytest.raises(InvalidInput) as refused:
        dossier_resolve(dossier=dossier, officer=world.leader, outcome=Outcome.APPROVED)

    assert refused.value.code == "no_signing_identity"
    assert Dossier.objects.filter(pk=dossier.pk).values().get() == before
    assert not dossier.events.filter(action="resolve").exists()
    assert not Document.objects.filter(kind=DocumentKind.RESULT).exists()


def test_a_denied_dossier_cannot_carry_a_result_pdf(world, signing):
    dossier = register(world.officer, world.procedure)
    dossier_forward(dossier=dossier, officer=world.specialist)

    with pytest.raises(InvalidInput):
        dossier_resolve(
            dossier=dossier, officer=world.leader, outcome=Outcome.DENIED, reason="x", result_pdf=samples.pdf_bytes()
        )

    assert Dossier.objects.get(pk=dossier.pk).outcome is None


# --- counter digitization --------------------------------------------------------------------------------


def test_counter_scans_are_sent_to_digitization_and_a_refused_dossier_keeps_none(
    typed, signing, django_capture_on_commit_callbacks, monkeypatch
):
    world = typed
    asked: list[tuple[list[int], int, int | None]] = []

    class Queue:  # the OCR itself is tested in documents; here: what is asked, and the progress before it runs
        @staticmethod
        def enqueue(*args):
            asked.append(args)

    monkeypatch.setattr("motcua.documents.digitization.digitize_upload", Queue)

    dossier = counter_file(world, django_capture_on_commit_callbacks)
    refused = counter_file(world, django_capture_on_commit_callbacks, key="k2", decision=Decision.REFUSE)

    component = DossierComponent.objects.get(dossier=dossier)
    assert component.digitized is True
    assert asked == [([int(component.files[0])], component.digitized_document_id, world.unit.pk)]
    progress = digitization_progress(dossier=dossier)
    assert [(c.code, c.status, c.pages_done) for c in progress.components] == [("TP1", DigitizationStatus.PENDING, 0)]
    assert progress.finished is False
    # Not usable while pending: nothing is proposed yet.
    owner = CitizenProfile.objects.get(id_number=ID_NUMBER)
    assert vault_propose(owner=owner, type_codes=[TYPE_CODE]) == []
    assert DossierComponent.objects.get(dossier=refused).digitized is False


# --- reuse refused ---------------------------------------------------------------------------------------


def test_a_vault_document_of_someone_else_is_refused_and_nothing_is_written(typed, signing):
    world = typed
    other = CitizenProfile.objects.create(id_number="001190099999", full_name="Trần Thị Bình")
    document = Document.objects.create(
        kind=DocumentKind.DIGITIZED_COPY,
        stored_file=stored_file_create(content=samples.pdf_bytes(), filename="ks.pdf"),
        name="Giấy khai sinh",
    )
    foreign = VaultDocument.objects.create(
        citizen=other, document=document, title="Giấy khai sinh", type_code=TYPE_CODE, source=VaultSource.UPLOAD
    )
    citizen_profile_upsert(id_number=ID_NUMBER, full_name="Nguyễn Văn An", user=world.citizen)
    before = Dossier.objects.count()

    with pytest.raises(InvalidInput) as refused:
        dossier_intake(
            caller=world.citizen,
            data=intake_input(
                world.procedure,
                channel="online",
                receiving_unit=world.unit.code,
                applicant=applicant(),
                components=[ComponentInput(code="TP1", vault_document=foreign.pk)],
            ),
        )

    assert refused.value.code == "vault_document_unknown"
    assert Dossier.objects.count() == before
    assert VaultReuse.objects.count() == 0
    foreign.refresh_from_db()
    assert foreign.reuse_count == 0


def test_the_wizard_offers_only_usable_matching_documents_and_refuses_a_forged_choice(typed, client):
    world = typed
    owner = citizen_profile_upsert(id_number=ID_NUMBER, full_name="Nguyễn Văn An", user=world.citizen)
    document = Document.objects.create(
        kind=DocumentKind.DIGITIZED_COPY,
        stored_file=stored_file_create(content=samples.pdf_bytes(), filename="ks.pdf"),
        name="Giấy khai sinh",
    )
    mine = VaultDocument.objects.create(
        citizen=owner, document=document, title="Giấy khai sinh", type_code=TYPE_CODE, source=VaultSource.UPLOAD
    )
    passport = Document.objects.create(
        kind=DocumentKind.DIGITIZED_COPY, stored_file=document.stored_file, name="Hộ chiếu"
    )
    VaultDocument.objects.create(
        citizen=owner, document=passport, title="Hộ chiếu", type_code="HO_CHIEU", source=VaultSource.UPLOAD
    )
    components = list(world.procedure.current_version.components.all())

    assert vault_proposals(owner=owner, components=components) == {"TP1": [mine]}

    code = world.procedure.code
    client.force_login(world.citizen)
    client.post(wizard_url("filing-start", code), {"receiving_unit": world.unit.code, "return_method": "counter"})
    assert client.post(wizard_url("filing-applicant", code), PERSON).status_code == 302
    forged = client.post(wizard_url("filing-components", code), {"action": "continue", "vault-0": "999999"})
    empty = client.post(wizard_url("filing-components", code), {"action": "continue", "vault-0": ""})

    assert forged.status_code == 422
    assert empty.status_code == 422
    assert "kho dữ liệu" in empty.content.decode()
    assert Dossier.objects.count() == 0


# --- API intake --------------------------------------------------------------------------------------------


def _vault_entry(owner: CitizenProfile, *, source: str = VaultSource.E_RESULT) -> VaultDocument:
    document = Document.objects.create(
        kind=DocumentKind.DIGITIZED_COPY,
        stored_file=stored_file_create(content=samples.pdf_bytes(), filename="ks.pdf"),
        name="Giấy khai sinh",
    )
    return VaultDocument.objects.create(
        citizen=owner, document=document, title="Giấy khai sinh", type_code=TYPE_CODE, source=source
    )


def test_api_intake_takes_a_component_from_the_callers_vault_and_counts_the_reuse(typed, client):
    world = typed
    owner = citizen_profile_upsert(id_number=ID_NUMBER, full_name="Nguyễn Văn An", user=world.citizen)
    mine = _vault_entry(owner)
    body = {
        **BODY,
        "channel": "online",
        "receiving_unit": world.unit.code,
        "components": [{"code": "TP1", "vault_document": mine.pk}],
    }

    response = Api(client, world.citizen).post("/dossiers", body)

    assert response.status_code == 201, response.content
    dossier = Dossier.objects.get(code=response.json()["code"])
    component = dossier.components.get()
    assert (component.reused, component.vault_document) == (True, mine.pk)
    mine.refresh_from_db()
    assert mine.reuse_count == 1


def test_api_intake_refuses_another_persons_vault_document_with_400_and_writes_nothing(typed, client):
    world = typed
    citizen_profile_upsert(id_number=ID_NUMBER, full_name="Nguyễn Văn An", user=world.citizen)
    theirs = _vault_entry(CitizenProfile.objects.create(id_number="001190099999", full_name="Trần Thị Bình"))
    body = {
        **BODY,
        "channel": "online",
        "receiving_unit": world.unit.code,
        "components": [{"code": "TP1", "vault_document": theirs.pk}],
    }

    response = Api(client, world.citizen).post("/dossiers", body)

    assert response.status_code == 400
    assert response.json()["error"]["field"] == "components"
    assert not Dossier.objects.exists()
    assert not VaultReuse.objects.exists()

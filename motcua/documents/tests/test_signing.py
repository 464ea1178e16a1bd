import io
from datetime import timedelta

import pytest
from django.utils import translation
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfReader

from motcua.core import clock
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.documents.signing import pdf_sign
from motcua.documents.verification import pdf_verify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_reasons():
    """The assertions read the English reasons; the Vietnamese ones are checked by the catalogs."""
    with translation.override("en"):
        yield


def _sign(pdf, identity, unit, **kwargs):
    return pdf_sign(pdf=pdf, identity=identity, unit=unit, reason="Kết quả TTHC", location="Hòa Bình", **kwargs)


def test_signed_pdf_verifies_as_intact_and_trusted(sample_pdf, identity, unit, trusted_root):
    signed = _sign(sample_pdf, identity, unit)

    verdict = pdf_verify(pdf=signed, trust_roots=[_asn1(trusted_root)])

    assert verdict.valid, verdict.reason
    [signature] = verdict.signatures
    assert signature.signer == unit.name
    assert signature.unit == unit.code
    assert signature.intact
    assert signature.trusted
    assert abs(signature.signed_at - clock.now()) < timedelta(minutes=1)


def test_signature_is_pades_and_keeps_the_original_pages(sample_pdf, identity, unit):
    signed = _sign(sample_pdf, identity, unit)

    reader = PdfReader(io.BytesIO(signed))
    assert len(reader.pages) == 2
    [field] = [f for f in reader.get_fields().values() if f.get("/FT") == "/Sig"]
    assert field["/V"]["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signed.startswith(sample_pdf)  # an incremental update: the original bytes are untouched


def test_visible_stamp_embeds_a_font_with_vietnamese_letters(sample_pdf, identity, unit):
    signed = _sign(sample_pdf, identity, unit)

    cmaps = b"".join(_to_unicode_maps(signed))
    # ToUnicode maps carry UTF-16 hex: "ý" 00FD, "ở" 1EDF, "Đ" 0110, "ơ" 01A1, "ị" 1ECB.
    for code in (b"00FD", b"1EDF", b"0110", b"01A1", b"1ECB"):
        assert code in cmaps.upper()


def test_second_signature_stacks_and_both_stay_valid(sample_pdf, identity, unit, trusted_root):
    once = _sign(sample_pdf, identity, unit)
    twice = _sign(once, identity, unit)

    verdict = pdf_verify(pdf=twice, trust_roots=[_asn1(trusted_root)])

    assert verdict.valid, verdict.reason
    assert len(verdict.signatures) == 2


def test_invisible_signature_has_no_stamp(sample_pdf, identity, unit, trusted_root):
    signed = _sign(sample_pdf, identity, unit, visible=False, field_name="KetQua")

    verdict = pdf_verify(pdf=signed, trust_roots=[_asn1(trusted_root)])

    assert verdict.valid
    assert not list(_to_unicode_maps(signed))


def test_a_changed_byte_makes_the_signature_report_modified(sample_pdf, identity, unit, trusted_root):
    signed = bytearray(_sign(sample_pdf, identity, unit))
    position = signed.index(b"Giay chung nhan 1")
    signed[position : position + 4] = b"Giaz"[:4]

    verdict = pdf_verify(pdf=bytes(signed), trust_roots=[_asn1(trusted_root)])

    assert not verdict.valid
    assert "modified" in verdict.reason
    assert not verdict.signatures[0].intact


def test_an_incremental_update_that_changes_content_is_modified(sample_pdf, identity, unit, trusted_root):
    signed = _sign(sample_pdf, identity, unit)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    page_ref, _ = writer.find_page_for_modification(0)
    page = page_ref.get_object()
    # Paint a new line of text over the page: what a forger appending an update would do.
    forged = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 14 Tf 72 700 Td (Da thu 0 dong) Tj ET"))
    page[pdf_name("/Contents")] = generic.ArrayObject([page.raw_get("/Contents"), forged])
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)

    verdict = pdf_verify(pdf=out.getvalue(), trust_roots=[_asn1(trusted_root)])

    assert not verdict.valid
    assert "modified" in verdict.reason
    assert verdict.signatures[0].intact
    assert verdict.signatures[0].modified


def test_a_signature_from_an_unknown_ca_is_not_trusted(sample_pdf, identity, unit):
    signed = _sign(sample_pdf, identity, unit)

    verdict = pdf_verify(pdf=signed, trust_roots=[])

    assert not verdict.valid
    assert verdict.signatures[0].intact
    assert not verdict.signatures[0].trusted
    assert "trusted" in verdict.reason


def test_pdf_without_signatures_is_not_valid(sample_pdf, trusted_root):
    verdict = pdf_verify(pdf=sample_pdf, trust_roots=[_asn1(trusted_root)])

    assert not verdict.valid
    assert verdict.reason


def test_ecdsa_identity_signs_too(sample_pdf, unit, make_identity, trusted_root):
    signed = _sign(sample_pdf, make_identity(unit, key_kind="ec"), unit)

    assert pdf_verify(pdf=signed, trust_roots=[_asn1(trusted_root)]).valid


def test_expired_certificate_is_refused(sample_pdf, unit, make_identity):
    now = clock.now()
    expired = make_identity(unit, not_before=now - timedelta(days=400), not_after=now - timedelta(days=1))

    with pytest.raises(InvalidInput) as refusal:
        _sign(sample_pdf, expired, unit)

    assert refusal.value.code == "certificate_expired"


def test_not_yet_valid_certificate_is_refused(sample_pdf, unit, make_identity):
    now = clock.now()
    future = make_identity(unit, not_before=now + timedelta(days=2), not_after=now + timedelta(days=400))

    with pytest.raises(InvalidInput) as refusal:
        _sign(sample_pdf, future, unit)

    assert refusal.value.code == "certificate_not_yet_valid"


def test_identity_of_another_unit_is_refused(sample_pdf, identity, other_unit):
    with pytest.raises(PermissionDenied) as refusal:
        _sign(sample_pdf, identity, other_unit)

    assert refusal.value.code == "identity_wrong_unit"


def test_deactivated_identity_is_refused(sample_pdf, identity, unit):
    identity.active = False

    with pytest.raises(InvalidInput) as refusal:
        _sign(sample_pdf, identity, unit)

    assert refusal.value.code == "identity_inactive"


def test_wrong_passphrase_is_a_clear_refusal(sample_pdf, identity, unit, settings):
    settings.DOCUMENTS_PKI_PASSPHRASE = "not-the-passphrase"

    with pytest.raises(InvalidInput) as refusal:
        _sign(sample_pdf, identity, unit)

    assert refusal.value.code == "identity_unusable"


def _asn1(pair):
    from asn1crypto import x509
    from cryptography.hazmat.primitives import serialization

    return x509.Certificate.load(pair.cert.public_bytes(serialization.Encoding.DER))


def _to_unicode_maps(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            appearance = annot.get_object().get("/AP", {}).get("/N")
            if appearance is None:
                continue
            yield from _fonts_to_unicode(appearance.get_object())


def _fonts_to_unicode(xobject):
    resources = xobject.get("/Resources", {})
    for font in resources.get("/Font", {}).values():
        font = font.get_object()
        if "/ToUnicode" in font:
            yield font["/ToUnicode"].get_object().get_data()
    for inner in resources.get("/XObject", {}).values():
        yield from _fonts_to_unicode(inner.get_object())

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from motcua.documents.models import SigningIdentity
from motcua.documents.selectors import signing_identity_for_unit
from motcua.documents.signing import pdf_sign
from motcua.documents.verification import pdf_verify, trust_roots_load

pytestmark = pytest.mark.django_db


def test_create_dev_pki_gives_every_unit_an_identity_and_is_idempotent(unit, other_unit, settings, tmp_path):
    directory = tmp_path / "pki"

    call_command("create_dev_pki", "--dir", str(directory), stdout=_Null())
    first = {identity.unit_id: identity.pk for identity in SigningIdentity.objects.all()}
    root_pem = (directory / "root-ca.pem").read_text()
    call_command("create_dev_pki", "--dir", str(directory), stdout=_Null())

    assert set(first) == {unit.pk, other_unit.pk}
    assert {identity.unit_id: identity.pk for identity in SigningIdentity.objects.all()} == first
    assert (directory / "root-ca.pem").read_text() == root_pem
    assert (directory / "units" / f"{unit.code}.p12").is_file()


def test_dev_certificate_names_the_unit_and_carries_its_code(unit, tmp_path):
    call_command("create_dev_pki", "--dir", str(tmp_path / "pki"), stdout=_Null())

    identity = SigningIdentity.objects.get(unit=unit)
    subject = x509.load_pem_x509_certificate(identity.certificate_pem.encode()).subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == unit.name
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)[0].value == unit.code
    assert identity.kind == SigningIdentity.Kind.PKCS12
    assert identity.passphrase_env == "DOCUMENTS_PKI_PASSPHRASE"


def test_dev_identity_signs_and_the_dev_root_is_trusted(unit, sample_pdf, settings, tmp_path):
    call_command("create_dev_pki", "--dir", str(tmp_path / "pki"), stdout=_Null())
    settings.DOCUMENTS_TRUST_ROOTS = [str(tmp_path / "pki" / "root-ca.pem")]

    identity = signing_identity_for_unit(unit)
    signed = pdf_sign(pdf=sample_pdf, identity=identity, unit=unit, reason="Thử", location="H99")

    assert pdf_verify(pdf=signed, trust_roots=trust_roots_load()).valid


def test_create_dev_pki_needs_a_passphrase(settings, tmp_path):
    settings.DOCUMENTS_PKI_PASSPHRASE = ""

    with pytest.raises(CommandError):
        call_command("create_dev_pki", "--dir", str(tmp_path / "pki"), stdout=_Null())


class _Null:
    def write(self, text: str) -> None:
        pass

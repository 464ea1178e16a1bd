"""Signing with a key held on a PKCS#11 token (SoftHSM2 standing in for a USB token or an HSM)."""

import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from motcua.core import clock
from motcua.core.errors import InvalidInput
from motcua.documents import pki
from motcua.documents.models import SigningIdentity
from motcua.documents.services import signing_identity_create
from motcua.documents.signing import pdf_sign
from motcua.documents.verification import pdf_verify, trust_roots_load

SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN, KEY_LABEL, PIN = "motcua-test", "unit-signing-key", "1234"

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("softhsm2-util") is None or not SOFTHSM_MODULE.exists(),
        reason="SoftHSM2 is not installed (Debian package softhsm2): PKCS#11 signing not tested",
    ),
]


@pytest.fixture
def token_identity(unit, root_ca, tmp_path, monkeypatch) -> SigningIdentity:
    """A fresh SoftHSM2 token in tmp_path holding the unit's private key; the certificate stays in the row."""
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    monkeypatch.setenv("MOTCUA_TEST_TOKEN_PIN", PIN)
    now = clock.now()
    pair = pki.signing_cert_issue(
        ca=root_ca,
        common_name=unit.name,
        organization="Tỉnh Thử Nghiệm",
        unit_code=unit.code,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=30),
    )
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(pair.key_pem())
    _softhsm("--init-token", "--free", "--label", TOKEN, "--so-pin", "5678", "--pin", PIN)
    _softhsm("--import", str(key_file), "--token", TOKEN, "--label", KEY_LABEL, "--id", "01", "--pin", PIN)
    key_file.unlink()
    return signing_identity_create(
        unit=unit,
        kind=SigningIdentity.Kind.PKCS11,
        certificate_pem=pair.cert_pem(),
        chain_pem=root_ca.cert_pem(),
        pkcs11_module=str(SOFTHSM_MODULE),
        pkcs11_token_label=TOKEN,
        pkcs11_key_label=KEY_LABEL,
        pkcs11_pin_env="MOTCUA_TEST_TOKEN_PIN",
    )


def _softhsm(*args: str) -> None:
    subprocess.run(["softhsm2-util", *args], check=True, capture_output=True)  # noqa: S603, S607


def test_a_key_on_a_pkcs11_token_signs_a_verifiable_pdf(token_identity, unit, sample_pdf, trusted_root):
    signed = pdf_sign(pdf=sample_pdf, identity=token_identity, unit=unit, reason="Kết quả", location="H99")

    verdict = pdf_verify(pdf=signed, trust_roots=trust_roots_load())
    assert verdict.valid, verdict.reason
    assert verdict.signatures[0].signer == unit.name


def test_a_wrong_pin_is_a_clear_refusal(token_identity, unit, sample_pdf, monkeypatch):
    monkeypatch.setenv("MOTCUA_TEST_TOKEN_PIN", "0000")

    with pytest.raises(InvalidInput) as refusal:
        pdf_sign(pdf=sample_pdf, identity=token_identity, unit=unit, reason="x", location="y")

    assert refusal.value.code == "identity_unusable"

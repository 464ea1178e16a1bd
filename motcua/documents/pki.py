"""A development PKI: a local root CA and signing certificates for units, built with `cryptography`.

Only for demos and tests. Production identities come from a licensed CA (the Government
Cipher Committee's CA for state agencies) and are registered as SigningIdentity rows by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
ROOT_CERT_FILE, ROOT_KEY_FILE = "root-ca.pem", "root-ca.key"
NAME_MAX = 64


@dataclass(frozen=True)
class KeyPair:
    """A private key with its certificate."""

    key: PrivateKey
    cert: x509.Certificate

    def cert_pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    def key_pem(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM (what `softhsm2-util --import` reads)."""
        return self.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )


def new_key(kind: str = "rsa") -> PrivateKey:
    if kind == "ec":
        return ec.generate_private_key(ec.SECP256R1())
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def root_ca_create(*, common_name: str, organization: str, now: datetime, years: int = 20) -> KeyPair:
    """A self-signed root CA valid from `now` for `years`."""
    key = new_key()
    name = _name(common_name=common_name, organization=organization)
    cert = (
        _builder(subject=name, issuer=name, public_key=key.public_key(), now=now, days=365 * years)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyPair(key=key, cert=cert)


def signing_cert_issue(
    *,
    ca: KeyPair,
    common_name: str,
    organization: str,
    unit_code: str,
    not_before: datetime,
    not_after: datetime,
    key_kind: str = "rsa",
) -> KeyPair:
    """A document-signing certificate for a unit: CN = unit name, O = province, OU = unit code."""
    key = new_key(key_kind)
    subject = _name(common_name=common_name, organization=organization, unit=unit_code)
    days = (not_after - not_before).days
    cert = (
        _builder(subject=subject, issuer=ca.cert.subject, public_key=key.public_key(), now=not_before, days=days)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return KeyPair(key=key, cert=cert)


def pkcs12_bytes(*, pair: KeyPair, chain: list[x509.Certificate], passphrase: str, name: str) -> bytes:
    """The key, its certificate and the CA chain as a passphrase-protected PKCS#12 file."""
    return pkcs12.serialize_key_and_certificates(
        name=name.encode(),
        key=pair.key,
        cert=pair.cert,
        cas=chain,
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )


def name_fit(text: str) -> str:
    """`text` cut at a word to fit the 64 units X.509 allows in a name attribute (RFC 5280).

    `cryptography` counts UTF-8 bytes, and a Vietnamese letter takes up to three.
    """
    if len(text.encode()) <= NAME_MAX:
        return text
    words = text.split(" ")
    while len(words) > 1 and len((" ".join(words) + "…").encode()) > NAME_MAX:
        words.pop()
    cut = " ".join(words) + "…"
    return cut if len(cut.encode()) <= NAME_MAX else cut.encode()[: NAME_MAX - 3].decode(errors="ignore") + "…"


def _name(*, common_name: str, organization: str, unit: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, name_fit(organization)),
    ]
    if unit:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, name_fit(unit)))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, name_fit(common_name)))
    return x509.Name(attributes)


def _builder(*, subject: x509.Name, issuer: x509.Name, public_key, now: datetime, days: int) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=days))
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=not ca,  # non-repudiation: what a PDF signature validator asks of the signer
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def root_ca_load_or_create(*, directory: Path, passphrase: str, organization: str, now: datetime) -> KeyPair:
    """The root CA kept in `directory` (root-ca.pem + encrypted root-ca.key), created on first use."""
    cert_path, key_path = directory / ROOT_CERT_FILE, directory / ROOT_KEY_FILE
    if cert_path.is_file() and key_path.is_file():
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=passphrase.encode())
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise ValueError(f"{key_path} holds an unsupported key type")
        return KeyPair(key=key, cert=x509.load_pem_x509_certificate(cert_path.read_bytes()))
    directory.mkdir(parents=True, exist_ok=True)
    root = root_ca_create(common_name=f"MotCua Dev Root CA - {organization}", organization=organization, now=now)
    encrypted = root.key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode()),
    )
    key_path.write_bytes(encrypted)
    key_path.chmod(0o600)
    cert_path.write_text(root.cert_pem())
    return root

"""Fixtures for the documents tests: units, a throw-away PKI, signing identities, sample PDFs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from motcua.accounts.models import CitizenProfile, OrganizationProfile, User
from motcua.core import clock
from motcua.documents import pki
from motcua.documents.models import SigningIdentity
from motcua.documents.services import signing_identity_create
from motcua.documents.tests import samples
from motcua.organizations.models import Unit

PASSPHRASE = "test-pki-passphrase"


@pytest.fixture(autouse=True)
def _pki_settings(settings, tmp_path):
    settings.DOCUMENTS_PKI_PASSPHRASE = PASSPHRASE
    settings.DOCUMENTS_PKI_DIR = tmp_path / "pki"
    settings.DOCUMENTS_TRUST_ROOTS = []


@pytest.fixture(scope="session")
def root_ca() -> pki.KeyPair:
    # One CA for the whole session: RSA key generation is the slow part of these tests.
    return pki.root_ca_create(
        common_name="Test Root CA", organization="Tỉnh Thử Nghiệm", now=clock.now() - timedelta(days=1)
    )


@pytest.fixture
def trusted_root(root_ca, settings, tmp_path) -> pki.KeyPair:
    """The test CA, listed in DOCUMENTS_TRUST_ROOTS."""
    path = tmp_path / "root-ca.pem"
    path.write_text(root_ca.cert_pem())
    settings.DOCUMENTS_TRUST_ROOTS = [str(path)]
    return root_ca


@pytest.fixture
def unit(db) -> Unit:
    return Unit.objects.create(code="000.00.21.H99", name="Ủy ban nhân dân xã Hòa Bình")


@pytest.fixture
def other_unit(db) -> Unit:
    return Unit.objects.create(code="000.00.22.H99", name="Ủy ban nhân dân xã An Phú")


@pytest.fixture
def make_identity(root_ca) -> Callable[..., SigningIdentity]:
    """Build a PKCS#12 identity for a unit, valid for the given window (default: now ± a year)."""

    def make(
        unit: Unit, *, not_before: datetime | None = None, not_after: datetime | None = None, key_kind: str = "rsa"
    ) -> SigningIdentity:
        now = clock.now()
        pair = pki.signing_cert_issue(
            ca=root_ca,
            common_name=unit.name,
            organization="Tỉnh Thử Nghiệm",
            unit_code=unit.code,
            not_before=not_before or now - timedelta(days=1),
            not_after=not_after or now + timedelta(days=365),
            key_kind=key_kind,
        )
        p12 = pki.pkcs12_bytes(pair=pair, chain=[root_ca.cert], passphrase=PASSPHRASE, name=unit.code)
        return signing_identity_create(
            unit=unit,
            certificate_pem=pair.cert_pem(),
            chain_pem=root_ca.cert_pem(),
            p12_data=p12,
            passphrase_env="DOCUMENTS_PKI_PASSPHRASE",
        )

    return make


@pytest.fixture
def identity(unit, make_identity) -> SigningIdentity:
    return make_identity(unit)


@pytest.fixture
def sample_pdf() -> bytes:
    return samples.pdf_bytes(pages=2)


@pytest.fixture
def citizen(db) -> CitizenProfile:
    user = User.objects.create_user(username="an", password="x", full_name="Nguyễn Văn An")
    return CitizenProfile.objects.create(user=user, id_number="001090000001", full_name="Nguyễn Văn An")


@pytest.fixture
def other_citizen(db) -> CitizenProfile:
    return CitizenProfile.objects.create(id_number="001090000002", full_name="Trần Thị Bình")


@pytest.fixture
def organization(db) -> OrganizationProfile:
    return OrganizationProfile.objects.create(tax_code="0101234567", name="Công ty TNHH Bình An")


@pytest.fixture
def officer(db) -> User:
    return User.objects.create_user(username="canbo", password="x", kind="staff", full_name="Lê Văn Cường")

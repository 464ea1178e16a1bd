"""`manage.py create_dev_pki [--dir var/pki]`: a demo root CA and a signing certificate for every unit.

Idempotent: the root CA is reused from the directory, and a unit that already has an active,
currently valid identity issued by that root gets nothing new.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.core import clock
from motcua.documents import pki
from motcua.documents.models import SigningIdentity
from motcua.documents.services import signing_identity_create
from motcua.organizations.models import Unit

PASSPHRASE_SETTING = "DOCUMENTS_PKI_PASSPHRASE"  # noqa: S105 (the name of a setting, not a secret)
CERT_YEARS = 5


class Command(BaseCommand):
    help = "Create a development root CA and one PKCS#12 signing identity per unit (demo and tests only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", default=None, help="Where to keep the CA and PKCS#12 files (default: var/pki).")

    def handle(self, *args: Any, **options: Any) -> None:
        passphrase = getattr(settings, PASSPHRASE_SETTING, "")
        if not passphrase:
            raise CommandError(f"Set {PASSPHRASE_SETTING} (it protects the CA key and the PKCS#12 files).")
        directory = Path(options["dir"] or settings.DOCUMENTS_PKI_DIR).resolve()
        now = clock.now()
        root = pki.root_ca_load_or_create(
            directory=directory, passphrase=passphrase, organization=_province_name(None), now=now
        )
        created = sum(
            _ensure_identity(unit=unit, root=root, directory=directory, passphrase=passphrase)
            for unit in Unit.objects.select_related("province").order_by("code")
        )
        self.stdout.write(f"Root CA: {directory / pki.ROOT_CERT_FILE}; {created} new signing identities.")
        if str(directory / pki.ROOT_CERT_FILE) not in settings.DOCUMENTS_TRUST_ROOTS:
            self.stdout.write(f"Add {directory / pki.ROOT_CERT_FILE} to DOCUMENTS_TRUST_ROOTS to trust it.")


def _ensure_identity(*, unit: Unit, root: pki.KeyPair, directory: Path, passphrase: str) -> bool:
    """Issue the unit a certificate unless it holds a valid one from this root; True when one was issued."""
    now, root_pem = clock.now(), root.cert_pem()
    if SigningIdentity.objects.filter(
        unit=unit, active=True, chain_pem=root_pem, valid_from__lte=now, valid_until__gte=now + timedelta(days=30)
    ).exists():
        return False
    pair = pki.signing_cert_issue(
        ca=root,
        common_name=unit.name,
        organization=_province_name(unit),
        unit_code=unit.code,
        not_before=now - timedelta(minutes=5),  # a little slack for clocks that run behind
        not_after=now + timedelta(days=365 * CERT_YEARS),
    )
    path = directory / "units" / f"{unit.code}.p12"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pki.pkcs12_bytes(pair=pair, chain=[root.cert], passphrase=passphrase, name=unit.code))
    path.chmod(0o600)
    signing_identity_create(
        unit=unit,
        certificate_pem=pair.cert_pem(),
        chain_pem=root_pem,
        label=f"{unit.name} (dev PKI)",
        p12_path=str(path),
        passphrase_env=PASSPHRASE_SETTING,
    )
    return True


def _province_name(unit: Unit | None) -> str:
    province = getattr(unit, "province", None)
    return province.name if province is not None else f"Tỉnh {settings.MOTCUA_PROVINCE_CODE}"

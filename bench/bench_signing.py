"""PAdES signing throughput: pyHanko with a PKCS#12 identity against a raw `cryptography` signature.

The baseline signs the same SHA-256 digest with RSA-2048 (PKCS#1 v1.5) and ECDSA P-256 in the same
run, so the ratio shows what the PDF work (incremental update, CMS, appearance stream, font subset)
costs on top of the private-key operation. No database: the identity and unit are unsaved rows.
Writes bench/results/signing.json.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils  # noqa: E402
from pypdf import PdfWriter  # noqa: E402

from motcua.core import clock  # noqa: E402
from motcua.documents import pki  # noqa: E402
from motcua.documents.models import SigningIdentity  # noqa: E402
from motcua.documents.signing import pdf_sign  # noqa: E402
from motcua.organizations.models import Unit  # noqa: E402

PASSPHRASE = "bench-passphrase"  # noqa: S105 (a throw-away key made for this run)
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))


def rate(operation: Callable[[], object]) -> dict[str, float]:
    """Operations per second of `operation`, run for about SECONDS after one warm-up call."""
    operation()
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < SECONDS:
        operation()
        count += 1
    return {"ops": count, "seconds": round(elapsed, 3), "per_second": round(count / elapsed, 1)}


def sample_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def identity_for(unit: Unit, key_kind: str) -> tuple[SigningIdentity, pki.KeyPair]:
    now = clock.now()
    root = pki.root_ca_create(common_name="Bench Root", organization="Bench", now=now - timedelta(days=1))
    pair = pki.signing_cert_issue(
        ca=root,
        common_name=unit.name,
        organization="Tỉnh Bench",
        unit_code=unit.code,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=30),
        key_kind=key_kind,
    )
    os.environ["BENCH_PKI_PASSPHRASE"] = PASSPHRASE
    identity = SigningIdentity(
        unit=unit,
        certificate_pem=pair.cert_pem(),
        chain_pem=root.cert_pem(),
        p12_data=pki.pkcs12_bytes(pair=pair, chain=[root.cert], passphrase=PASSPHRASE, name=unit.code),
        passphrase_env="BENCH_PKI_PASSPHRASE",  # noqa: S106 (the name of a variable)
        valid_from=pair.cert.not_valid_before_utc,
        valid_until=pair.cert.not_valid_after_utc,
    )
    return identity, pair


def main() -> None:
    unit = Unit(pk=1, code="000.00.21.H99", name="Ủy ban nhân dân xã Hòa Bình")
    pdf = sample_pdf()
    digest = hashlib.sha256(pdf).digest()
    rsa_identity, rsa_pair = identity_for(unit, "rsa")
    ec_identity, ec_pair = identity_for(unit, "ec")

    def sign(identity: SigningIdentity, visible: bool) -> Callable[[], object]:
        return lambda: pdf_sign(pdf=pdf, identity=identity, unit=unit, reason="bench", location="H99", visible=visible)

    results = {
        "pyhanko_pkcs12_rsa2048_visible": rate(sign(rsa_identity, True)),
        "pyhanko_pkcs12_rsa2048_invisible": rate(sign(rsa_identity, False)),
        "pyhanko_pkcs12_ecdsa_p256_invisible": rate(sign(ec_identity, False)),
        "raw_rsa2048_sign_digest": rate(
            lambda: rsa_pair.key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256()))  # type: ignore[call-arg]
        ),
        "raw_ecdsa_p256_sign_digest": rate(
            lambda: ec_pair.key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))  # type: ignore[call-arg]
        ),
    }

    def ratio(raw: str, pyhanko: str) -> float:
        return round(results[raw]["per_second"] / results[pyhanko]["per_second"], 1)

    report = {
        "goal": "PAdES B-B signatures per second with PKCS#12 via pyHanko vs a raw private-key signature",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "seconds_per_case": SECONDS,
        "results": results,
        "ratios": {
            "raw_rsa_over_pyhanko_rsa_invisible": ratio("raw_rsa2048_sign_digest", "pyhanko_pkcs12_rsa2048_invisible"),
            "raw_rsa_over_pyhanko_rsa_visible": ratio("raw_rsa2048_sign_digest", "pyhanko_pkcs12_rsa2048_visible"),
            "raw_ecdsa_over_pyhanko_ecdsa_invisible": ratio(
                "raw_ecdsa_p256_sign_digest", "pyhanko_pkcs12_ecdsa_p256_invisible"
            ),
        },
        "note": (
            "Opened PKCS#12 signers are cached per file+passphrase (as in production); the visible stamp "
            "adds a TrueType font subset (Liberation Serif) for the Vietnamese text."
        ),
    }
    out = ROOT / "bench" / "results" / "signing.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report["results"], indent=2))
    print(json.dumps(report["ratios"], indent=2))


if __name__ == "__main__":
    main()

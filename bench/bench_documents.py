"""Issue 4 document paths end to end: issuing a result, verifying it, the file store on local disk and S3.

Each goal is measured against a baseline in the same run:
- `result_issue` (render the result HTML → PDF, number it, stamp the QR, sign PAdES, store both files,
  deliver to the vault) against `pdf_sign` alone on the same rendered PDF: what the rest costs;
- `result_verify` by result code (database + store + hash check + pyHanko validation) against
  `pdf_verify` on the bytes in memory;
- `content_put` + `content_get` of a 256 KiB file on S3 (moto in server mode on loopback: real HTTP,
  no real network) against local disk.
A throw-away SQLite database and media directory; no external service. Writes bench/results/documents.json.

    .venv/bin/python bench/bench_documents.py [--ops 8]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-documents-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'db.sqlite3'}"
PASSPHRASE = secrets.token_urlsafe(16)  # a throw-away key for a throw-away PKI
os.environ["DOCUMENTS_PKI_PASSPHRASE"] = PASSPHRASE
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.MEDIA_ROOT = WORK / "media"
root_pem = WORK / "root-ca.pem"
settings.DOCUMENTS_TRUST_ROOTS = [str(root_pem)]

from motcua.accounts.models import CitizenProfile  # noqa: E402
from motcua.core import clock  # noqa: E402
from motcua.documents import pki  # noqa: E402
from motcua.documents.results import ResultSheet, render_result_pdf, result_issue  # noqa: E402
from motcua.documents.services import signing_identity_create  # noqa: E402
from motcua.documents.signing import pdf_sign  # noqa: E402
from motcua.documents.storage import content_get, content_put, file_storage  # noqa: E402
from motcua.documents.verification import pdf_verify, result_verify, trust_roots_load  # noqa: E402
from motcua.organizations.models import Unit  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "documents.json"


def timed(ops: int, action: Callable[[int], object]) -> dict[str, float]:
    action(-1)  # warm-up (imports, fonts, first connection)
    started = time.perf_counter()
    for index in range(ops):
        action(index)
    seconds = time.perf_counter() - started
    return {"ops": ops, "seconds": round(seconds, 3), "ms_per_op": round(1000 * seconds / ops, 1)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=8)
    ops = parser.parse_args().ops
    call_command("migrate", verbosity=0)

    unit = Unit.objects.create(code="000.00.21.H99", name="Ủy ban nhân dân xã Hòa Bình")
    owner = CitizenProfile.objects.create(id_number="001090000001", full_name="Nguyễn Văn An")
    now = clock.now()
    ca = pki.root_ca_create(common_name="Bench Root CA", organization="Tỉnh Thử Nghiệm", now=now - timedelta(days=1))
    root_pem.write_text(ca.cert_pem())
    pair = pki.signing_cert_issue(
        ca=ca,
        common_name=unit.name,
        organization="Tỉnh Thử Nghiệm",
        unit_code=unit.code,
        not_before=now - timedelta(days=1),
        not_after=now + timedelta(days=365),
    )
    identity = signing_identity_create(
        unit=unit,
        certificate_pem=pair.cert_pem(),
        chain_pem=ca.cert_pem(),
        p12_data=pki.pkcs12_bytes(pair=pair, chain=[ca.cert], passphrase=PASSPHRASE, name=unit.code),
        passphrase_env="DOCUMENTS_PKI_PASSPHRASE",  # noqa: S106 (the name of the variable)
    )
    fields = [("Mã hồ sơ", "000.00.21.H99-250909-0001"), ("Người nộp", owner.full_name), ("Nội dung", "Cấp giấy phép")]
    codes: list[str] = []

    def issue(index: int) -> None:
        document = result_issue(
            unit=unit, dossier_code=f"D-{index}", owner=owner, title="Giấy phép", body_fields=fields, by=None
        )
        codes.append(document.result_code or "")

    sheet = ResultSheet(unit_name=unit.name, title="Giấy phép", result_code="KQ-X", issued_on=now.date(), fields=fields)
    rendered = render_result_pdf(sheet)

    def sign_only(_index: int) -> None:
        pdf_sign(pdf=rendered, identity=identity, unit=unit, reason="Kết quả", location=unit.name)

    results: dict[str, dict[str, float]] = {
        "result_issue_generated": timed(ops, issue),
        "baseline_pdf_sign_only": timed(ops, sign_only),
    }
    signed_bytes = pdf_sign(pdf=rendered, identity=identity, unit=unit, reason="Kết quả", location=unit.name)
    roots = trust_roots_load()
    results["result_verify_by_code"] = timed(ops, lambda i: result_verify(result_code=codes[i]))
    results["baseline_pdf_verify_in_memory"] = timed(ops, lambda _i: pdf_verify(pdf=signed_bytes, trust_roots=roots))

    payload = os.urandom(256 * 1024)

    def put_get(index: int) -> None:
        content = payload[:-8] + index.to_bytes(8, "big", signed=True)  # new bytes each time: a real write
        digest, key = content_put(content)
        content_get(key=key, sha256=digest)

    assert type(file_storage()).__name__ == "FileSystemStorage"
    results["local_put_get_256k"] = timed(ops * 4, put_get)
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="bench")
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {"bucket_name": "bench", "endpoint_url": endpoint, "region_name": "us-east-1"},
            },
        }
        from django.core.files.storage import storages

        # The handler caches its backends (as Django's own setting_changed receiver knows): start it afresh.
        storages._backends = None
        storages._storages = {}
        storages.__dict__.pop("backends", None)
        assert type(file_storage()).__name__ == "S3Storage"
        results["s3_moto_put_get_256k"] = timed(ops * 4, lambda i: put_get(10_000 + i))
        stored = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").list_objects_v2(Bucket="bench")
        assert stored["KeyCount"] == ops * 4 + 1, stored["KeyCount"]  # every write landed in the bucket
    finally:
        server.stop()

    ratio = {
        "issue_over_sign_only": round(
            results["result_issue_generated"]["ms_per_op"] / results["baseline_pdf_sign_only"]["ms_per_op"], 2
        ),
        "verify_by_code_over_in_memory": round(
            results["result_verify_by_code"]["ms_per_op"] / results["baseline_pdf_verify_in_memory"]["ms_per_op"], 2
        ),
        "s3_over_local_put_get": round(
            results["s3_moto_put_get_256k"]["ms_per_op"] / results["local_put_get_256k"]["ms_per_op"], 2
        ),
    }
    report = {
        "goal": "issue 4 document paths: result issue, result verification, file store local vs S3",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "results": results,
        "ratios": ratio,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

import hashlib
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from motcua.documents.models import StoredFile
from motcua.documents.results import result_issue
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import stored_file_create
from motcua.documents.storage import FileIntegrityError, file_storage
from motcua.documents.tests import samples
from motcua.documents.verification import result_verify

pytestmark = pytest.mark.django_db


class Store:
    """The backend under test, seen from outside the application: its raw objects by key."""

    def __init__(self, name: str, *, root: Path | None = None, s3: Any = None, bucket: str = "") -> None:
        self.name, self._root, self._s3, self._bucket = name, root, s3, bucket

    def __contains__(self, key: str) -> bool:
        return key in self.keys()

    def keys(self) -> list[str]:
        if self._s3 is not None:
            return sorted(item["Key"] for item in self._s3.list_objects_v2(Bucket=self._bucket).get("Contents", []))
        assert self._root is not None
        return sorted(str(p.relative_to(self._root)) for p in self._root.rglob("*") if p.is_file())

    def raw(self, key: str) -> bytes:
        if self._s3 is not None:
            return self._s3.get_object(Bucket=self._bucket, Key=key)["Body"].read()
        assert self._root is not None
        return (self._root / key).read_bytes()

    def overwrite(self, key: str, content: bytes) -> None:
        """Change an object behind the application's back (damage, tampering)."""
        if self._s3 is not None:
            self._s3.put_object(Bucket=self._bucket, Key=key, Body=content)
        else:
            assert self._root is not None
            (self._root / key).write_bytes(content)


@pytest.fixture(scope="module")
def moto_endpoint():
    """One moto S3 server (server mode: real HTTP on a free loopback port) for the module's S3 runs."""
    from moto.server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
        server.start()
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
        server.stop()


@pytest.fixture(params=["local", "s3"])
def store(request, settings, monkeypatch) -> Store:
    """STORAGES["default"] as configured for each backend: local disk, or S3 (moto) with a fresh bucket."""
    if request.param == "local":
        assert type(file_storage()).__name__ == "FileSystemStorage"
        return Store("local", root=Path(settings.MEDIA_ROOT))
    endpoint = request.getfixturevalue("moto_endpoint")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    bucket = f"motcua-test-{uuid.uuid4().hex[:12]}"  # a fresh bucket per test
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1"},
        },
    }
    assert type(file_storage()).__name__ == "S3Storage"
    return Store("s3", s3=client, bucket=bucket)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- the same suite on every backend ---------------------------------------------------------------


def test_stored_file_records_hash_size_type_and_pages(store):
    content = samples.pdf_bytes(pages=3)

    stored = stored_file_create(content=content, filename="to-khai.pdf")

    digest = hashlib.sha256(content).hexdigest()
    assert (stored.sha256, stored.size, stored.mime, stored.pages) == (digest, len(content), "application/pdf", 3)
    assert stored.storage_key == f"{digest[:2]}/{digest}"
    assert store.keys() == [stored.storage_key]
    assert store.raw(stored.storage_key) == content
    assert stored_file_read(stored) == content


def test_images_count_one_page_and_tiff_counts_frames(store):
    png = stored_file_create(content=samples.image_bytes("PNG"), filename="scan.png")
    jpeg = stored_file_create(content=samples.image_bytes("JPEG"), filename="scan.jpg")
    tiff = stored_file_create(content=samples.image_bytes("TIFF", frames=4), filename="scan.tif")

    assert (png.mime, png.pages) == ("image/png", 1)
    assert (jpeg.mime, jpeg.pages) == ("image/jpeg", 1)
    assert (tiff.mime, tiff.pages) == ("image/tiff", 4)
    assert store.keys() == sorted(f.storage_key for f in (png, jpeg, tiff))


def test_same_bytes_twice_make_two_rows_over_one_stored_object(store):
    content = samples.pdf_bytes()

    first = stored_file_create(content=content, filename="a.pdf")
    second = stored_file_create(content=content, filename="b.pdf")

    assert first.pk != second.pk
    assert first.storage_key == second.storage_key
    assert store.keys() == [first.storage_key]


def test_a_new_version_is_a_new_file_and_the_old_one_stays(store):
    old = stored_file_create(content=samples.pdf_bytes(text="v1"), filename="a.pdf")
    new = stored_file_create(content=samples.pdf_bytes(text="v2"), filename="a.pdf")

    assert new.storage_key != old.storage_key
    assert b"v1" in stored_file_read(old)
    assert StoredFile.objects.count() == 2
    assert store.keys() == sorted([old.storage_key, new.storage_key])


def test_reading_damaged_bytes_raises_an_integrity_error(store):
    stored = stored_file_create(content=samples.pdf_bytes(), filename="a.pdf")
    store.overwrite(stored.storage_key, store.raw(stored.storage_key).replace(b"Giay", b"Giaz"))

    with pytest.raises(FileIntegrityError):
        stored_file_read(stored)


def test_an_object_replaced_behind_our_back_fails_the_hash_check(store):
    stored = stored_file_create(content=samples.pdf_bytes(), filename="kq.pdf")
    store.overwrite(stored.storage_key, b"%PDF-1.7 forged")

    with pytest.raises(FileIntegrityError):
        stored_file_read(stored)


def test_an_issued_result_is_stored_signed_and_verifies_by_its_code(store, unit, identity, trusted_root, citizen):
    result = result_issue(
        unit=unit, dossier_code="000.00.21.H99-250909-0001", owner=citizen, title="Giấy phép", by=None
    )

    assert result.stored_file.storage_key in store
    assert result.original_file is not None
    assert result.original_file.storage_key in store  # the unsigned original stays too
    verdict = result_verify(result_code=result.result_code or "")
    assert (verdict.valid, verdict.hash_matches_issued) == (True, True)
    store.overwrite(result.stored_file.storage_key, store.raw(result.stored_file.storage_key) + b"\n%tampered")
    assert result_verify(result_code=result.result_code or "").valid is False


def test_storage_url_selects_s3_with_endpoint_and_region():
    # Settings are read once per process, so the parser is checked in a fresh interpreter.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x",
        "STORAGE_URL": "s3://motcua-files/docs?endpoint_url=http://127.0.0.1:5000&region=us-east-1",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603

    default = json.loads(result.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"]["bucket_name"] == "motcua-files"
    assert default["OPTIONS"]["location"] == "docs"
    assert default["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:5000"
    assert default["OPTIONS"]["region_name"] == "us-east-1"

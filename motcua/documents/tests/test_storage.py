import hashlib
import json
import os
import socket
import subprocess
import sys

import boto3
import pytest

from motcua.documents.models import StoredFile
from motcua.documents.selectors import stored_file_read
from motcua.documents.services import stored_file_create
from motcua.documents.storage import FileIntegrityError, file_storage
from motcua.documents.tests import samples

pytestmark = pytest.mark.django_db


def test_stored_file_records_hash_size_type_and_pages(settings):
    content = samples.pdf_bytes(pages=3)

    stored = stored_file_create(content=content, filename="to-khai.pdf")

    digest = hashlib.sha256(content).hexdigest()
    assert (stored.sha256, stored.size, stored.mime, stored.pages) == (digest, len(content), "application/pdf", 3)
    assert stored.storage_key == f"{digest[:2]}/{digest}"
    assert (settings.MEDIA_ROOT / digest[:2] / digest).read_bytes() == content
    assert stored_file_read(stored) == content


def test_images_count_one_page_and_tiff_counts_frames():
    png = stored_file_create(content=samples.image_bytes("PNG"), filename="scan.png")
    jpeg = stored_file_create(content=samples.image_bytes("JPEG"), filename="scan.jpg")
    tiff = stored_file_create(content=samples.image_bytes("TIFF", frames=4), filename="scan.tif")

    assert (png.mime, png.pages) == ("image/png", 1)
    assert (jpeg.mime, jpeg.pages) == ("image/jpeg", 1)
    assert (tiff.mime, tiff.pages) == ("image/tiff", 4)


def test_same_bytes_twice_make_two_rows_over_one_stored_object(settings):
    content = samples.pdf_bytes()

    first = stored_file_create(content=content, filename="a.pdf")
    second = stored_file_create(content=content, filename="b.pdf")

    assert first.pk != second.pk
    assert first.storage_key == second.storage_key
    assert [p.name for p in (settings.MEDIA_ROOT / first.sha256[:2]).iterdir()] == [first.sha256]


def test_a_new_version_is_a_new_file_and_the_old_one_stays():
    old = stored_file_create(content=samples.pdf_bytes(text="v1"), filename="a.pdf")
    new = stored_file_create(content=samples.pdf_bytes(text="v2"), filename="a.pdf")

    assert new.storage_key != old.storage_key
    assert b"v1" in stored_file_read(old)
    assert StoredFile.objects.count() == 2


def test_reading_damaged_bytes_raises_an_integrity_error(settings):
    stored = stored_file_create(content=samples.pdf_bytes(), filename="a.pdf")
    path = settings.MEDIA_ROOT / stored.storage_key
    path.write_bytes(path.read_bytes().replace(b"Giay", b"Giaz"))

    with pytest.raises(FileIntegrityError):
        stored_file_read(stored)


@pytest.fixture
def s3_storage(settings, monkeypatch):
    """STORAGES["default"] pointed at a moto S3 server on a free local port, with a fresh bucket."""
    from moto.server import ThreadedMotoServer

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=_free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket="motcua-test")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "motcua-test", "endpoint_url": endpoint, "region_name": "us-east-1"},
        },
    }
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    server.stop()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_s3_storage_stores_content_addressed_and_verifies_on_read(s3_storage):
    content = samples.pdf_bytes()

    stored = stored_file_create(content=content, filename="kq.pdf")
    again = stored_file_create(content=content, filename="kq-copy.pdf")

    assert type(file_storage()).__name__ == "S3Storage"
    keys = [item["Key"] for item in s3_storage.list_objects_v2(Bucket="motcua-test")["Contents"]]
    assert keys == [stored.storage_key] == [again.storage_key]
    assert stored_file_read(stored) == content


def test_s3_object_changed_behind_our_back_fails_the_hash_check(s3_storage):
    stored = stored_file_create(content=samples.pdf_bytes(), filename="kq.pdf")
    s3_storage.put_object(Bucket="motcua-test", Key=stored.storage_key, Body=b"%PDF-1.7 forged")

    with pytest.raises(FileIntegrityError):
        stored_file_read(stored)


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

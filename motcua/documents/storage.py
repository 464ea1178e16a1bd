"""The file store: Django's default storage (local disk, or S3-compatible when STORAGE_URL says so).

Files are content-addressed: the key is derived from the SHA-256 of the bytes, so a key always
means the same bytes, a write never replaces anything, and a read can prove it got what was stored.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages


class FileIntegrityError(Exception):
    """The bytes read back from the store do not hash to what was recorded: damage or tampering."""


def file_storage() -> Storage:
    """The storage holding documents (settings.STORAGES["default"], looked up per call so tests can swap it)."""
    return storages["default"]


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def content_key(sha256: str) -> str:
    """Where bytes with this hash live: `ab/abcdef…` (a two-character fan-out keeps directories small)."""
    return f"{sha256[:2]}/{sha256}"


def content_put(content: bytes) -> tuple[str, str]:
    """Store the bytes under their content key unless already there; return (sha256, key)."""
    digest = sha256_hex(content)
    key = content_key(digest)
    storage = file_storage()
    if not storage.exists(key):
        saved = storage.save(key, ContentFile(content))
        # A storage that renamed the file (because a racing writer got there first) holds the same
        # bytes under the content key already; drop our duplicate rather than keep a stray name.
        if saved != key:
            storage.delete(saved)
    return digest, key


def content_get(*, key: str, sha256: str) -> bytes:
    """Read the bytes at `key` and prove they hash to `sha256`."""
    with file_storage().open(key, "rb") as handle:
        content = handle.read()
    if sha256_hex(content) != sha256:
        raise FileIntegrityError(f"stored file {key} does not match its SHA-256")
    return content

"""Reads of documents, stored files and signing identities."""

from __future__ import annotations

from django.db.models import Q

from motcua.core import clock
from motcua.documents.models import Document, SigningIdentity, StoredFile
from motcua.documents.storage import content_get
from motcua.organizations.models import Unit


def stored_file_read(file: StoredFile) -> bytes:
    """The file's bytes, proven to hash to its recorded SHA-256 (raises FileIntegrityError otherwise)."""
    return content_get(key=file.storage_key, sha256=file.sha256)


def document_get_by_result_code(result_code: str) -> Document | None:
    return (
        Document.objects.select_related("stored_file", "replaced_by", "signed_by__unit")
        .filter(result_code=result_code)
        .first()
    )


def document_issued_with_sha256(sha256: str) -> Document | None:
    """The issued result (a document with a result code) whose current file has these bytes."""
    return (
        Document.objects.select_related("replaced_by")
        .filter(stored_file__sha256=sha256, result_code__isnull=False)
        .order_by("-pk")
        .first()
    )


def signing_identity_for_unit(unit: Unit) -> SigningIdentity | None:
    """The unit's active identity that is valid now, the one expiring last first."""
    now = clock.now()
    return (
        SigningIdentity.objects.filter(unit=unit, active=True, valid_from__lte=now, valid_until__gte=now)
        .filter(~Q(certificate_pem=""))
        .order_by("-valid_until", "-pk")
        .first()
    )

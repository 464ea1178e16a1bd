"""Public verification of issued results (SPEC §3.5, §8): by result code, or by uploading the PDF.

Anyone may ask; the answer holds only what the document itself prints (signer, unit, time).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from motcua.core.errors import InvalidInput
from motcua.documents.validation import PDF, sniff_mime
from motcua.documents.verification import result_verify, upload_verify

router = Router()


class SignatureOut(Schema):
    signer: str
    unit: str
    signed_at: datetime | None
    intact: bool
    trusted: bool


class VerdictOut(Schema):
    valid: bool
    signatures: list[SignatureOut]
    hash_matches_issued: bool | None
    revoked: bool
    reason: str
    result_code: str | None
    replaced_by: str | None


@router.post("", response=VerdictOut, auth=None, summary="Verify a PDF someone holds")
def verify_upload(request: HttpRequest, file: UploadedFile = File(...)):  # noqa: B008
    if file.size is not None and file.size > settings.DOCUMENTS_MAX_UPLOAD_BYTES:
        raise InvalidInput(_("The file is too large to verify."), code="file_too_large", field="file")
    content = file.read()
    if sniff_mime(content) != PDF:
        raise InvalidInput(_("Upload the result as a PDF file."), code="not_a_pdf", field="file")
    return upload_verify(pdf=content).as_dict()


@router.get("/{result_code}", response=VerdictOut, auth=None, summary="Verify an issued result by its code")
def verify_result(request: HttpRequest, result_code: str):
    return result_verify(result_code=result_code).as_dict()

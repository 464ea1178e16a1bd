"""Background work of documents (django-tasks): digitizing uploaded scans into a searchable PDF.

`digitize_upload` takes ids (tasks are enqueued on commit and run in the worker) and records its
progress on the document as it goes, each page in its own short write, so a page can poll it.
A page that fails does not lose the others (see `ocr.digitize`): the document ends "partial", with
the failed pages listed. The tools missing altogether (`OcrUnavailable`) is a permanent failure:
the document says so and the task does not raise, since retrying cannot help until an
administrator installs them.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django_tasks import task

from motcua.core.errors import DomainError
from motcua.core.text import fold
from motcua.documents.htmlpdf import strict_image_decoding
from motcua.documents.models import DigitizationStatus, Document, StoredFile
from motcua.documents.ocr import DigitizationResult, OcrUnavailable, digitize
from motcua.documents.selectors import signing_identity_for_unit, stored_file_read
from motcua.documents.services import document_sign, stored_file_create
from motcua.organizations.models import Unit

logger = logging.getLogger(__name__)

SIGNING_REASON = "Số hóa hồ sơ, giấy tờ"
_FINISHED = (DigitizationStatus.DONE, DigitizationStatus.PARTIAL)


@task()
def digitize_upload(stored_file_ids: list[int], document_id: int, sign_unit_id: int | None = None) -> dict[str, Any]:
    """OCR the stored scans (in the given order) into the document's searchable PDF; sign it for a unit if given."""
    document = Document.objects.get(pk=document_id)
    if document.digitization_status in _FINISHED:
        return {"status": document.digitization_status, "skipped": True}  # a re-delivered task
    files = {f.pk: f for f in StoredFile.objects.filter(pk__in=stored_file_ids)}
    sources = [(files[pk].original_filename or f"scan-{pk}", stored_file_read(files[pk])) for pk in stored_file_ids]
    _progress(document_id, status=DigitizationStatus.RUNNING, progress_done=0, progress_total=0, error="")

    def progress(done: int, total: int) -> None:
        _progress(document_id, progress_done=done, progress_total=total)

    strict_image_decoding()  # rendering a PDF earlier in this worker may have relaxed it (see there)
    try:
        result = digitize(sources, progress=progress)
    except OcrUnavailable as exc:
        logger.error("digitization of document %s impossible: %s", document_id, exc)
        _progress(document_id, status=DigitizationStatus.FAILED, error=str(exc))
        return {"status": DigitizationStatus.FAILED, "error": str(exc)}
    except Exception as exc:
        _progress(document_id, status=DigitizationStatus.FAILED, error=str(exc) or type(exc).__name__)
        raise
    document = _record(document_id, result, stored_file_ids=list(files))
    if sign_unit_id is not None and document.digitization_status in _FINISHED:
        document = _sign(document, sign_unit_id)
    return {"status": document.digitization_status, "pages": len(result.pages), "failed_pages": result.failed_pages}


def _progress(document_id: int, *, status: str | None = None, **fields: Any) -> None:
    """One short write, committed at once, so a page polling the document sees it."""
    if status is not None:
        fields["digitization_status"] = status
    Document.objects.filter(pk=document_id).update(**fields)


@transaction.atomic
def _record(document_id: int, result: DigitizationResult, *, stored_file_ids: list[int]) -> Document:
    document = Document.objects.select_for_update().get(pk=document_id)
    document.sources.add(*stored_file_ids)
    failed = [{"page": page.index + 1, "error": page.error} for page in result.pages if page.error]
    document.failed_pages = failed
    document.error = "\n".join(str(item["error"]) for item in failed)
    document.progress_done = document.progress_total = len(result.pages)
    if result.pdf is None:
        document.digitization_status = DigitizationStatus.FAILED
        document.error = document.error or "no page could be read"
        document.save()
        return document
    name = document.name or "ban-so-hoa"
    document.stored_file = stored_file_create(content=result.pdf, filename=f"{name}.pdf")
    document.ocr_text = result.text
    document.ocr_text_folded = fold(result.text)
    document.thumbnails = [_thumbnail_id(page.thumbnail_png, document_id, page.index) for page in result.pages]
    document.digitization_status = DigitizationStatus.PARTIAL if failed else DigitizationStatus.DONE
    document.save()
    return document


def _thumbnail_id(png: bytes | None, document_id: int, index: int) -> int | None:
    if png is None:
        return None
    return stored_file_create(content=png, filename=f"thumb-{document_id}-{index + 1}.png").pk


def _sign(document: Document, unit_id: int) -> Document:
    """Sign the digitized copy for the receiving unit (SPEC §3.5: the unit's certificate is the fallback)."""
    unit = Unit.objects.get(pk=unit_id)
    identity = signing_identity_for_unit(unit)
    if identity is None:
        logger.warning(
            "unit %s has no valid signing identity; digitized document %s left unsigned", unit.code, document.pk
        )
        return document
    try:
        return document_sign(document=document, identity=identity, unit=unit, reason=SIGNING_REASON, location=unit.name)
    except DomainError as exc:  # e.g. a key that cannot be opened: the copy stays, unsigned; the log says why
        logger.warning("digitized document %s not signed: %s", document.pk, exc)
        return document

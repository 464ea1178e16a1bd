"""Asking for a digitization and finding documents by their recognized text (SPEC §3.5).

`digitization_request` records the document at once (status "pending", the first scan standing in
as its file) and enqueues `tasks.digitize_upload` when the transaction commits; the page then polls
`digitization_status`, `progress_done` / `progress_total` and `error` on the document.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import InvalidInput
from motcua.core.text import fold
from motcua.documents.models import DigitizationStatus, Document, DocumentKind, StoredFile
from motcua.documents.tasks import digitize_upload
from motcua.organizations.models import Unit


@transaction.atomic
def digitization_request(
    *,
    stored_files: list[StoredFile],
    name: str,
    dossier_code: str | None = None,
    kind: DocumentKind = DocumentKind.DIGITIZED_COPY,
    sign_unit: Unit | None = None,
) -> Document:
    """A document to be made from `stored_files` (in page order) by the task worker, signed for `sign_unit` if given."""
    if not stored_files:
        raise InvalidInput(_("Upload at least one scan."), code="scans_required", field="files")
    document = Document.objects.create(
        kind=kind,
        stored_file=stored_files[0],
        name=name.strip()[:255],
        dossier_code=dossier_code,
        digitization_status=DigitizationStatus.PENDING,
    )
    document.sources.set(stored_files)
    ids = [stored_file.pk for stored_file in stored_files]
    unit_id = sign_unit.pk if sign_unit is not None else None
    transaction.on_commit(lambda: digitize_upload.enqueue(ids, document.pk, unit_id))
    return document


def document_search(*, text: str, dossier_code: str | None = None) -> QuerySet[Document]:
    """Documents whose recognized text contains `text`, diacritics and case ignored ("nguyen" finds "Nguyễn")."""
    documents = Document.objects.filter(ocr_text_folded__contains=fold(text))
    if dossier_code is not None:
        documents = documents.filter(dossier_code=dossier_code)
    return documents

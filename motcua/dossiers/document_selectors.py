"""Reads about a dossier's documents for its pages: digitization progress, the result, vault proposals."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from motcua.catalog.models import Component
from motcua.documents.models import DigitizationStatus, Document, DocumentKind, VaultDocument
from motcua.documents.vault import VaultOwner, vault_propose
from motcua.dossiers.models import Dossier, DossierComponent

_FINISHED = (DigitizationStatus.DONE, DigitizationStatus.PARTIAL, DigitizationStatus.FAILED)


@dataclass(frozen=True)
class ComponentDigitization:
    """One scanned component's digitized copy, as far as the task got."""

    code: str
    name: str
    document_id: int
    status: str  # DigitizationStatus value
    status_label: str
    pages_done: int
    pages_total: int
    percent: int
    error: str
    signed: bool


@dataclass(frozen=True)
class DigitizationProgress:
    """The dossier's digitization: per component, and pages done / pages in all over the dossier."""

    components: list[ComponentDigitization]
    pages_done: int
    pages_total: int
    finished: bool  # nothing is waiting or running (a page polling it may stop)

    @property
    def percent(self) -> int:
        if not self.pages_total:
            return 100 if self.finished else 0
        return min(100, round(100 * self.pages_done / self.pages_total))


def digitization_progress(*, dossier: Dossier) -> DigitizationProgress:
    """Where the digitization of the dossier's counter scans stands (one query; poll it from the page)."""
    items = (
        DossierComponent.objects.filter(dossier=dossier, digitized_document__isnull=False)
        .select_related("component", "digitized_document")
        .order_by("component__order", "pk")
    )
    rows = []
    for item in items:
        document = item.digitized_document
        if document is None:  # filtered out above
            continue
        rows.append(
            ComponentDigitization(
                code=item.component.code,
                name=item.component.name,
                document_id=document.pk,
                status=document.digitization_status,
                status_label=str(document.get_digitization_status_display()),
                pages_done=document.progress_done,
                pages_total=document.progress_total,
                percent=document.progress_percent,
                error=document.error,
                signed=document.signed,
            )
        )
    return DigitizationProgress(
        components=rows,
        pages_done=sum(row.pages_done for row in rows),
        pages_total=sum(row.pages_total for row in rows),
        finished=all(row.status in _FINISHED for row in rows),
    )


def dossier_result(*, dossier: Dossier) -> Document | None:
    """The dossier's issued result in force (signed, with a result code, not revoked), the latest first."""
    if not dossier.code:
        return None
    return (
        Document.objects.filter(
            dossier_code=dossier.code, kind=DocumentKind.RESULT, result_code__isnull=False, revoked=False
        )
        .select_related("stored_file")
        .order_by("-created_at", "-pk")
        .first()
    )


def vault_proposals(*, owner: VaultOwner | None, components: Iterable[Component]) -> dict[str, list[VaultDocument]]:
    """Component code → the owner's usable vault documents of that component's document type."""
    components = list(components)
    if owner is None:
        return {}
    codes = [c.document_type_code for c in components if c.document_type_code]
    by_type: dict[str, list[VaultDocument]] = {}
    for vault_document in vault_propose(owner=owner, type_codes=codes):
        by_type.setdefault(vault_document.type_code, []).append(vault_document)
    return {c.code: by_type[c.document_type_code] for c in components if by_type.get(c.document_type_code)}

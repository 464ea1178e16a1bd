"""A dossier's documents (SPEC §3.5–3.6): counter scans digitized into the owner's vault, vault documents
reused instead of the paper, and the signed electronic result of an approved dossier.

The documents app does the work (digitization, vault, signing); this module ties it to the dossier:
the components' `digitized` / `reused` / `vault_document` flags the 766 indices read (metrics 4.2,
4.3 in `metrics.collect`), and the result document found by the dossier code (metric 4.1).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.roles import AccountKind
from motcua.accounts.services import citizen_profile_upsert, organization_profile_upsert
from motcua.catalog.models import ResultType
from motcua.core.errors import InvalidInput
from motcua.documents.digitization import digitization_request
from motcua.documents.models import Document, StoredFile, VaultSource
from motcua.documents.results import result_issue
from motcua.documents.selectors import signing_identity_for_unit
from motcua.documents.vault import (
    VaultOwner,
    vault_add,
    vault_for_owner,
    vault_owner_find,
    vault_owner_for_user,
    vault_record_reuse,
)
from motcua.dossiers.models import ApplicantKind, Dossier, DossierComponent

logger = logging.getLogger(__name__)


# --- whose vault -------------------------------------------------------------------------------


def dossier_vault_owner(dossier: Dossier, *, create: bool = False) -> VaultOwner | None:
    """The vault of the dossier's applicant: the filing account's own, else the person (ID number) or
    organization (tax code) on the dossier; made from the dossier's applicant when `create` and missing."""
    if dossier.owner is not None:
        owner = vault_owner_for_user(dossier.owner)
        if owner is not None:
            return owner
    if dossier.applicant_kind == ApplicantKind.ORGANIZATION:
        owner = vault_owner_find(tax_code=dossier.organization_tax_code)
        if owner is None and create and dossier.organization_tax_code and dossier.organization_name:
            owner = organization_profile_upsert(
                tax_code=dossier.organization_tax_code,
                name=dossier.organization_name,
                representative=dossier.organization_representative,
            )
        return owner
    owner = vault_owner_find(id_number=dossier.applicant_id_number)
    if owner is None and create and dossier.applicant_id_number and dossier.applicant_name:
        owner = citizen_profile_upsert(
            id_number=dossier.applicant_id_number,
            full_name=dossier.applicant_name,
            date_of_birth=dossier.applicant_date_of_birth,
        )
    return owner


def caller_vault_owner(caller: User, dossier: Dossier) -> VaultOwner | None:
    """Whose vault the components may be taken from: an applicant files from their own vault; an
    officer (counter, integration) from the vault of the applicant named on the dossier."""
    if caller.kind in (AccountKind.CITIZEN, AccountKind.ORGANIZATION):
        return vault_owner_for_user(caller)
    return dossier_vault_owner(dossier)


# --- filing: vault documents instead of the paper ------------------------------------------------


def component_reuses_record(*, dossier: Dossier, caller: User) -> None:
    """Record the reuse of every vault document the dossier's components name (in the intake transaction).

    A document that is not in the caller's usable vault is refused as invalid input (nothing is written:
    the caller's transaction rolls back). Components taken from the vault carry `reused=True`.
    """
    chosen = list(
        DossierComponent.objects.filter(dossier=dossier, vault_document__isnull=False).select_related("component")
    )
    if not chosen:
        return
    owner = caller_vault_owner(caller, dossier)
    found = (
        {vd.pk: vd for vd in vault_for_owner(owner).filter(pk__in=[c.vault_document for c in chosen])}
        if owner is not None
        else {}
    )
    staff = caller if caller.is_staff_member else None
    for item in chosen:
        vault_document = found.get(item.vault_document or 0)
        if vault_document is None or not vault_document.shared:
            raise InvalidInput(
                _("Document %(id)s is not in the applicant's data vault.") % {"id": item.vault_document},
                code="vault_document_unknown",
                field="components",
            )
        vault_record_reuse(vault_document=vault_document, dossier_code=dossier.code or "", staff=staff)
    DossierComponent.objects.filter(pk__in=[c.pk for c in chosen]).update(reused=True)


# --- counter: scans digitized into the owner's vault -------------------------------------------------


def component_scans_digitize(*, dossier: Dossier, scans: dict[str, list[StoredFile]]) -> list[Document]:
    """Ask for one searchable, signed copy per scanned component; mark the component digitized and put the
    copy in the applicant's vault (source: digitized at the counter). The task runs after the commit."""
    if not scans:
        return []
    owner = dossier_vault_owner(dossier, create=True)
    components = {
        item.component.code: item
        for item in DossierComponent.objects.filter(dossier=dossier).select_related("component")
    }
    made = []
    for code, files in scans.items():
        item = components.get(code)
        if item is None or not files:
            continue
        document = digitization_request(
            stored_files=files,
            name=item.component.name[:255],
            dossier_code=dossier.code,
            sign_unit=dossier.receiving_unit,
        )
        item.digitized, item.digitized_document = True, document
        item.save(update_fields=["digitized", "digitized_document"])
        if owner is not None:
            vault_add(
                owner=owner,
                document=document,
                title=item.component.name,
                source=VaultSource.COUNTER_DIGITIZATION,
                type_code=item.component.document_type_code,
                issuer=dossier.receiving_unit.name,
                dossier_code=dossier.code,
            )
        made.append(document)
    return made


# --- result ---------------------------------------------------------------------------------------------


def result_needed(dossier: Dossier, *, uploaded_pdf: bytes | None) -> bool:
    """An approved dossier gets an electronic result when its unit can sign, when a PDF is given, or when
    the procedure requires an electronic result (then a unit without a certificate is refused)."""
    if uploaded_pdf is not None or signing_identity_for_unit(dossier.handling_unit) is not None:
        return True
    return ResultType.objects.filter(version_id=dossier.procedure_version_id, electronic_required=True).exists()


@transaction.atomic
def dossier_result_issue(
    *, dossier: Dossier, officer: User, note: str = "", uploaded_pdf: bytes | None = None
) -> Document:
    """The dossier's result: generated from the dossier (or the officer's PDF), coded, stamped with the
    verification QR, signed by the handling unit and delivered to the applicant's vault."""
    result_type = ResultType.objects.filter(version_id=dossier.procedure_version_id).order_by("order", "pk").first()
    version = dossier.procedure_version
    title = (result_type.name if result_type else "") or version.name
    with translation.override("vi"):  # the result itself is a Vietnamese official document
        fields = [
            (_("Dossier code"), dossier.code or ""),
            (_("Procedure"), version.name),
            (_("Applicant"), dossier.applicant_display_name),
        ]
        if note.strip():
            fields.append((_("Content"), note.strip()))
    return result_issue(
        unit=dossier.handling_unit,
        dossier_code=dossier.code,
        owner=dossier_vault_owner(dossier, create=True),
        title=title.strip().splitlines()[0][:255] if title.strip() else version.procedure.code,
        body_fields=fields,
        by=officer,
        uploaded_pdf=uploaded_pdf,
        result_type_code=result_type.code if result_type else "",
        recipient_name=dossier.applicant_display_name,
    )

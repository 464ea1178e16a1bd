"""The data vault (Kho quản lý dữ liệu điện tử của tổ chức, cá nhân; SPEC §3.5, issue 4 item 8).

Each person (CitizenProfile) and organization (OrganizationProfile) has a vault of documents:
digitized at the counter, electronic results, uploads, registry extracts. When a dossier is filed
the documents matching its required components are proposed (`vault_propose`); choosing one is
recorded once per dossier (`vault_record_reuse`), which is what the reuse index counts. Officials
see a vault document only through a dossier that uses it, and every such look is logged
(`vault_document_for_staff`). The owner decides whether a document may be shared at all.

The dossiers app calls in with plain dossier codes: documents sits below dossiers and does not
know their models, so checking that the officer may see the dossier itself is the caller's part.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import CitizenProfile, OrganizationProfile, User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from motcua.documents.models import (
    DigitizationStatus,
    Document,
    VaultAccessLog,
    VaultDocument,
    VaultReuse,
    VaultSource,
)

logger = logging.getLogger(__name__)

VaultOwner = CitizenProfile | OrganizationProfile
# A document still being digitized (or that failed) cannot stand in for the paper yet.
_NOT_USABLE = (DigitizationStatus.PENDING, DigitizationStatus.RUNNING, DigitizationStatus.FAILED)


# --- selectors ---------------------------------------------------------------------------------


def vault_owner_for_user(user: User) -> VaultOwner | None:
    """The vault a logged-in account owns: its citizen profile, else its organization profile."""
    citizen = CitizenProfile.objects.filter(user=user).first()
    if citizen is not None:
        return citizen
    return OrganizationProfile.objects.filter(user=user).first()


def vault_owner_find(*, id_number: str = "", tax_code: str = "") -> VaultOwner | None:
    """The vault of the person with this ID number, or of the organization with this tax code."""
    if id_number:
        return CitizenProfile.objects.filter(id_number=id_number.strip()).first()
    if tax_code:
        return OrganizationProfile.objects.filter(tax_code=tax_code.strip()).first()
    return None


def vault_for_owner(owner: VaultOwner) -> QuerySet[VaultDocument]:
    """Every document in the owner's vault, by type code then newest first."""
    return VaultDocument.objects.filter(_owned_by(owner)).select_related("document", "document__stored_file")


def vault_document_for_owner(*, owner: VaultOwner, pk: int) -> VaultDocument:
    try:
        return vault_for_owner(owner).get(pk=pk)
    except VaultDocument.DoesNotExist:
        raise NotFound(_("There is no such document in your vault."), code="vault_document_not_found") from None


def vault_document_usable(vault_document: VaultDocument, *, on: date) -> bool:
    """Whether the document can stand in for the paper on `on`: issued, unexpired, not revoked, digitized."""
    document = vault_document.document
    return (
        not document.revoked
        and document.digitization_status not in _NOT_USABLE
        and (vault_document.issued_on is None or vault_document.issued_on <= on)
        and (vault_document.expires_on is None or vault_document.expires_on >= on)
    )


def vault_propose(*, owner: VaultOwner, type_codes: Iterable[str], on: date | None = None) -> list[VaultDocument]:
    """The owner's shared documents matching the components' `document_type_code`s and usable on `on`.

    In the order of `type_codes` (the procedure's component order), the latest issued first within a code.
    """
    order = {code: position for position, code in enumerate(dict.fromkeys(c.strip() for c in type_codes if c))}
    if not order:
        return []
    day = on or clock.local_today()
    candidates = (
        vault_for_owner(owner)
        .filter(type_code__in=order, shared=True, document__revoked=False)
        .filter(Q(issued_on__isnull=True) | Q(issued_on__lte=day))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .exclude(document__digitization_status__in=_NOT_USABLE)
        .order_by(F("issued_on").desc(nulls_last=True), "-pk")
    )
    return sorted(candidates, key=lambda vault_document: order[vault_document.type_code])


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def vault_add(
    *,
    owner: VaultOwner,
    document: Document,
    title: str,
    source: VaultSource | str,
    type_code: str = "",
    number: str = "",
    issuer: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    dossier_code: str | None = None,
) -> VaultDocument:
    """Put a document in the owner's vault; adding the same document twice returns the first entry."""
    if issued_on and expires_on and expires_on < issued_on:
        raise InvalidInput(
            _("The expiry date is before the issue date."), code="vault_dates_invalid", field="expires_on"
        )
    existing = VaultDocument.objects.filter(_owned_by(owner), document=document).first()
    if existing is not None:
        return existing
    return VaultDocument.objects.create(
        **_owner_fields(owner),
        document=document,
        title=title.strip()[:255] or document.name,
        source=source,
        type_code=type_code.strip(),
        number=number.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        origin_dossier_code=dossier_code or document.dossier_code or "",
    )


@transaction.atomic
def vault_record_reuse(*, vault_document: VaultDocument, dossier_code: str, staff: User | None = None) -> VaultDocument:
    """Record that `dossier_code` uses this vault document instead of the paper; counted once per dossier.

    The dossier it came from does not count as a reuse of it. Call in the transaction that links the
    document to the dossier component (and sets the component's `reused` flag).
    """
    vault_document = VaultDocument.objects.select_for_update().select_related("document").get(pk=vault_document.pk)
    if not vault_document.shared:
        raise Conflict(_("The owner has not shared this document."), code="vault_document_not_shared")
    if not vault_document_usable(vault_document, on=clock.local_today()):
        raise Conflict(
            _("This document is revoked, expired or not digitized yet and cannot be reused."),
            code="vault_document_unusable",
        )
    if dossier_code == vault_document.origin_dossier_code:
        return vault_document
    _reuse, created = VaultReuse.objects.get_or_create(
        vault_document=vault_document, dossier_code=dossier_code, defaults={"recorded_by": staff, "at": clock.now()}
    )
    if created:
        VaultDocument.objects.filter(pk=vault_document.pk).update(reuse_count=F("reuse_count") + 1)
        vault_document.refresh_from_db(fields=["reuse_count"])
        logger.info("vault document %s reused in dossier %s", vault_document.pk, dossier_code)
    return vault_document


@transaction.atomic
def vault_sharing_set(*, owner: VaultOwner, vault_document: VaultDocument, shared: bool) -> VaultDocument:
    """The owner allows (or stops) officials opening the document through the dossiers that use it."""
    vault_document = vault_document_for_owner(owner=owner, pk=vault_document.pk)
    vault_document.shared = shared
    vault_document.save(update_fields=["shared"])
    return vault_document


@transaction.atomic
def vault_document_for_staff(*, staff: User, vault_document: VaultDocument, dossier_code: str) -> VaultDocument:
    """The vault document for an official working on `dossier_code`, logged; refused without a link.

    The caller has checked that `staff` may see the dossier. The document is linked when the dossier
    produced it or recorded a reuse of it; a document its owner stopped sharing is only open to the
    dossier that produced it.
    """
    if not staff.is_staff_member:
        raise PermissionDenied(_("Only officials open vault documents through a dossier."), code="not_staff")
    vault_document = VaultDocument.objects.select_related("document", "document__stored_file").get(pk=vault_document.pk)
    origin = bool(dossier_code) and vault_document.origin_dossier_code == dossier_code
    reused = VaultReuse.objects.filter(vault_document=vault_document, dossier_code=dossier_code).exists()
    if not (origin or (reused and vault_document.shared)):
        logger.warning("refused %s access to vault document %s via %s", staff.pk, vault_document.pk, dossier_code)
        raise PermissionDenied(
            _("This vault document is not used by dossier %(code)s.") % {"code": dossier_code},
            code="vault_document_not_linked",
        )
    VaultAccessLog.objects.create(vault_document=vault_document, staff=staff, dossier_code=dossier_code, at=clock.now())
    return vault_document


def _owned_by(owner: VaultOwner) -> Q:
    if isinstance(owner, CitizenProfile):
        return Q(citizen=owner)
    if isinstance(owner, OrganizationProfile):
        return Q(organization=owner)
    raise TypeError(f"a vault belongs to a citizen or an organization profile, not {type(owner).__name__}")


def _owner_fields(owner: VaultOwner) -> dict[str, VaultOwner]:
    _owned_by(owner)  # the type check
    return {"citizen": owner} if isinstance(owner, CitizenProfile) else {"organization": owner}

"""Writes: storing files, recording documents, signing, issuing and revoking results, signing identities."""

from __future__ import annotations

from datetime import datetime

from cryptography import x509
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import Conflict, InvalidInput
from motcua.documents.models import Document, DocumentKind, SigningIdentity, StoredFile
from motcua.documents.selectors import stored_file_read
from motcua.documents.signing import pdf_sign
from motcua.documents.storage import content_put
from motcua.documents.validation import PDF, file_validate
from motcua.organizations.models import Unit


@transaction.atomic
def stored_file_create(*, content: bytes, filename: str, uploaded_by: User | None = None) -> StoredFile:
    """Validate the bytes, put them in the store under their hash and record a new StoredFile row."""
    facts = file_validate(content, filename=filename)
    sha256, key = content_put(content)
    return StoredFile.objects.create(
        sha256=sha256,
        size=len(content),
        mime=facts.mime,
        pages=facts.pages,
        storage_key=key,
        original_filename=filename[:255],
        uploaded_by=uploaded_by,
    )


@transaction.atomic
def document_create(
    *, kind: DocumentKind | str, stored_file: StoredFile, name: str, dossier_code: str | None = None
) -> Document:
    """Record a stored file as a document of a dossier (or of no dossier yet)."""
    return Document.objects.create(kind=kind, stored_file=stored_file, name=name, dossier_code=dossier_code)


@transaction.atomic
def document_sign(
    *,
    document: Document,
    identity: SigningIdentity,
    unit: Unit,
    reason: str,
    location: str,
    result_code: str | None = None,
    visible: bool = True,
) -> Document:
    """Sign the document's PDF for `unit`; the signed bytes become a new stored file. A result code issues it."""
    document = Document.objects.select_for_update().select_related("stored_file").get(pk=document.pk)
    if document.revoked:
        raise Conflict(_("A revoked document cannot be signed."), code="document_revoked")
    if document.stored_file.mime != PDF:
        raise InvalidInput(_("Only PDF documents can be signed."), code="document_not_pdf")
    if result_code and Document.objects.filter(result_code=result_code).exclude(pk=document.pk).exists():
        raise Conflict(_("This result code is already in use."), code="result_code_taken")
    signed = pdf_sign(
        pdf=stored_file_read(document.stored_file),
        identity=identity,
        unit=unit,
        reason=reason,
        location=location,
        visible=visible,
    )
    # The unsigned original stays in the store; the first one is kept as the document's origin.
    document.original_file = document.original_file or document.stored_file
    document.stored_file = stored_file_create(
        content=signed, filename=document.stored_file.original_filename, uploaded_by=None
    )
    document.signed, document.signed_by, document.signed_at = True, identity, clock.now()
    document.result_code = result_code or document.result_code
    document.save()
    return document


@transaction.atomic
def document_revoke(*, document: Document, reason: str, replaced_by: Document | None = None) -> Document:
    """Withdraw an issued document; public verification will say so (and name the replacement, if any)."""
    if not reason.strip():
        raise InvalidInput(_("Give the reason for revoking the document."), code="reason_required", field="reason")
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.revoked, document.revoked_reason, document.revoked_at = True, reason.strip(), clock.now()
    document.replaced_by = replaced_by
    document.save(update_fields=["revoked", "revoked_reason", "revoked_at", "replaced_by"])
    return document


@transaction.atomic
def signing_identity_create(
    *,
    unit: Unit,
    certificate_pem: str,
    chain_pem: str = "",
    kind: SigningIdentity.Kind | str = SigningIdentity.Kind.PKCS12,
    label: str = "",
    **key_source: str | bytes,
) -> SigningIdentity:
    """Register a signing key for a unit; its validity period is read from the certificate itself.

    `key_source` names where the key is: p12_path or p12_data + passphrase_env for PKCS#12;
    pkcs11_module, pkcs11_token_label, pkcs11_key_label, pkcs11_pin_env for a token.
    """
    valid_from, valid_until = certificate_validity(certificate_pem)
    return SigningIdentity.objects.create(
        unit=unit,
        kind=kind,
        label=label,
        certificate_pem=certificate_pem,
        chain_pem=chain_pem,
        valid_from=valid_from,
        valid_until=valid_until,
        **key_source,
    )


def certificate_validity(certificate_pem: str) -> tuple[datetime, datetime]:
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode())
    except ValueError:
        raise InvalidInput(_("The certificate is not a valid PEM certificate."), code="certificate_invalid") from None
    return certificate.not_valid_before_utc, certificate.not_valid_after_utc

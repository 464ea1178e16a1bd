"""Public verification of signed results: are the signatures intact and trusted, is this the issued file.

`pdf_verify` judges the signatures alone (pure: bytes + trust roots in, verdict out);
`upload_verify` and `result_verify` add what the database knows: whether these exact bytes were
issued as a result, and whether that result was revoked or replaced.
"""

from __future__ import annotations

import io
import logging
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from motcua.core.errors import NotFound
from motcua.documents.models import Document
from motcua.documents.selectors import document_get_by_result_code, document_issued_with_sha256, stored_file_read
from motcua.documents.storage import FileIntegrityError, sha256_hex
from motcua.documents.validation import PDF, sniff_mime

logger = logging.getLogger(__name__)

# Signatures added later, timestamps and revocation data are expected after a signature;
# anything else (page content, annotations) means the signed document was changed.
_ALLOWED_LATER_CHANGES = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


@dataclass(frozen=True)
class SignatureReport:
    """One signature as a verifier sees it."""

    signer: str
    unit: str
    signed_at: datetime | None
    intact: bool
    trusted: bool
    modified: bool = False


@dataclass(frozen=True)
class Verdict:
    """The answer of §8: `valid` only when every signature is intact and trusted, the file is the issued one
    and not revoked. `hash_matches_issued` is None until someone compares the bytes with the issued ones."""

    valid: bool
    signatures: list[SignatureReport] = field(default_factory=list)
    hash_matches_issued: bool | None = None
    revoked: bool = False
    reason: str = ""
    result_code: str | None = None
    replaced_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def trust_roots_load() -> list[asn1_x509.Certificate]:
    """The CA certificates listed in settings.DOCUMENTS_TRUST_ROOTS (missing files are skipped with a warning)."""
    paths = [path for path in settings.DOCUMENTS_TRUST_ROOTS if path]
    present = [path for path in paths if Path(path).is_file()]
    for path in set(paths) - set(present):
        logger.warning("trust root %s not found; run create_dev_pki or fix DOCUMENTS_TRUST_ROOTS", path)
    return list(load_certs_from_pemder(present))


def pdf_verify(*, pdf: bytes, trust_roots: list[asn1_x509.Certificate]) -> Verdict:
    """Check every signature of the PDF against the trust roots (offline: no fetching of CRL/OCSP)."""
    if sniff_mime(pdf) != PDF:
        return Verdict(valid=False, reason=_("The file is not a PDF."))
    try:
        embedded = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:
        return Verdict(valid=False, reason=_("The PDF is damaged and cannot be read."))
    if not embedded:
        return Verdict(valid=False, reason=_("The PDF carries no digital signature."))
    context = ValidationContext(trust_roots=trust_roots, allow_fetching=False, revocation_mode="soft-fail")
    reports = []
    for signature in embedded:
        try:
            reports.append(_report(validate_pdf_signature(signature, context)))
        except Exception:
            logger.info("signature %s could not be validated", signature.field_name, exc_info=True)
            reports.append(SignatureReport(signer="", unit="", signed_at=None, intact=False, trusted=False))
    reason = _signatures_problem(reports)
    return Verdict(valid=not reason, signatures=reports, reason=reason)


def _report(status: PdfSignatureStatus) -> SignatureReport:
    subject = status.signing_cert.subject.native if status.signing_cert is not None else {}
    unit = subject.get("organizational_unit_name") or subject.get("organization_name") or ""
    level = status.modification_level
    modified = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        level not in _ALLOWED_LATER_CHANGES or status.docmdp_ok is False
    )
    return SignatureReport(
        signer=subject.get("common_name", ""),
        unit=unit if isinstance(unit, str) else ", ".join(unit),
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        modified=modified,
    )


def _signatures_problem(reports: list[SignatureReport]) -> str:
    if any(not report.intact or report.modified for report in reports):
        return _("The document was modified after signing.")
    if any(not report.trusted for report in reports):
        return _("A signature does not come from a trusted, valid certificate.")
    return ""


def upload_verify(*, pdf: bytes) -> Verdict:
    """Verdict on a PDF someone holds: its signatures, and whether it is a result we issued."""
    verdict = pdf_verify(pdf=pdf, trust_roots=trust_roots_load())
    if sniff_mime(pdf) != PDF:
        return verdict
    return _with_issue(verdict, document_issued_with_sha256(sha256_hex(pdf)))


def result_verify(*, result_code: str) -> Verdict:
    """Verdict on an issued result, from its code (what the QR on the paper copy opens)."""
    document = document_get_by_result_code(result_code)
    if document is None:
        raise NotFound(_("No result was issued with this code."), code="result_not_found")
    try:
        pdf = stored_file_read(document.stored_file)
    except FileIntegrityError:
        logger.error("stored file of result %s fails its hash check", result_code)
        damaged = Verdict(valid=False, reason=_("The stored copy of this result is damaged."))
        return _with_issue(damaged, document, bytes_match=False)
    return _with_issue(pdf_verify(pdf=pdf, trust_roots=trust_roots_load()), document)


def _with_issue(verdict: Verdict, document: Document | None, *, bytes_match: bool = True) -> Verdict:
    if document is None:
        reason = verdict.reason or _("This file is not a result issued by the system (its content differs).")
        return replace(verdict, valid=False, hash_matches_issued=False, reason=reason)
    replaced_by = document.replaced_by.result_code if document.replaced_by else None
    reason = verdict.reason
    if document.revoked and not reason:
        reason = _("This result was revoked: %(reason)s") % {"reason": document.revoked_reason}
    return replace(
        verdict,
        valid=verdict.valid and bytes_match and not document.revoked,
        hash_matches_issued=bytes_match,
        revoked=document.revoked,
        reason=reason,
        result_code=document.result_code,
        replaced_by=replaced_by,
    )

"""Certified electronic copies from originals (chứng thực bản sao điện tử từ bản chính; SPEC §3.5,
issue 4 item 7; Decree 23/2015/NĐ-CP, Decree 45/2020/NĐ-CP).

At the counter the officer checks the original and scans it; the scans become one searchable PDF
(OCR), a page with the certification statement is appended, the unit signs the whole, and the copy
gets the next number of the unit's certification book for the year ("Số chứng thực: 12, Quyển số
01/2026-SCT/BS") and lands in the owner's vault. Book numbers are gap-free per unit and year: taken
by an atomic upsert in the transaction that writes the entry. The copy also carries a verification
code (`CT-<unit>-<year>-<number>`) so whoever receives it can check it like a result.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Final

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from motcua.accounts.models import User
from motcua.core import clock
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.core.text import fold
from motcua.documents.htmlpdf import html_to_pdf, qr_data_uri, strict_image_decoding, vn_place_date
from motcua.documents.models import (
    CertificationEntry,
    DigitizationStatus,
    Document,
    DocumentKind,
    DocumentSequence,
    StoredFile,
    VaultSource,
)
from motcua.documents.ocr import DigitizationResult, digitize
from motcua.documents.results import document_code_format, owner_display_name, unit_identity, verification_url
from motcua.documents.sequences import sequence_next
from motcua.documents.services import document_sign, stored_file_create
from motcua.documents.validation import file_validate
from motcua.documents.vault import VaultOwner, vault_add
from motcua.organizations.models import Unit

CERTIFICATION_PREFIX: Final = "CT"
# One electronic book per unit per year: "Quyển số 01/2026-SCT/BS" (sổ chứng thực bản sao từ bản chính).
BOOK_VOLUME: Final = 1
SIGNING_REASON: Final = "Chứng thực bản sao điện tử từ bản chính"


def certification_book(year: int, volume: int = BOOK_VOLUME) -> str:
    return f"{volume:02d}/{year}-SCT/BS"


def certification_statement(number: int, book: str) -> str:
    """The words of the stamp, as printed."""
    return f"Chứng thực bản sao đúng với bản chính. Số chứng thực: {number}, Quyển số {book}"


@dataclass(frozen=True)
class OriginalFacts:
    """What the vault records about the original: its type, number, issuer and validity."""

    type_code: str = ""
    number: str = ""
    issuer: str = ""
    issued_on: date | None = None
    expires_on: date | None = None


def certified_copy_issue(
    *,
    unit: Unit,
    officer: User,
    scans: list[tuple[str, bytes]],
    owner: VaultOwner,
    title: str,
    original: OriginalFacts | None = None,
    requester_name: str = "",
    place: str = "",
    dossier_code: str | None = None,
) -> Document:
    """Digitize the scans of an original, certify, number, sign and put the copy in the owner's vault.

    OCR runs before the transaction (it takes seconds a page); a page that cannot be read refuses the
    whole copy, since a certified copy must be complete. A page whose text could not be recognized
    stays as an image: the copy is complete, that page is just not searchable.
    """
    if not officer.is_staff_member:
        raise PermissionDenied(_("Only an official can certify copies."), code="not_staff")
    if not title.strip():
        raise InvalidInput(_("Name the document being certified."), code="title_required", field="title")
    if not scans:
        raise InvalidInput(_("Scan the original first."), code="scans_required", field="scans")
    for filename, content in scans:
        file_validate(content, filename=filename)
    strict_image_decoding()
    digitized = digitize(scans)
    missing = [page.index + 1 for page in digitized.pages if page.thumbnail_png is None]
    if digitized.pdf is None or missing:
        raise InvalidInput(
            _("Pages %(pages)s of the scan cannot be read; scan them again.")
            % {"pages": ", ".join(str(number) for number in missing) or "1"},
            code="scan_unreadable",
            field="scans",
        )
    return _certify(
        unit=unit,
        officer=officer,
        scans=scans,
        digitized=digitized,
        owner=owner,
        title=title.strip(),
        original=original or OriginalFacts(),
        requester_name=requester_name or owner_display_name(owner),
        place=place,
        dossier_code=dossier_code,
    )


@transaction.atomic
def _certify(
    *,
    unit: Unit,
    officer: User,
    scans: list[tuple[str, bytes]],
    digitized: DigitizationResult,
    owner: VaultOwner,
    title: str,
    original: OriginalFacts,
    requester_name: str,
    place: str,
    dossier_code: str | None,
) -> Document:
    identity = unit_identity(unit)
    today, at = clock.local_today(), clock.now()
    number = sequence_next(kind=DocumentSequence.Kind.CERTIFICATION, unit=unit, year=today.year)
    book = certification_book(today.year)
    code = document_code_format(prefix=CERTIFICATION_PREFIX, unit_code=unit.code, year=today.year, number=number)
    pages = len(PdfReader(io.BytesIO(digitized.pdf or b"")).pages)
    stamp = _stamp_page(
        unit=unit,
        title=title,
        number=number,
        book=book,
        code=code,
        date_line=vn_place_date(place, today),
        pages=pages,
        officer_name=officer.full_name or officer.get_username(),
        requester_name=requester_name,
    )
    sources = [stored_file_create(content=content, filename=name, uploaded_by=officer) for name, content in scans]
    document = _copy_document(
        copy_pdf=_appended(digitized.pdf or b"", stamp),
        code=code,
        title=title,
        officer=officer,
        digitized=digitized,
        dossier_code=dossier_code,
    )
    document.sources.set(sources)
    location = place or unit.name
    document = document_sign(
        document=document, identity=identity, unit=unit, reason=SIGNING_REASON, location=location, result_code=code
    )
    CertificationEntry.objects.create(
        unit=unit,
        year=today.year,
        number=number,
        book=book,
        document=document,
        title=title,
        requester_name=requester_name,
        pages=pages,
        certified_by=officer,
        at=at,
    )
    vault_add(
        owner=owner,
        document=document,
        title=title,
        source=VaultSource.COUNTER_DIGITIZATION,
        type_code=original.type_code,
        number=original.number,
        issuer=original.issuer,
        issued_on=original.issued_on,
        expires_on=original.expires_on,
    )
    return document


def _copy_document(
    *, copy_pdf: bytes, code: str, title: str, officer: User, digitized: DigitizationResult, dossier_code: str | None
) -> Document:
    stored: StoredFile = stored_file_create(content=copy_pdf, filename=f"{code}.pdf", uploaded_by=officer)
    failed = [{"page": page.index + 1, "error": page.error} for page in digitized.pages if page.error]
    return Document.objects.create(
        kind=DocumentKind.CERTIFIED_COPY,
        stored_file=stored,
        name=title[:255],
        dossier_code=dossier_code,
        issued_by=officer,
        ocr_text=digitized.text,
        ocr_text_folded=fold(digitized.text),
        digitization_status=DigitizationStatus.PARTIAL if failed else DigitizationStatus.DONE,
        progress_done=len(digitized.pages),
        progress_total=len(digitized.pages),
        failed_pages=failed,
    )


def _stamp_page(*, unit: Unit, code: str, **values: object) -> bytes:
    """The certification page (statement, number, book, date, officer, verification QR) as a one-page PDF."""
    url = verification_url(code)
    html = render_to_string(
        "documents/certification/stamp.html",
        {
            **values,
            "unit_name": unit.name,
            "parent_name": unit.parent.name if unit.parent else "",
            "code": code,
            "verify_url": url,
            "qr_uri": qr_data_uri(url),
        },
    )
    return html_to_pdf(html)


def _appended(pdf: bytes, page: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.append(PdfReader(io.BytesIO(page)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

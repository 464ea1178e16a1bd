"""Results (kết quả giải quyết TTHC; SPEC §3.5–3.6, issue 4 item 6): a PDF from the result type's
template, or the unit's own upload, stamped with a verification QR, signed by the competent unit,
given a result code and delivered to the owner's vault.

Result codes read `KQ-<unit code>-<YYYY>-<number>`: a per-unit per-year sequence from 000001 (at
least six digits), taken in the issuing transaction, so numbers are unique and gap-free. The QR and
the printed link open `{PUBLIC_BASE_URL}/xac-thuc-ket-qua/<result code>`, the public verification
page (`verification.result_verify` behind it).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string, select_template
from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter

from motcua.accounts.models import CitizenProfile, User
from motcua.core import clock
from motcua.core.errors import InvalidInput
from motcua.documents.htmlpdf import html_to_pdf, qr_data_uri, vn_place_date
from motcua.documents.models import Document, DocumentKind, DocumentSequence, SigningIdentity, VaultSource
from motcua.documents.selectors import signing_identity_for_unit
from motcua.documents.sequences import sequence_next
from motcua.documents.services import document_sign, stored_file_create
from motcua.documents.validation import PDF, file_validate
from motcua.documents.vault import VaultOwner, vault_add
from motcua.organizations.models import Unit

RESULT_PREFIX: Final = "KQ"
VERIFY_PATH: Final = "xac-thuc-ket-qua"
SIGNING_REASON: Final = "Kết quả giải quyết thủ tục hành chính"
_TEMPLATE_DIR: Final = "documents/results"
_UNSAFE_IN_TEMPLATE_NAME = re.compile(r"[^A-Za-z0-9_-]+")

BodyFields = Mapping[str, object] | Sequence[tuple[str, object]]


def document_code_format(*, prefix: str, unit_code: str, year: int, number: int) -> str:
    """`KQ-000.00.21.H99-2026-000001`: prefix, unit identifier, year, number (six digits or more)."""
    return f"{prefix}-{unit_code}-{year:04d}-{number:06d}"


def verification_url(code: str) -> str:
    """The public verification page of an issued document: `{PUBLIC_BASE_URL}/xac-thuc-ket-qua/<code>`."""
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/{VERIFY_PATH}/{quote(code, safe='')}"


def owner_display_name(owner: VaultOwner | None) -> str:
    if owner is None:
        return ""
    return owner.full_name if isinstance(owner, CitizenProfile) else owner.name


@dataclass(frozen=True)
class ResultSheet:
    """What a result template prints."""

    unit_name: str
    title: str
    result_code: str
    issued_on: date
    parent_name: str = ""
    place: str = ""
    dossier_code: str = ""
    recipient_name: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    signer_title: str = ""
    signer_name: str = ""


def result_template_names(result_type_code: str) -> list[str]:
    """The result type's own template first (its code made safe for a path), then the default."""
    names = [f"{_TEMPLATE_DIR}/default.html"]
    slug = _UNSAFE_IN_TEMPLATE_NAME.sub("_", result_type_code.strip()).strip("_")
    if slug:
        names.insert(0, f"{_TEMPLATE_DIR}/{slug}.html")
    return names


def render_result_html(sheet: ResultSheet, *, result_type_code: str = "") -> str:
    url = verification_url(sheet.result_code)
    context = {
        **{name: getattr(sheet, name) for name in sheet.__dataclass_fields__},
        "date_line": vn_place_date(sheet.place, sheet.issued_on),
        "verify_url": url,
        "qr_uri": qr_data_uri(url),
    }
    return select_template(result_template_names(result_type_code)).render(context)


def render_result_pdf(sheet: ResultSheet, *, result_type_code: str = "") -> bytes:
    return html_to_pdf(render_result_html(sheet, result_type_code=result_type_code))


def verification_stamp(pdf: bytes, *, code: str) -> bytes:
    """An uploaded result with the verification QR, code and link drawn in its first page's bottom-left corner."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    page = writer.pages[0]
    # Rotation moved into the content first, so the overlay's corner is the corner a reader sees.
    page.transfer_rotation_to_content()
    box = page.mediabox
    url = verification_url(code)
    overlay_html = render_to_string(
        f"{_TEMPLATE_DIR}/verification_overlay.html",
        {
            "width": f"{float(box.width):.2f}",
            "height": f"{float(box.height):.2f}",
            "result_code": code,
            "verify_url": url,
            "qr_uri": qr_data_uri(url),
        },
    )
    overlay = PdfReader(io.BytesIO(html_to_pdf(overlay_html))).pages[0]
    page.merge_translated_page(overlay, float(box.left), float(box.bottom))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def normalized_fields(body_fields: BodyFields) -> list[tuple[str, str]]:
    pairs = body_fields.items() if isinstance(body_fields, Mapping) else body_fields
    return [(str(label), "" if value is None else str(value)) for label, value in pairs]


def unit_identity(unit: Unit) -> SigningIdentity:
    """The unit's valid signing identity, or a refusal the officer can act on."""
    identity = signing_identity_for_unit(unit)
    if identity is None:
        raise InvalidInput(
            _("%(unit)s has no valid signing certificate.") % {"unit": unit.name}, code="no_signing_identity"
        )
    return identity


@transaction.atomic
def result_issue(
    *,
    unit: Unit,
    dossier_code: str | None,
    owner: VaultOwner | None,
    title: str,
    body_fields: BodyFields = (),
    by: User | None,
    uploaded_pdf: bytes | None = None,
    result_type_code: str = "",
    recipient_name: str = "",
    place: str = "",
    expires_on: date | None = None,
    signer_title: str = "",
    signer_name: str = "",
) -> Document:
    """Issue a result of `dossier_code` for `unit`: PDF (generated or uploaded) → code + QR → signed → vault.

    `body_fields` are (label, value) pairs printed in order; `uploaded_pdf` replaces the generated
    page (it gets the QR drawn on its first page). `owner` receives the result in their vault
    (source "e_result", type `result_type_code`). Raises InvalidInput when the unit cannot sign or
    the upload is refused; nothing is written then, and the number goes back.
    """
    if not title.strip():
        raise InvalidInput(_("Give the result a title."), code="title_required", field="title")
    identity = unit_identity(unit)
    if uploaded_pdf is not None and file_validate(uploaded_pdf, filename="ket-qua.pdf").mime != PDF:
        raise InvalidInput(_("Upload the result as a PDF file."), code="not_a_pdf", field="uploaded_pdf")
    today = clock.local_today()
    number = sequence_next(kind=DocumentSequence.Kind.RESULT, unit=unit, year=today.year)
    code = document_code_format(prefix=RESULT_PREFIX, unit_code=unit.code, year=today.year, number=number)
    if uploaded_pdf is not None:
        pdf = verification_stamp(uploaded_pdf, code=code)
    else:
        sheet = ResultSheet(
            unit_name=unit.name,
            parent_name=unit.parent.name if unit.parent else "",
            title=title.strip(),
            result_code=code,
            issued_on=today,
            place=place,
            dossier_code=dossier_code or "",
            recipient_name=recipient_name or owner_display_name(owner),
            fields=normalized_fields(body_fields),
            signer_title=signer_title,
            signer_name=signer_name,
        )
        pdf = render_result_pdf(sheet, result_type_code=result_type_code)
    document = Document.objects.create(
        kind=DocumentKind.RESULT,
        stored_file=stored_file_create(content=pdf, filename=f"{code}.pdf", uploaded_by=by),
        name=title.strip()[:255],
        dossier_code=dossier_code,
        issued_by=by,
    )
    location = place or unit.name
    document = document_sign(
        document=document, identity=identity, unit=unit, reason=SIGNING_REASON, location=location, result_code=code
    )
    if owner is not None:
        _deliver(owner, document, unit=unit, type_code=result_type_code, issued_on=today, expires_on=expires_on)
    return document


def _deliver(
    owner: VaultOwner, document: Document, *, unit: Unit, type_code: str, issued_on: date, expires_on: date | None
) -> None:
    """The result in the owner's vault: an e-result, numbered by its code, issued by the unit."""
    vault_add(
        owner=owner,
        document=document,
        title=document.name,
        source=VaultSource.E_RESULT,
        type_code=type_code,
        number=document.result_code or "",
        issuer=unit.name,
        issued_on=issued_on,
        expires_on=expires_on,
        dossier_code=document.dossier_code,
    )

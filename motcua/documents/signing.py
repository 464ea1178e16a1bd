"""PAdES signatures with pyHanko, from a unit's PKCS#12 file or a key on a PKCS#11 token.

Signatures are PAdES baseline B-B: the CMS carries the signer's certificate chain and a signing
time that the signer asserts. B-T (a trusted timestamp) and B-LT (embedded revocation data) need a
timestamp authority and the CA's OCSP/CRL endpoints, which an offline installation does not have;
pyHanko supports both once those services are configured.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import textwrap
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from motcua.core import clock
from motcua.core.errors import InvalidInput, PermissionDenied
from motcua.documents.models import SigningIdentity
from motcua.organizations.models import Unit

logger = logging.getLogger(__name__)

# Liberation Serif is metric-compatible with Times New Roman, the face of Vietnamese official
# documents (SPEC §5.1); DejaVu is the fallback. Both carry every Vietnamese letter.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
# Signature boxes sit at the bottom right of the last page, stacked upwards when there are several;
# a box grows with its lines (long unit names wrap) up to STAMP_MAX_LINES.
BOX_WIDTH, BOX_MARGIN, BOX_GAP = 230, 36, 8
FONT_SIZE, LINE_HEIGHT, STAMP_CHARS_PER_LINE, STAMP_MAX_LINES = 9, 11, 46, 6


def pdf_sign(
    *,
    pdf: bytes,
    identity: SigningIdentity,
    unit: Unit,
    reason: str,
    location: str,
    field_name: str | None = None,
    visible: bool = True,
) -> bytes:
    """The PDF with one more PAdES signature by `identity`, which must belong to `unit` and be valid now."""
    certificate = identity_check(identity=identity, unit=unit, at=clock.now())
    writer = _writer_for(pdf)
    existing = [name for name, _value, _ref in fields.enumerate_sig_fields(writer.prev)]
    name = field_name or _free_field_name(existing)
    lines = _stamp_lines(certificate, unit)
    spec = fields.SigFieldSpec(name, on_page=-1, box=_box(writer, len(existing), len(lines)) if visible else None)
    metadata = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    with _signer_for(identity) as signer:
        pdf_signer = signers.PdfSigner(metadata, signer=signer, stamp_style=_stamp_style(lines), new_field_spec=spec)
        output = pdf_signer.sign_pdf(writer)
    return output.getvalue()


def identity_check(*, identity: SigningIdentity, unit: Unit, at: datetime) -> asn1_x509.Certificate:
    """The identity's certificate, if the identity may sign for `unit` at `at`; otherwise a refusal."""
    if identity.unit_id != unit.pk:
        raise PermissionDenied(
            _("This signing certificate belongs to %(owner)s, not to %(unit)s.")
            % {"owner": identity.unit.name, "unit": unit.name},
            code="identity_wrong_unit",
        )
    if not identity.active:
        raise InvalidInput(_("This signing certificate has been deactivated."), code="identity_inactive")
    certificate = asn1_x509.Certificate.load(_pem_to_der(identity.certificate_pem))
    validity = certificate["tbs_certificate"]["validity"]
    not_before = max(validity["not_before"].native, identity.valid_from)
    not_after = min(validity["not_after"].native, identity.valid_until)
    if at < not_before:
        raise InvalidInput(
            _("The signing certificate is not valid until %(date)s.") % {"date": _local(not_before)},
            code="certificate_not_yet_valid",
        )
    if at > not_after:
        raise InvalidInput(
            _("The signing certificate expired on %(date)s.") % {"date": _local(not_after)},
            code="certificate_expired",
        )
    return certificate


def _pem_to_der(pem: str) -> bytes:
    certs = list(load_certs_from_pemder_data(pem.encode()))
    if not certs:
        raise InvalidInput(_("The signing identity has no certificate."), code="identity_incomplete")
    return certs[0].dump()


def _local(moment: datetime) -> str:
    return moment.astimezone(clock.VIETNAM).strftime("%d/%m/%Y %H:%M")


def _writer_for(pdf: bytes) -> IncrementalPdfFileWriter:
    try:
        return IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    except Exception:
        raise InvalidInput(_("The PDF is damaged and cannot be signed."), code="pdf_damaged") from None


def _free_field_name(existing: list[str]) -> str:
    number = len(existing) + 1
    while f"Signature{number}" in existing:
        number += 1
    return f"Signature{number}"


def _box(writer: IncrementalPdfFileWriter, stacked: int, lines: int) -> tuple[int, int, int, int]:
    page_ref, _resources = writer.find_page_for_modification(-1)
    left, bottom, right, _top = (float(v) for v in page_ref.get_object()["/MediaBox"])
    x2 = int(right) - BOX_MARGIN
    y1 = int(bottom) + BOX_MARGIN + stacked * (_box_height(STAMP_MAX_LINES) + BOX_GAP)
    return (max(int(left), x2 - BOX_WIDTH), y1, x2, y1 + _box_height(lines))


def _box_height(lines: int) -> int:
    return 2 * LINE_HEIGHT + lines * LINE_HEIGHT


def _font_file() -> str | None:
    return next((path for path in FONT_CANDIDATES if Path(path).is_file()), None)


def _stamp_style(lines: list[str]) -> TextStampStyle:
    # Without a TrueType font pyHanko falls back to Courier, which has no Vietnamese letters:
    # _stamp_lines then drops the diacritics rather than print boxes.
    font = _font_file()
    # The accumulator and the box each have a font size; they must agree or lines drift sideways.
    box_style = TextBoxStyle(font_size=FONT_SIZE, leading=LINE_HEIGHT)
    if font:
        box_style = TextBoxStyle(
            font=_EmFontFactory(font, font_size=FONT_SIZE), font_size=FONT_SIZE, leading=LINE_HEIGHT
        )
    # pyHanko %-formats the stamp text; the text is complete already, so escape any "%".
    return TextStampStyle(stamp_text="\n".join(lines).replace("%", "%%"), text_box_style=box_style, border_width=1)


def _stamp_lines(certificate: asn1_x509.Certificate, unit: Unit) -> list[str]:
    """What the visible box says: who signed, for which unit, when (Vietnam time), wrapped to fit."""
    signer = certificate.subject.native.get("common_name", "")
    time = clock.local_now().strftime("%d/%m/%Y %H:%M:%S (UTC+7)")
    text = [f"Ký bởi: {signer}", f"Đơn vị: {unit.name}", f"Thời gian: {time}"]
    lines = [piece for line in text for piece in textwrap.wrap(line, STAMP_CHARS_PER_LINE)]
    if len(lines) > STAMP_MAX_LINES:
        lines = [*lines[: STAMP_MAX_LINES - 2], lines[STAMP_MAX_LINES - 2] + "…", lines[-1]]
    return lines if _font_file() else [_without_marks(line) for line in lines]


def _without_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


class _EmGlyphAccumulator(GlyphAccumulator):
    """A GlyphAccumulator that measures in thousandths of an em, the unit PDF widths are written in.

    pyHanko 0.38 writes glyph widths (/W) and TJ adjustments in the font's own units; for fonts with
    2048 units per em (Liberation, DejaVu) viewers then spread the letters twice as wide apart.
    Shaping at a scale of 1000 and scaling the widths to match puts every number in PDF units.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._font_units_per_em = self.units_per_em
        self.hb_font.scale = (1000, 1000)
        self.units_per_em = 1000

    def _get_cid_and_width(self, glyph_id: int) -> tuple[int, int]:
        if glyph_id not in self._glyphs:
            cid, width = super()._get_cid_and_width(glyph_id)
            self._glyphs[glyph_id] = (cid, round(width * 1000 / self._font_units_per_em))
        return self._glyphs[glyph_id]


class _EmFontFactory(GlyphAccumulatorFactory):
    """GlyphAccumulatorFactory building the accumulator above (same arguments as pyHanko's own)."""

    def create_font_engine(self, writer, obj_stream=None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        with open(self.font_file, "rb") as handle:
            font_handle = io.BytesIO(handle.read())
        return _EmGlyphAccumulator(
            writer=writer,
            font_handle=font_handle,
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


@contextmanager
def _signer_for(identity: SigningIdentity) -> Iterator[signers.Signer]:
    """A pyHanko signer holding the identity's key; a PKCS#11 session is closed afterwards."""
    if identity.kind == SigningIdentity.Kind.PKCS11:
        chain = list(load_certs_from_pemder_data(identity.chain_pem.encode())) if identity.chain_pem else []
        with _pkcs11_signer(identity, chain) as signer:
            yield signer
        return
    data = bytes(identity.p12_data) if identity.p12_data else Path(identity.p12_path).read_bytes()
    try:
        signer = _pkcs12_signer(data, _secret(identity.passphrase_env), identity.chain_pem)
    except ValueError:
        raise InvalidInput(
            _("The signing key cannot be opened; check its passphrase."), code="identity_unusable"
        ) from None
    if signer.signing_cert is None or signer.signing_cert.dump() != _pem_to_der(identity.certificate_pem):
        raise InvalidInput(_("The signing key does not match the registered certificate."), code="identity_mismatch")
    yield signer


# Opening a PKCS#12 file (key derivation + OpenSSL's RSA key check) costs more than the signature
# itself, so opened signers are kept per (file, passphrase). A wrong passphrase raises, and is not kept.
@functools.lru_cache(maxsize=64)
def _pkcs12_signer(data: bytes, passphrase: str, chain_pem: str) -> signers.SimpleSigner:
    chain = list(load_certs_from_pemder_data(chain_pem.encode())) if chain_pem else []
    loaded = signers.SimpleSigner.load_pkcs12_data(data, chain, passphrase=passphrase.encode() or None)
    return _LoadedKeySigner(
        signing_key=loaded.signing_key, signing_cert=loaded.signing_cert, cert_registry=loaded.cert_registry
    )


class _LoadedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that decodes its private key once.

    pyHanko's SimpleSigner re-parses the key for every raw signature, and each parse runs OpenSSL's
    RSA consistency check (~60 ms on 2 cores), twice per PDF because a dry run sizes the signature.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._key = serialization.load_der_private_key(self.signing_key.dump(), password=None)

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        return super().sign_raw(data, digest_algorithm)


@contextmanager
def _pkcs11_signer(identity: SigningIdentity, chain: list) -> Iterator[signers.Signer]:
    # Imported here: python-pkcs11 is only needed where a token is actually used.
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign import pkcs11

    try:
        session = pkcs11.open_pkcs11_session(
            identity.pkcs11_module,
            token_criteria=TokenCriteria(label=identity.pkcs11_token_label or None),
            user_pin=_secret(identity.pkcs11_pin_env) or None,
        )
    except Exception:
        # Missing module, absent token, wrong PIN: the details go to the log, the officer gets one message.
        logger.warning("PKCS#11 token of identity %s cannot be opened", identity.pk, exc_info=True)
        raise InvalidInput(
            _("The signing token cannot be opened; check that it is present and the PIN is right."),
            code="identity_unusable",
        ) from None
    try:
        yield pkcs11.PKCS11Signer(
            session,
            key_label=identity.pkcs11_key_label,
            signing_cert=asn1_x509.Certificate.load(_pem_to_der(identity.certificate_pem)),
            ca_chain=chain,
        )
    finally:
        session.close()


def _secret(name: str) -> str:
    """A passphrase or PIN from the environment variable `name` (or the DOCUMENTS_* setting of that name)."""
    if not name:
        return ""
    value = os.environ.get(name)
    if value is None and name.startswith("DOCUMENTS_"):
        value = getattr(settings, name, "")
    return value or ""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.organizations.models import Unit


class StoredFile(models.Model):
    """One immutable file in the store, named by its SHA-256; a new version is a new row."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    mime = models.CharField(_("MIME type"), max_length=100)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    # Content-addressed key (`ab/abcdef…`): the same bytes always land at the same key, so nothing is overwritten.
    storage_key = models.CharField(_("storage key"), max_length=200)
    original_filename = models.CharField(_("original file name"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_filename or self.sha256[:12]} ({self.mime}, {self.size} B)"


class DocumentKind(models.TextChoices):
    COMPONENT_SCAN = "component_scan", _("Component scan")
    LEGAL_FORM = "legal_form", _("Legal form")
    RESULT = "result", _("Result")
    CERTIFIED_COPY = "certified_copy", _("Certified copy")
    DIGITIZED_COPY = "digitized_copy", _("Digitized copy")


class SigningIdentity(models.Model):
    """A unit's signing key: a PKCS#12 file or a key on a PKCS#11 token/HSM, with its certificate."""

    class Kind(models.TextChoices):
        PKCS12 = "pkcs12", _("PKCS#12 file")
        PKCS11 = "pkcs11", _("PKCS#11 token / HSM")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="signing_identities")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PKCS12)
    label = models.CharField(_("label"), max_length=200, blank=True)
    # PKCS#12: a file path or the bytes themselves; the passphrase never sits in the database,
    # only the name of the environment variable (or setting) that holds it.
    p12_path = models.CharField(_("PKCS#12 file"), max_length=500, blank=True)
    p12_data = models.BinaryField(_("PKCS#12 data"), null=True, blank=True, editable=False)
    passphrase_env = models.CharField(_("passphrase variable"), max_length=100, blank=True)
    pkcs11_module = models.CharField(_("PKCS#11 module"), max_length=500, blank=True)
    pkcs11_token_label = models.CharField(_("token label"), max_length=100, blank=True)
    pkcs11_key_label = models.CharField(_("key label"), max_length=100, blank=True)
    pkcs11_pin_env = models.CharField(_("PIN variable"), max_length=100, blank=True)
    certificate_pem = models.TextField(_("certificate (PEM)"))
    # Issuing CA certificates embedded in each signature so a verifier can build the path.
    chain_pem = models.TextField(_("CA chain (PEM)"), blank=True)
    valid_from = models.DateTimeField(_("valid from"))
    valid_until = models.DateTimeField(_("valid until"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit__code", "-valid_until"]
        verbose_name_plural = "signing identities"

    def __str__(self) -> str:
        return self.label or f"{self.unit.code} ({self.kind})"


class Document(models.Model):
    """A file with a role in the procedure (scan, form, result, copy), possibly signed and issued."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="documents")
    # The file as it was before signing; the signed bytes are a new StoredFile (nothing is overwritten).
    original_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # A plain code, not a foreign key: dossiers sit above documents in the layering.
    dossier_code = models.CharField(_("dossier code"), max_length=50, null=True, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=255)
    signed = models.BooleanField(_("signed"), default=False)
    signed_by = models.ForeignKey(
        SigningIdentity, on_delete=models.PROTECT, null=True, blank=True, related_name="documents"
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    result_code = models.CharField(_("result code"), max_length=60, null=True, blank=True, unique=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    replaced_by = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaces")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A result code is only handed out for a signed document.
            models.CheckConstraint(
                condition=Q(result_code__isnull=True) | Q(signed=True), name="document_result_code_needs_signature"
            ),
        ]

    def __str__(self) -> str:
        return self.result_code or self.name

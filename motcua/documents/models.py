from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import CitizenProfile, OrganizationProfile
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


class DigitizationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    PARTIAL = "partial", _("Done, some pages failed")
    FAILED = "failed", _("Failed")


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
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Digitization (tasks.digitize_upload): the scans it was made from, its text, how far it got.
    sources = models.ManyToManyField(StoredFile, blank=True, related_name="+", verbose_name=_("source scans"))
    ocr_text = models.TextField(_("recognized text"), blank=True)
    # Diacritics-folded OCR text for search (SPEC §5.1): "Nguyễn" is found by "nguyen".
    ocr_text_folded = models.TextField(blank=True, editable=False)
    digitization_status = models.CharField(
        _("digitization"), max_length=10, choices=DigitizationStatus.choices, blank=True, default=""
    )
    progress_done = models.PositiveIntegerField(_("pages done"), default=0)
    progress_total = models.PositiveIntegerField(_("pages in all"), default=0)
    error = models.TextField(_("digitization error"), blank=True)
    # [{"page": 1-based page number, "error": "..."}] for the pages that could not be read or recognized.
    failed_pages = models.JSONField(_("failed pages"), default=list, blank=True)
    # Stored file ids of the page thumbnails (PNG), in page order; null where a page has none.
    thumbnails = models.JSONField(_("page thumbnails"), default=list, blank=True)
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

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 100 if self.digitization_status in (DigitizationStatus.DONE, DigitizationStatus.PARTIAL) else 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class DocumentSequence(models.Model):
    """The last number a unit used in a year for one kind of numbered document (results, the certification book)."""

    class Kind(models.TextChoices):
        RESULT = "result", _("Result")
        CERTIFICATION = "certification", _("Certification book")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "year"], name="unique_document_sequence")]

    def __str__(self) -> str:
        return f"{self.kind} {self.unit_id} {self.year}: {self.last_number}"


class VaultSource(models.TextChoices):
    COUNTER_DIGITIZATION = "counter_digitization", _("Digitized at the counter")
    E_RESULT = "e_result", _("Electronic result")
    UPLOAD = "upload", _("Uploaded by the owner")
    REGISTRY = "registry", _("Fetched from a registry")


class VaultDocument(models.Model):
    """A document in a person's or an organization's data vault (Kho dữ liệu), reusable in later dossiers."""

    # Exactly one owner: the vault is per person (ID number) or per organization (tax code), with or
    # without an account, so counter applicants who never log in have one too.
    citizen = models.ForeignKey(
        CitizenProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="vault_documents"
    )
    organization = models.ForeignKey(
        OrganizationProfile, on_delete=models.PROTECT, null=True, blank=True, related_name="vault_documents"
    )
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="vault_entries")
    type_code = models.CharField(_("document type code"), max_length=60, blank=True, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=30, choices=VaultSource.choices)
    # The dossier the document came from (digitized for it, or its result); its staff may open it.
    origin_dossier_code = models.CharField(_("from dossier"), max_length=50, blank=True, db_index=True)
    reuse_count = models.PositiveIntegerField(_("times reused"), default=0)
    # The owner's switch: officials may open the document through the dossiers that use it.
    shared = models.BooleanField(_("shared with the dossiers that use it"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["type_code", "-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(citizen__isnull=False, organization__isnull=True)
                | Q(citizen__isnull=True, organization__isnull=False),
                name="vault_document_one_owner",
            ),
            models.UniqueConstraint(
                fields=["citizen", "document"], condition=Q(citizen__isnull=False), name="unique_citizen_vault_document"
            ),
            models.UniqueConstraint(
                fields=["organization", "document"],
                condition=Q(organization__isnull=False),
                name="unique_organization_vault_document",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=models.F("issued_on")),
                name="vault_document_expires_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type_code or '-'} {self.title}"


class VaultReuse(models.Model):
    """A vault document used in a dossier instead of the paper: counted once per dossier, links the dossier's staff."""

    vault_document = models.ForeignKey(VaultDocument, on_delete=models.PROTECT, related_name="reuses")
    dossier_code = models.CharField(_("dossier code"), max_length=50, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["vault_document", "dossier_code"], name="unique_vault_reuse_per_dossier")
        ]

    def __str__(self) -> str:
        return f"{self.vault_document_id} → {self.dossier_code}"


class VaultAccessLog(models.Model):
    """A staff member opened a vault document through a dossier (SPEC §5.4): who, which, why-dossier, when."""

    vault_document = models.ForeignKey(VaultDocument, on_delete=models.PROTECT, related_name="access_log")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    dossier_code = models.CharField(_("dossier code"), max_length=50)
    at = models.DateTimeField(_("at"))

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.staff_id} read vault document {self.vault_document_id} for {self.dossier_code}"


class CertificationEntry(models.Model):
    """A line of a unit's yearly certification book (sổ chứng thực bản sao từ bản chính) for an electronic copy."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="certification_entries")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("certification number"))
    book = models.CharField(_("book"), max_length=30)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="certification")
    title = models.CharField(_("document certified"), max_length=255)
    requester_name = models.CharField(_("requested by"), max_length=255, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    certified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("certified at"))

    class Meta:
        ordering = ["unit", "-year", "-number"]
        verbose_name_plural = "certification entries"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="unique_certification_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.book}"

from django.contrib import admin

from motcua.documents.models import (
    CertificationEntry,
    Document,
    SigningIdentity,
    StoredFile,
    VaultAccessLog,
    VaultDocument,
    VaultReuse,
)


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    # Stored files are immutable: the admin can look, never edit.
    list_display = ["original_filename", "mime", "size", "pages", "sha256", "uploaded_at"]
    search_fields = ["sha256", "original_filename"]
    readonly_fields = [f.name for f in StoredFile._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "dossier_code", "signed", "result_code", "revoked", "created_at"]
    list_filter = ["kind", "signed", "revoked"]
    search_fields = ["name", "dossier_code", "result_code", "stored_file__sha256"]
    raw_id_fields = ["stored_file", "original_file", "signed_by", "replaced_by"]
    # Signing and revoking go through the services (they write new files and keep the reasons).
    readonly_fields = ["stored_file", "original_file", "signed", "signed_by", "signed_at", "result_code", "revoked_at"]


@admin.register(SigningIdentity)
class SigningIdentityAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "kind", "valid_from", "valid_until", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["label", "unit__code", "unit__name"]
    raw_id_fields = ["unit"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Books and logs: written by the services only; the admin can look."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(VaultDocument)
class VaultDocumentAdmin(_ReadOnlyAdmin):
    list_display = ["title", "type_code", "citizen", "organization", "source", "reuse_count", "shared", "created_at"]
    list_filter = ["source", "shared"]
    search_fields = ["title", "type_code", "number", "citizen__id_number", "organization__tax_code"]


@admin.register(VaultReuse)
class VaultReuseAdmin(_ReadOnlyAdmin):
    list_display = ["vault_document", "dossier_code", "recorded_by", "at"]
    search_fields = ["dossier_code"]


@admin.register(VaultAccessLog)
class VaultAccessLogAdmin(_ReadOnlyAdmin):
    list_display = ["vault_document", "staff", "dossier_code", "at"]
    search_fields = ["dossier_code", "staff__username"]


@admin.register(CertificationEntry)
class CertificationEntryAdmin(_ReadOnlyAdmin):
    list_display = ["number", "book", "unit", "title", "requester_name", "certified_by", "at"]
    list_filter = ["year"]
    search_fields = ["title", "requester_name", "unit__code"]

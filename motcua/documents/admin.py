from django.contrib import admin

from motcua.documents.models import Document, SigningIdentity, StoredFile


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

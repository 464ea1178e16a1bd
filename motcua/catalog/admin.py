"""Admin for the catalog. Imported content is read-only here: dossiers pin versions, so a change to
what a procedure requires comes as a new version through `import_procedures`. Local settings that
the national record does not carry (online level, non-geographic reception, e-form schemas, …)
stay editable."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from motcua.catalog.models import Component, Fee, Field, Offering, Procedure, ProcedureVersion, ResultType

_VERSION_CONTENT = (
    "procedure",
    "number",
    "name",
    "field",
    "levels",
    "competent_bodies",
    "channels",
    "processing_time",
    "processing_time_unit",
    "online_processing_time",
    "online_processing_time_unit",
    "time_description",
    "postal_allowed",
    "immediate_result",
    "next_day_after_15h",
    "requirements",
    "subjects",
    "legal_basis",
    "source",
    "content_hash",
)


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_local")
    search_fields = ("code", "name_folded")
    readonly_fields = ("name_folded",)


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    fields = ("number", "status", "name", "decision_number", "effective_from")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "current_version")
    search_fields = ("code", "current_version__search_text")
    readonly_fields = ("code", "current_version")
    inlines = (VersionInline,)


class ComponentInline(admin.TabularInline):
    model = Component
    fields = ("order", "code", "is_local_code", "case", "name", "required", "originals", "copies", "must_digitize")
    readonly_fields = ("order", "code", "is_local_code", "case", "name", "required", "originals", "copies")
    extra = 0
    can_delete = False


class FeeInline(admin.TabularInline):
    model = Fee
    fields = ("channel", "name", "kind", "amount", "currency", "description")
    readonly_fields = fields
    extra = 0
    can_delete = False


class ResultInline(admin.TabularInline):
    model = ResultType
    fields = ("code", "name", "electronic_required")
    readonly_fields = ("code", "name")
    extra = 0
    can_delete = False


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "number", "status", "name", "online_level")
    list_filter = ("status", "online_level", "field")
    search_fields = ("procedure__code", "search_text")
    readonly_fields = _VERSION_CONTENT
    inlines = (ComponentInline, FeeInline, ResultInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # versions come from the importer


@admin.register(Component)
class ComponentAdmin(admin.ModelAdmin):
    """Where an e-form schema and the reusable document type are attached to a component."""

    list_display = ("code", "version", "name", "is_local_code")
    search_fields = ("code", "version__procedure__code")
    readonly_fields = ("version", "code", "national_code", "is_local_code", "case", "name", "originals", "copies")
    fields = (*readonly_fields, "required", "form_schema", "document_type_code", "must_digitize")


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("procedure", "unit", "receives", "handles")
    list_filter = ("receives", "handles")
    search_fields = ("procedure__code", "unit__code", "unit__name")
    raw_id_fields = ("procedure", "unit")

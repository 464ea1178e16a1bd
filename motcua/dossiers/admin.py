"""Read-mostly admin: dossiers change through services (events, outbox), never by hand here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.models import DailySequence, Dossier, DossierEvent, DossierStep, PersonalDataAccess


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StepInline(admin.TabularInline):
    model = DossierStep
    extra = 0
    can_delete = False
    fields = ("order", "name", "unit", "role", "assignee", "started_at", "due_at", "finished_at", "outcome")
    readonly_fields = fields


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ("code", "procedure", "status", "channel", "handling_unit", "submitted_at", "due_at")
    list_filter = ("status", "channel")
    search_fields = ("code",)
    inlines = [StepInline]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "sequence", "action", "from_status", "to_status", "actor", "at")
    list_filter = ("action",)
    search_fields = ("dossier__code",)


@admin.register(DailySequence)
class DailySequenceAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "day", "last_number")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdmin):
    list_display = ("user", "dossier", "at", "purpose")

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from motcua.workcalendar.models import CalendarOverride
from motcua.workcalendar.services import invalidate_calendar


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "reason", "decision_number", "updated_at")
    list_filter = ("kind",)
    search_fields = ("reason", "decision_number")
    date_hierarchy = "day"

    # Other processes notice the change through the override fingerprint; this one at once.
    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        invalidate_calendar()

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        super().delete_model(request, obj)
        invalidate_calendar()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        super().delete_queryset(request, queryset)
        invalidate_calendar()

"""Admin for the government tree. Identity changes (rename, recode, merge) go through the services,
which keep the history, so the admin shows code and name read-only once a unit exists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from motcua.core.errors import InvalidInput
from motcua.organizations.models import Counter, Membership, Province, Unit, UnitHistory
from motcua.organizations.services import unit_create, unit_create_check


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_demo")
    search_fields = ("code", "name")


class UnitHistoryInline(admin.TabularInline):
    model = UnitHistory
    fk_name = "unit"
    extra = 0
    can_delete = False
    fields = ("change", "old_name", "new_name", "old_code", "new_code", "successor", "decision", "effective_on")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class UnitAddForm(forms.ModelForm):
    """Creating a unit in the admin runs `unit_create`, so the same checks and history apply."""

    class Meta:
        model = Unit
        fields = ("code", "name", "short_name", "kind", "parent", "address", "phone", "email", "active_from")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            unit_create_check(code=data.get("code", ""), name=data.get("name", ""), parent=data.get("parent"))
        except InvalidInput as error:
            self.add_error(error.field if error.field in self.fields else None, str(error.message))
        return data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "level", "parent", "active_until", "successor")
    list_filter = ("kind", "level", "province")
    search_fields = ("code", "name", "name_folded")
    raw_id_fields = ("parent",)
    inlines = [UnitHistoryInline]
    readonly_fields_on_change = ("code", "name", "short_name", "level", "province", "successor", "active_until")

    def get_readonly_fields(self, request: HttpRequest, obj: Unit | None = None) -> Any:
        return self.readonly_fields_on_change if obj is not None else ()

    def get_form(self, request: HttpRequest, obj: Unit | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = UnitAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = {key: value for key, value in form.cleaned_data.items() if value not in (None, "")}
        obj.pk = unit_create(**data, by=request.user).pk  # type: ignore[arg-type]  # admin users are logged in
        obj.refresh_from_db()


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "phone", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "unit__code", "unit__name")
    raw_id_fields = ("unit",)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role", "counter", "position", "title", "active_from", "active_until")
    list_filter = ("role", "position")
    search_fields = ("user__username", "user__full_name", "unit__code", "unit__name")
    raw_id_fields = ("user", "unit", "counter")

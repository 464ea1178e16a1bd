from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from motcua.accounts.models import ApiToken, User


@admin.register(User)
class MotCuaUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "kind", "email", "is_active")
    list_filter = ("kind", "is_active")
    fieldsets = (*(UserAdmin.fieldsets or ()), ("MotCua", {"fields": ("kind", "full_name", "phone")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest")
